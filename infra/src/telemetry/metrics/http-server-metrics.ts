/**
 * RED metrics of the HTTP API after the OpenTelemetry HTTP server conventions: one duration
 * histogram labelled by method, route template (never the raw path, which would explode the label
 * set) and status code; its count is the request rate and the 5xx share the error rate.
 */
import type { Metrics } from './metrics.js';

export type HttpRequestObserver = (request: { method: string; route: string; status: number; seconds: number }) => void;

export function httpServerMetrics(metrics: Metrics): HttpRequestObserver {
  const duration = metrics.histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests, by method, route template and status code.',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
  });
  return ({ method, route, status, seconds }) => duration.record(seconds, { http_request_method: method, http_route: route, http_response_status_code: status });
}
