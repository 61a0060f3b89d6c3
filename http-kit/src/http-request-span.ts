/**
 * The server span of one HTTP request. It continues the caller's `traceparent` header (a browser or
 * another service that keeps the trace of one user action), ends when the answer is sent, and is
 * named after the matched route by `mountRoutes`. Answers carry `traceresponse` (W3C Trace Context
 * level 2) so a client can send the same trace on with its next request, e.g. the `?after=` read
 * that waits for this write.
 */
import type { Request, Response } from 'express';
import { isTracingOn, openSpan, type OpenSpan } from '@resoft/infra';

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** Opens the request's span (a no-op handle with tracing off) and ends it when the response finishes. */
export function requestSpan(req: Request, res: Response, requestId: string): OpenSpan {
  if (!isTracingOn()) return openSpan('');
  const header = req.headers.traceparent;
  const parent = typeof header === 'string' && TRACEPARENT.test(header) ? header : null;
  const span = openSpan(`${req.method} ${req.path}`, {
    role: 'server',
    parent,
    attributes: () => ({ 'http.request.method': req.method, 'url.path': req.path, 'resoft.correlation_id': requestId }),
  });
  // An unsampled request costs no more: no name, header or listener.
  if (!span.recorded) return span;
  res.setHeader('traceresponse', span.traceparent!);
  res.on('finish', () => {
    span.setAttributes({ 'http.response.status_code': res.statusCode });
    span.end(res.statusCode >= 500 ? new Error(`answered ${res.statusCode}`) : undefined);
  });
  return span;
}
