/**
 * The Express application shared by the services: request ids, JSON bodies
 * with a size bound, access logs, declared routes, OpenAPI and docs, health,
 * and the error mapping that turns every failure into a JSON answer.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AccessTokens, Logger, Metrics, OpenSpan } from '@resoft/infra';
import { newId, logFieldsOf, httpServerMetrics } from '@resoft/infra';
import { requestSpan } from './http-request-span.js';
import { docsRouter } from './docs-page.js';
import { securityHeaderSetter } from './security-headers.js';
import { jsonBodyReader } from './json-body.js';
import { dispatchDirectly } from './direct-dispatch.js';
import { HttpError, toHttpError } from './http-errors.js';
import { mountRoutes, type RequestLocals } from './mount-routes.js';
import { buildOpenApiDocument, type OpenApiInfo } from './openapi.js';
import type { RouteSpec } from './route.js';

export interface HealthCheck {
  readonly name: string;
  /** Resolves to a problem description, or null when healthy. */
  readonly check: () => Promise<string | null>;
  /** A problem with a non-critical part (default: critical) leaves the service ready but degraded. */
  readonly critical?: boolean;
}

export interface HttpAppOptions {
  readonly routes: readonly RouteSpec[];
  readonly tokens: AccessTokens;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly readiness: readonly HealthCheck[];
  readonly info: OpenApiInfo;
  /** Express `trust proxy`; false when clients connect directly. */
  readonly trustProxy?: boolean | number | string;
  /** Serves what no route matched before the 404 answer (the all-in-one's browser UI). */
  readonly site?: express.RequestHandler;
  /** Check every answer against its route's documented statuses and body schema (see mountRoutes). */
  readonly validateResponses?: boolean;
  /** Records each request's duration by route template and status (issue 16); none when absent. */
  readonly metrics?: Metrics;
}

const REQUEST_ID = /^[\w.-]{1,64}$/;
/** Each readiness check gets this long; one that has not answered by then counts as a problem, so /readyz answers within 1 s. */
export const READINESS_CHECK_TIMEOUT_MS = 800;

/** A check's problem, or why it failed or did not answer in time. */
async function runCheck(check: HealthCheck): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${READINESS_CHECK_TIMEOUT_MS} ms`), READINESS_CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.check().catch((e: unknown) => (e instanceof Error ? e.message : String(e))), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The paths of the app's own layers (health, readiness, the OpenAPI document, the docs), case-insensitive; a superset of what those layers match. */
const FIXED_PATH = /^\/(healthz|readyz|api\/openapi\.json|api\/docs)/i;
const isFixedPath = (path: string): boolean => FIXED_PATH.test(path);

const notFound = (req: Request): HttpError => new HttpError(404, 'route_not_found', `No route for ${req.method} ${req.path}`);

/** A request's locals: its id, span and a child logger made only when something logs. */
class RequestState implements RequestLocals {
  #log: Logger | undefined;
  constructor(
    readonly requestId: string,
    readonly span: OpenSpan,
    private readonly logger: Logger,
  ) {}

  // The span's ids are bound to the request's logger: no async context carries them to lines logged after an await.
  get log(): Logger {
    return (this.#log ??= this.logger.child({ requestId: this.requestId, ...logFieldsOf(this.span) }));
  }

  set log(value: Logger) {
    this.#log = value;
  }
}

export function createHttpApp(options: HttpAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', options.trustProxy ?? false);
  const openApi = buildOpenApiDocument(options.routes, options.info);
  const observeRequest = options.metrics ? httpServerMetrics(options.metrics) : null;

  // Whether the access log is on is known at start-up (the level is configuration): with it off, as in
  // production at warn, a request costs no log line's object, and its child logger is made only if used.
  const accessLog = options.logger.isLevelEnabled('info');
  const setSecurityHeaders = securityHeaderSetter();
  const readBody = jsonBodyReader(options.maxBodyBytes);
  const routes = mountRoutes(options.routes, options.tokens, { validateResponses: options.validateResponses ?? false });
  const site = options.site;

  /** The request's id, span, logger, metrics and security headers: the first thing every request gets. */
  const begin = (req: Request, res: Response): void => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : newId();
    const span = requestSpan(req, res, requestId);
    const locals = new RequestState(requestId, span, options.logger);
    res.locals = locals;
    res.setHeader('X-Request-Id', requestId);
    if (accessLog || observeRequest) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (accessLog) locals.log.info({ method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
        // The route template, not the path: ids in paths would make a label value per resource.
        observeRequest?.({ method: req.method, route: req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched', status: res.statusCode, seconds: ms / 1000 });
      });
    }
    // The span is not made current (span.run): handlers get it as ctx.span and hand it on, and the logger has its ids bound.
    setSecurityHeaders(res);
  };

  // One front handler instead of a router layer per concern (issue 19: Express's router was ~3 % of the
  // mixed workload's CPU): every request gets its id, span and headers here, and a request for any
  // path but the fixed ones below (health, readiness, the OpenAPI document, the docs) is read, routed
  // and, when no route takes it, handed to the site and the 404 answer here too, in the same order as
  // the layers after it, which only the fixed paths reach.
  const front = (req: Request, res: Response, next: NextFunction): void => {
    begin(req, res);
    if (isFixedPath(req.path)) return next();
    readBody(req, res, (bodyError?: unknown) => {
      if (bodyError) return next(bodyError);
      void routes(req, res, (routeError?: unknown) => {
        if (routeError) return next(routeError);
        if (site) void site(req, res, (siteError?: unknown) => next(siteError ?? notFound(req)));
        else next(notFound(req));
      });
    });
  };
  app.use(front);
  dispatchDirectly(app, { front, isFixedPath, onError: answerError, notFound });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      options.readiness.map(async (h) => ({ name: h.name, critical: h.critical !== false, problem: await runCheck(h) })),
    );
    const problems = results.filter((r) => r.problem !== null);
    const unavailable = problems.some((r) => r.critical);
    res.status(unavailable ? 503 : 200).json({
      status: unavailable ? 'unavailable' : problems.length ? 'degraded' : 'ready',
      checks: Object.fromEntries(results.map((r) => [r.name, r.problem ?? 'ok'])),
    });
  });
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/api/docs', docsRouter('/api/docs', '/api/openapi.json'));

  // Only requests for the fixed paths above reach these layers (see the front handler).
  app.use(readBody);
  app.use(routes);
  if (site) app.use(site);

  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(notFound(req));
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => answerError(error, req, res));
  return app;
}

/** The error answer: the shared ErrorBody with the request's id; a failure that is no HttpError is logged and answered 500. */
function answerError(error: unknown, _req: Request, res: Response): void {
  const locals = res.locals as RequestLocals;
  const httpError = toHttpError(error);
  if (!httpError) locals.log.error({ err: error }, 'unexpected failure');
  const answer = httpError ?? new HttpError(500, 'internal_error', 'Something went wrong on our side; it has been logged');
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  res.status(answer.status).json({
    error: { code: answer.code, message: answer.message, ...(answer.fields ? { fields: answer.fields } : {}), requestId: locals.requestId },
  });
}
