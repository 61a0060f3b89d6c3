/**
 * The /metrics listener: a plain HTTP server apart from the API, so the API's OpenAPI document and
 * authorization stay as they are and an operator can bind it to a private interface only
 * (RESOFT_METRICS_HOST) for Prometheus to scrape. It answers GET /metrics and nothing else.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exposition {
  readonly contentType: string;
  exposition(): Promise<string>;
}

export interface MetricsListener {
  readonly port: number;
  close(): Promise<void>;
}

export async function listenForMetrics(metrics: Exposition, options: { readonly port: number; readonly host: string }, onError: (error: unknown) => void = () => undefined): Promise<MetricsListener> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /metrics is served here\n');
      return;
    }
    metrics.exposition().then(
      (body) => res.writeHead(200, { 'content-type': metrics.contentType }).end(req.method === 'HEAD' ? undefined : body),
      (error: unknown) => {
        onError(error);
        res.writeHead(500, { 'content-type': 'text/plain' }).end('The metrics could not be collected; see the log\n');
      },
    );
  });
  // Scrapes are short: an idle keep-alive socket must not hold a stop.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
