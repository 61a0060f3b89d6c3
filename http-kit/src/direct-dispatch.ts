/**
 * Requests that need no Express router go from the server straight to the app's front handler
 * (issue 19: Express's `app.handle`, its router and the per-request prototype changes were ~4 % of the
 * mixed workload's CPU). Such a request gets what Express's `app.handle` and router give a request
 * first (the app's request and response prototypes, `req.res`, `res.req`, `baseUrl`, `originalUrl`,
 * `next`); the front handler is the only layer it passes, and a failure goes to the error answer, as
 * the router would send it. Requests for the fixed paths, and those whose target is not a path
 * (absolute-form), take Express's way. The app's server makes its requests and responses with the
 * app's prototypes from the start, so neither way changes an object's prototype per request.
 */
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import type express from 'express';
import type { NextFunction, Request, Response } from 'express';

type ExpressHandle = (req: Request, res: Response, callback?: NextFunction) => void;

export interface DirectDispatch {
  /** The app's first layer: with a request for a fixed path it calls `next()`, otherwise it answers or calls `next(error)`. */
  readonly front: express.RequestHandler;
  readonly isFixedPath: (path: string) => boolean;
  readonly onError: (error: unknown, req: Request, res: Response) => void;
  readonly notFound: (req: Request) => Error;
}

export function dispatchDirectly(app: express.Express, { front, isFixedPath, onError, notFound }: DirectDispatch): void {
  class AppRequest extends IncomingMessage {}
  class AppResponse<R extends IncomingMessage = IncomingMessage> extends ServerResponse<R> {}
  Object.setPrototypeOf(AppRequest.prototype, app.request);
  Object.setPrototypeOf(AppResponse.prototype, app.response);

  const viaExpress = (app as unknown as { handle: ExpressHandle }).handle.bind(app);
  (app as unknown as { handle: ExpressHandle }).handle = (req, res, callback) => {
    if (callback || !req.url.startsWith('/') || isFixedPath(req.url)) return viaExpress(req, res, callback);
    req.res = res;
    res.req = req;
    if (!(req instanceof AppRequest)) Object.setPrototypeOf(req, app.request);
    if (!(res instanceof AppResponse)) Object.setPrototypeOf(res, app.response);
    req.baseUrl = '';
    req.originalUrl = req.url;
    const next: NextFunction = (error?: unknown) => {
      try {
        onError(error ?? notFound(req), req, res);
      } catch (failure) {
        // What Express's final handler does when the error handler fails.
        if (!res.headersSent) res.status(500).end();
        else res.destroy(failure as Error);
      }
    };
    req.next = next;
    try {
      front(req, res, next);
    } catch (error) {
      next(error);
    }
  };

  // Express's `app.listen`, with a server whose requests and responses are made with the app's prototypes.
  app.listen = ((...args: unknown[]) => {
    const server = createServer({ IncomingMessage: AppRequest, ServerResponse: AppResponse }, app);
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      let called = false;
      const done = (...results: unknown[]): void => {
        if (called) return;
        called = true;
        (last as (...a: unknown[]) => void)(...results);
      };
      args[args.length - 1] = done;
      server.once('error', done);
    }
    return server.listen(...(args as Parameters<typeof server.listen>));
  }) as typeof app.listen;
}
