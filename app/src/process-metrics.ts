/**
 * Each process's metrics (issue 16): one registry labelled with the process's role, the free space
 * of the data directory, and — when RESOFT_METRICS_PORT is set — the /metrics listener Prometheus
 * scrapes. The listener is apart from the API, unauthenticated, and bound to RESOFT_METRICS_HOST.
 */
import { PrometheusMetrics, listenForMetrics, observeDataDirSpace, type Logger, type MetricsListener } from '@resoft/infra';
import { type Config } from './app-config.js';

export function processMetrics(config: Config, service: string): PrometheusMetrics {
  const metrics = new PrometheusMetrics({ defaultLabels: { service } });
  observeDataDirSpace(metrics, config.dataDir);
  return metrics;
}

/** Started last, once the process is up: a start-up that fails leaves no listener behind. Null when no port is configured. */
export async function serveMetrics(metrics: PrometheusMetrics, config: Config, logger: Logger): Promise<MetricsListener | null> {
  if (config.metrics.port === null) return null;
  return listenForMetrics(metrics, { port: config.metrics.port, host: config.metrics.host }, (error) => logger.warn({ err: error }, 'collecting metrics for a scrape failed'));
}
