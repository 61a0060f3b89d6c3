/**
 * The guards of the read routes (`guard:` in defineRoute, run by the mount before the handler): who may
 * read is decided here and in the read functions, by the rules in domain/ (mayReadProject …), never by
 * hand at the top of a handler. Each guard names the path parameter it checks, so a route without that
 * parameter does not compile.
 */
import type { AuthenticatedUser } from '@resoft/infra';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { requireStreamReader } from '../audit/stream-access.js';
import { requireMember, requireProjectAuditor, requireRoomMember } from './membership.js';

/** What a guard reads of the request: the named path parameter and the signed-in user. */
export interface GuardContext<K extends string> {
  readonly params: { readonly [P in K]: string };
  readonly user: AuthenticatedUser;
}

export type ReadGuard<K extends string> = (ctx: GuardContext<K>) => Promise<void>;

export interface ReadGuards {
  /** A member of the project named by the parameter (any role); others get 404 as if it did not exist. */
  projectMember<K extends string>(param: K): ReadGuard<K>;
  /** A member of the project of the room named by the parameter (joined or not); others get 404. */
  roomMember<K extends string>(param: K): ReadGuard<K>;
  /** The stream's project members, or the user of their own user stream; others get 404. */
  streamReader<K extends string>(param: K): ReadGuard<K>;
  /** The project's owners, or administrators for any existing project (the audit trail). */
  projectAuditor<K extends string>(param: K): ReadGuard<K>;
}

export function readGuards(deps: QueryServiceDeps): ReadGuards {
  return {
    projectMember: (param) => async (ctx) => void (await requireMember(deps, ctx.params[param], ctx.user.id)),
    roomMember: (param) => async (ctx) => void (await requireRoomMember(deps, ctx.params[param], ctx.user.id)),
    streamReader: (param) => async (ctx) => requireStreamReader(deps, ctx.params[param], ctx.user.id),
    projectAuditor: (param) => async (ctx) => requireProjectAuditor(deps, ctx.params[param], ctx.user.id),
  };
}
