/** Mounts declared routes (dispatched by route-table.ts): authentication, validation of params, query and body, the route's consistency wait and guard, then the handler. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AccessTokens, AuthenticatedUser, Logger, OpenSpan } from '@resoft/infra';
import { HttpError, validationError } from './http-errors.js';
import { JsonText } from './json-text.js';
import { bodyViolation, watchAnswerHead } from './response-contract.js';
import type { RouteSpec } from './route.js';
import { routeTable } from './route-table.js';

export interface RequestLocals {
  requestId: string;
  log: Logger;
  /** The request's server span (tracing); absent on apps that are not made by createHttpApp. */
  span?: OpenSpan;
}

const BEARER = /^Bearer\s+(\S+)$/i;

async function authenticate(req: Request, tokens: AccessTokens): Promise<AuthenticatedUser> {
  const match = BEARER.exec(req.headers.authorization ?? '');
  if (!match?.[1]) throw new HttpError(401, 'unauthenticated', 'Sign in first: send an access token as "Authorization: Bearer <token>"');
  const user = await tokens.verify(match[1]);
  if (!user) throw new HttpError(401, 'invalid_token', 'The access token is invalid or expired');
  return user;
}

function parse(schema: RouteSpec['body'], value: unknown, where: 'body' | 'query' | 'params'): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

export interface MountOptions {
  /** Check every answer against its route's declaration (see response-contract.ts): on in the test suites. */
  readonly validateResponses: boolean;
}

/**
 * A JSON answer written in one `end` with its length, as Express's `res.json` would write it (same
 * status, Content-Type and Content-Length; no body for HEAD) without its settings look-ups, charset
 * parsing and copy of the text into a Buffer: the header and the body go out in one write.
 */
function sendJson(req: Request, res: Response, status: number, body: string | Buffer): void {
  res.statusCode = status;
  res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  res.setHeader('Content-Length', typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function mountRoutes(routes: readonly RouteSpec[], tokens: AccessTokens, options: MountOptions = { validateResponses: false }): RequestHandler {
  return routeTable(routes, (route) => async (req: Request, res: Response, next: NextFunction) => {
    let stopWatching = (): void => undefined;
    try {
      const locals = res.locals as RequestLocals;
      await route.limit?.(req);
      const user = route.auth === 'user' ? await authenticate(req, tokens) : null;
      const params = parse(route.params, req.params, 'params');
      const query = parse(route.query, req.query, 'query');
      const body = parse(route.body, req.body ?? undefined, 'body');
      locals.span?.rename(`${route.method.toUpperCase()} ${route.path}`);
      if (options.validateResponses) {
        stopWatching = watchAnswerHead(route, res, locals.requestId, (violation) => locals.log.error({ code: violation.code }, violation.message));
      }
      // The request's span goes to the handler as ctx.span, to hand on to the spans it opens (no async context carries it).
      // `log` is read through: the request's child logger is made only when a handler logs.
      const ctx = { params, query, body, user, requestId: locals.requestId, get log() { return locals.log; }, req, res, span: locals.span } as never;
      // The wait comes first: a guard reading the membership the client has just been granted must see it.
      await route.consistency?.(ctx);
      await route.guard?.(ctx);
      const result = await route.handler(ctx);
      if (res.headersSent) return;
      if (result.headers) for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
      const status = result.status ?? 200;
      if (options.validateResponses) {
        const violation = bodyViolation(route, status, result.body);
        if (violation) throw violation;
      }
      if (result.body === undefined) res.status(status).end();
      else if (result.body instanceof JsonText) sendJson(req, res, status, result.body.bytes);
      // A handler that set its own Content-Type keeps Express's handling of it (charset added).
      else if (res.hasHeader('Content-Type')) res.status(status).json(result.body);
      else sendJson(req, res, status, JSON.stringify(result.body));
    } catch (error) {
      // The error handler's answer is the shared ErrorBody, not the route's: no longer watched.
      stopWatching();
      next(error);
    }
  });
}
