/**
 * `DELETE /api/auth/me` (the user, confirming with their password) and `DELETE /api/admin/users/:userId`
 * (an administrator named in RESOFT_ADMINS): erase a user. See user-erasure.ts and docs/audit.md.
 */
import { userDecider, userStreamId } from '@resoft/domain';
import { HttpError, defineRoute, type RouteSpec } from '@resoft/http-kit';
import { z } from 'zod';
import { requestMetadata } from '../command-handling/request-metadata.js';
import type { CommandServiceDeps } from '../command-service-deps.js';
import { eraseUser, type UserErasure } from './user-erasure.js';
import { UserErasedAnswer } from '@resoft/contracts';

const TAGS = ['auth'];

export const eraseMeBody = z.strictObject({ password: z.string().min(1, 'confirm with your password').max(200) });
export const userParams = z.strictObject({ userId: z.uuid('must be a user id') });

export function erasureRoutes(deps: CommandServiceDeps): RouteSpec[] {
  const { executor, passwords, tokens, personalKeys } = deps;
  const admins = new Set(deps.admins.map((a) => a.toLowerCase()));

  function erasure(): UserErasure {
    if (!personalKeys) throw new HttpError(503, 'erasure_unavailable', 'This server has no key store: users cannot be erased');
    return { executor, store: deps.store, keys: personalKeys, revokeSession: (sessionId) => tokens.revokeSession(sessionId) };
  }

  return [
    defineRoute({
      method: 'delete', path: '/api/auth/me', summary: 'Erase your account: your personal data in the history can no longer be read (confirm with your password)', tags: TAGS, auth: 'user', body: eraseMeBody,
      responses: { 200: { description: 'Erased', body: UserErasedAnswer }, 400: 'Invalid body', 401: 'Not signed in', 403: 'Wrong password', 404: 'Already erased' },
      handler: async (ctx) => {
        const user = await executor.read(userStreamId(ctx.user.id), userDecider);
        if (!user.exists || user.erased) throw new HttpError(404, 'user_not_found', 'User not found');
        if (!(await passwords.verify(ctx.body.password, user.passwordHash))) throw new HttpError(403, 'wrong_password', 'The password does not match: nothing was erased');
        const position = await eraseUser(erasure(), ctx.user.id, 'self', requestMetadata(ctx));
        return { body: { erased: true, position } };
      },
    }),
    defineRoute({
      method: 'delete', path: '/api/admin/users/:userId', summary: 'Erase a user (administrators): their personal data in the history can no longer be read', tags: ['admin'], auth: 'user', params: userParams,
      responses: { 200: { description: 'Erased', body: UserErasedAnswer }, 400: 'Invalid user id', 401: 'Not signed in', 403: 'Not an administrator', 404: 'No such user, or already erased' },
      handler: async (ctx) => {
        const actor = await executor.read(userStreamId(ctx.user.id), userDecider);
        const isAdmin = actor.exists && !actor.erased && (admins.has(actor.username.toLowerCase()) || admins.has(actor.email.toLowerCase()));
        if (!isAdmin) throw new HttpError(403, 'admin_only', 'Only administrators may erase other users');
        const user = await executor.read(userStreamId(ctx.params.userId), userDecider);
        if (!user.exists || user.erased) throw new HttpError(404, 'user_not_found', 'User not found');
        const position = await eraseUser(erasure(), ctx.params.userId, 'admin', requestMetadata(ctx));
        return { body: { erased: true, position } };
      },
    }),
  ];
}
