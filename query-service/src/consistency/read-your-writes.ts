/**
 * `?after=<position>`: a client that just wrote passes the position from the
 * write's answer, and the read waits (bounded) for the projections to get
 * there. If they do not in time, the answer says so in a header rather than
 * failing: `Resoft-Consistency: stale`.
 */
import { inSpan } from '@resoft/infra';
import { type RouteContext } from '@resoft/http-kit';
import type { QueryServiceDeps } from '../query-service-deps.js';

type PositionContext = Pick<RouteContext<unknown, { after?: number | undefined }, unknown, unknown>, 'query' | 'res' | 'span'>;

export async function awaitPosition(deps: QueryServiceDeps, ctx: PositionContext): Promise<void> {
  const after = ctx.query.after;
  if (after === undefined || after === 0) return;
  const reached = await inSpan('read-your-writes wait', { parent: ctx.span, attributes: () => ({ 'resoft.after': after }) }, () => deps.waitForPosition(after, deps.readWaitMs));
  ctx.res.setHeader('Resoft-Consistency', reached ? 'fresh' : 'stale');
}

/** The `consistency:` option of every read route that takes `?after=`: the mount waits before the guard and the handler. */
export const readYourWrites = (deps: QueryServiceDeps) => (ctx: PositionContext): Promise<void> => awaitPosition(deps, ctx);
