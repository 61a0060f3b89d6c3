/**
 * The check, on with `RESOFT_VALIDATE_RESPONSES` (every test server), that a route answers what its
 * declaration documents: a documented status, a JSON body that matches its schema, and a
 * Content-Type among the declared media types. A violation becomes a 500
 * `response_contract_violation` naming the difference, so the OpenAPI document cannot drift from
 * what the server answers.
 */
import type { Response } from 'express';
import { HttpError } from './http-errors.js';
import { JsonText } from './json-text.js';
import { responseBodySchema, responseMediaTypes, type RouteSpec } from './route.js';

const where = (route: RouteSpec): string => `${route.method.toUpperCase()} ${route.path}`;

/** The media type of a Content-Type header, without parameters (`text/csv; charset=utf-8` → `text/csv`). */
const mediaTypeOf = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();

/** The status and JSON body a handler returned: documented, and matching the documented schema? */
export function bodyViolation(route: RouteSpec, status: number, body: unknown): HttpError | null {
  const documented = route.responses[status];
  if (documented === undefined) return statusViolation(route, status);
  const schema = responseBodySchema(documented);
  if (!schema || body === undefined) return null;
  const checked = schema.safeParse(body instanceof JsonText ? JSON.parse(body.text) : body);
  if (checked.success) return null;
  const problems = checked.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
  return new HttpError(500, 'response_contract_violation', `${where(route)} answered ${status} with a body that does not match its documented schema: ${problems}`);
}

function statusViolation(route: RouteSpec, status: number): HttpError {
  return new HttpError(500, 'response_contract_violation', `${where(route)} answered ${status}, which its route does not document (documented: ${Object.keys(route.responses).join(', ')})`);
}

/** The status and Content-Type an answer is about to send: documented? An answer without a body has no Content-Type to check. */
export function headViolation(route: RouteSpec, status: number, contentType: string | undefined): HttpError | null {
  // A conditional GET's 304 is HTTP's answer (Express makes it from the ETag), not the route's.
  if (status === 304) return null;
  const documented = route.responses[status];
  if (documented === undefined) return statusViolation(route, status);
  if (status >= 400 || contentType === undefined) return null;
  const declared = responseMediaTypes(documented);
  if (declared.includes(mediaTypeOf(contentType))) return null;
  return new HttpError(500, 'response_contract_violation', `${where(route)} answered ${status} as ${mediaTypeOf(contentType)}, which its route does not document (documented: ${declared.join(', ') || 'no body'})`);
}

type HeaderArgument = Record<string, string | number | readonly string[]> | readonly string[] | undefined;

/** The Content-Type among the headers given to `writeHead` itself (an object, or a flat name/value list). */
function contentTypeIn(headers: HeaderArgument): string | undefined {
  if (!headers) return undefined;
  if (Array.isArray(headers)) {
    const list = headers as readonly string[];
    const at = list.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === 'content-type');
    return at >= 0 ? list[at + 1] : undefined;
  }
  const found = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type');
  return found ? String(found[1]) : undefined;
}

const headerText = (value: ReturnType<Response['getHeader']>): string | undefined => (value === undefined ? undefined : String(value));

/**
 * Watches an answer the handler writes itself (a download, an event stream, `res.send`) and checks its
 * head on the first write, before a byte goes out. A wrong head is answered as a 500 naming the
 * difference, and what the handler writes after it is dropped (its writes succeed, so a streaming
 * handler runs to its end instead of waiting for a drain that never comes). Returns the function that
 * stops watching, for the error handler's own answer.
 */
export function watchAnswerHead(route: RouteSpec, res: Response, requestId: string, onViolation: (violation: HttpError) => void): () => void {
  const originals = { writeHead: res.writeHead, write: res.write, end: res.end, flushHeaders: res.flushHeaders, setHeader: res.setHeader };
  let watching = true;
  const stop = (): void => {
    if (!watching) return;
    watching = false;
    Object.assign(res, originals);
  };

  /** Drops the handler's further output: the violation answer is already out. */
  const drop = (): void => {
    const done = (...args: unknown[]): void => {
      const callback = args.find((a): a is () => void => typeof a === 'function');
      if (callback) process.nextTick(callback);
    };
    res.write = ((...args: unknown[]) => { done(...args); return true; }) as Response['write'];
    res.end = ((...args: unknown[]) => { done(...args); return res; }) as Response['end'];
    res.writeHead = (() => res) as unknown as Response['writeHead'];
    res.flushHeaders = () => undefined;
    res.setHeader = (() => res) as Response['setHeader'];
  };

  /** Checks the head about to go out; true when it may go. */
  const headMayGo = (contentType: string | undefined): boolean => {
    const violation = headViolation(route, res.statusCode, contentType);
    stop();
    if (!violation) return true;
    onViolation(violation);
    for (const name of ['content-type', 'content-length', 'content-disposition', 'content-encoding']) res.removeHeader(name);
    res.statusCode = 500;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ error: { code: violation.code, message: violation.message, requestId } }));
    drop();
    return false;
  };

  const contentTypeNow = (): string | undefined => headerText(res.getHeader('content-type'));
  res.writeHead = function writeHead(this: Response, status: number, ...rest: unknown[]) {
    res.statusCode = status;
    const headers = rest.find((r) => typeof r === 'object') as HeaderArgument;
    if (!headMayGo(contentTypeIn(headers) ?? contentTypeNow())) return res;
    return originals.writeHead.call(res, status, ...(rest as [])) as Response;
  } as Response['writeHead'];
  res.write = function write(this: Response, ...args: unknown[]) {
    if (!res.headersSent && !headMayGo(contentTypeNow())) return true;
    return (res.write as (...a: unknown[]) => boolean)(...args);
  } as Response['write'];
  res.end = function end(this: Response, ...args: unknown[]) {
    if (!res.headersSent && !headMayGo(contentTypeNow())) return res;
    return (res.end as (...a: unknown[]) => Response)(...args);
  } as Response['end'];
  res.flushHeaders = function flushHeaders(this: Response) {
    if (!res.headersSent && !headMayGo(contentTypeNow())) return;
    res.flushHeaders();
  };
  return stop;
}
