/**
 * Registration, sign-in, refresh-token rotation and sign-out, plus profile
 * changes. Every step is an event: the user stream records registrations and
 * sign-ins; a session stream records each refresh-token generation.
 */
import { sessionDecider, sessionStreamId, userDecider, userStreamId, type SessionEvent } from '@resoft/domain';
import { newId } from '@resoft/infra';
import { HttpError, defineRoute, type RouteSpec } from '@resoft/http-kit';
import { requestMetadata } from '../command-handling/request-metadata.js';
import type { CommandServiceDeps } from '../command-service-deps.js';
import { loginBody, profileBody, refreshBody, registerBody } from './auth-schemas.js';
import { mintRefreshToken, hashSecret, parseRefreshToken } from './refresh-tokens.js';
import { Refreshed, Registered, SignedIn, Written } from '@resoft/contracts';

const TAGS = ['auth'];
const INVALID_CREDENTIALS = new HttpError(401, 'invalid_credentials', 'Wrong email or password');

export function authRoutes(deps: CommandServiceDeps): RouteSpec[] {
  const { executor, claims, passwords, tokens } = deps;
  const limit = (req: { ip?: string | undefined }) => deps.authLimiter.take(req.ip ?? 'unknown');
  const expiry = () => new Date(Date.now() + deps.refreshTokenTtlSeconds * 1000).toISOString();
  // Spent on unknown emails too, so timing does not tell which emails exist.
  const decoyHash = passwords.hash('decoy-password');

  async function startSession(user: { id: string; username: string }, meta: ReturnType<typeof requestMetadata>, client: { userAgent?: string; ip?: string }) {
    const sessionId = newId();
    const refresh = mintRefreshToken(sessionId, 0);
    await executor.execute(sessionStreamId(sessionId), sessionDecider, () => ({ type: 'StartSession' as const, sessionId, userId: user.id, tokenHash: refresh.secretHash, expiresAt: expiry() }), meta);
    const signIn = await executor.execute(userStreamId(user.id), userDecider, () => ({ type: 'RecordSignIn' as const, sessionId, ...client }), { ...meta, actor: user.id });
    return { sessionId, refreshToken: refresh.token, accessToken: await tokens.issue(user, sessionId), position: signIn.position };
  }

  return [
    defineRoute({
      method: 'post', path: '/api/auth/register', summary: 'Register a new user', tags: TAGS, auth: 'none', body: registerBody, limit,
      responses: { 201: { description: 'Registered', body: Registered }, 400: 'Invalid body', 409: 'Email or username taken', 429: 'Too many attempts' },
      handler: async (ctx) => {
        const { email, username, password } = ctx.body;
        const userId = newId();
        const meta = { ...requestMetadata(ctx), actor: userId };
        if (!(await claims.claim('username', username, userId, meta))) throw new HttpError(409, 'username_taken', 'That username is taken');
        let outcome;
        try {
          if (!(await claims.claim('email', email, userId, meta))) throw new HttpError(409, 'email_taken', 'That email is already registered');
          const passwordHash = await passwords.hash(password);
          const displayName = ctx.body.displayName ?? username;
          outcome = await executor.execute(userStreamId(userId), userDecider, () => ({ type: 'RegisterUser' as const, userId, email, username, displayName, passwordHash }), meta);
        } catch (error) {
          // Leave nothing half-done: whatever was claimed for this attempt is given back.
          await claims.release('email', email, userId, meta);
          await claims.release('username', username, userId, meta);
          throw error;
        }
        const displayName = ctx.body.displayName ?? username;
        return { status: 201, body: { user: { id: userId, email: email.toLowerCase(), username, displayName }, position: outcome.position } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/login', summary: 'Sign in with email and password', tags: TAGS, auth: 'none', body: loginBody, limit,
      responses: { 200: { description: 'Signed in: access and refresh tokens', body: SignedIn }, 400: 'Invalid body', 401: 'Wrong email or password', 429: 'Too many attempts' },
      handler: async (ctx) => {
        const userId = await claims.holder('email', ctx.body.email);
        if (!userId) {
          await passwords.verify(ctx.body.password, await decoyHash);
          throw INVALID_CREDENTIALS;
        }
        const user = await executor.read(userStreamId(userId), userDecider);
        if (!user.exists || user.erased || !(await passwords.verify(ctx.body.password, user.passwordHash))) throw INVALID_CREDENTIALS;
        const ua = ctx.req.headers['user-agent'];
        const session = await startSession({ id: userId, username: user.username }, requestMetadata(ctx), { ...(ua ? { userAgent: ua.slice(0, 200) } : {}), ...(ctx.req.ip ? { ip: ctx.req.ip } : {}) });
        return {
          body: {
            tokenType: 'Bearer', accessToken: session.accessToken, expiresIn: tokens.ttlSeconds, refreshToken: session.refreshToken,
            user: { id: userId, email: user.email, username: user.username, displayName: user.displayName }, position: session.position,
          },
        };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/refresh', summary: 'Exchange a refresh token for new tokens (rotation; a reused token revokes the session)', tags: TAGS, auth: 'none', body: refreshBody, limit,
      responses: { 200: { description: 'New access and refresh tokens', body: Refreshed }, 400: 'Invalid body', 401: 'Invalid, expired, revoked or reused refresh token', 429: 'Too many attempts' },
      handler: async (ctx) => {
        const presented = parseRefreshToken(ctx.body.refreshToken);
        if (!presented) throw new HttpError(401, 'invalid_refresh_token', 'Invalid refresh token');
        const next = mintRefreshToken(presented.sessionId, presented.generation + 1);
        const streamId = sessionStreamId(presented.sessionId);
        const outcome = await executor.execute(streamId, sessionDecider, () => ({
          type: 'RefreshSession' as const, sessionId: presented.sessionId, generation: presented.generation, presentedHash: hashSecret(presented.secret),
          newTokenHash: next.secretHash, expiresAt: expiry(), now: new Date().toISOString(),
        }), requestMetadata(ctx));
        const event = outcome.events[0] as SessionEvent | undefined;
        if (event?.type === 'SessionRevoked') {
          // The leaked token's family may have live access tokens: they stop working too.
          await tokens.revokeSession(presented.sessionId);
          throw new HttpError(401, 'refresh_token_reused', 'This refresh token was already used: the session has been revoked; sign in again');
        }
        const session = await executor.read(streamId, sessionDecider);
        const user = await executor.read(userStreamId(session.userId), userDecider);
        if (user.erased) throw new HttpError(401, 'invalid_refresh_token', 'This account was erased');
        return {
          body: {
            tokenType: 'Bearer', accessToken: await tokens.issue({ id: session.userId, username: user.username }, presented.sessionId),
            expiresIn: tokens.ttlSeconds, refreshToken: next.token, position: outcome.position,
          },
        };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/logout', summary: 'Sign out: revoke the session of a refresh token (its access tokens stop working within seconds)', tags: TAGS, auth: 'user', body: refreshBody,
      responses: { 200: { description: 'Session revoked', body: Written }, 400: 'Invalid body', 401: 'Not signed in', 404: 'No such session of yours' },
      handler: async (ctx) => {
        const presented = parseRefreshToken(ctx.body.refreshToken);
        if (!presented) throw new HttpError(404, 'session_not_found', 'Session not found');
        const outcome = await executor.execute(sessionStreamId(presented.sessionId), sessionDecider, () => ({ type: 'EndSession' as const, sessionId: presented.sessionId, actorId: ctx.user.id }), requestMetadata(ctx));
        await tokens.revokeSession(presented.sessionId);
        return { body: { position: outcome.position } };
      },
    }),
    defineRoute({
      method: 'patch', path: '/api/auth/me', summary: 'Update your profile', tags: TAGS, auth: 'user', body: profileBody,
      responses: { 200: { description: 'Profile updated', body: Written }, 400: 'Invalid body', 401: 'Not signed in' },
      handler: async (ctx) => {
        const outcome = await executor.execute(userStreamId(ctx.user.id), userDecider, () => ({ type: 'UpdateUserProfile' as const, actorId: ctx.user.id, ...ctx.body }), requestMetadata(ctx));
        return { body: { position: outcome.position } };
      },
    }),
  ];
}
