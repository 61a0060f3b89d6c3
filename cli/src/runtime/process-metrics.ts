/**
 * Each process's metrics (issue 16): one registry labelled with the process's role, the free space
 * of the data directory, and — when RESOFT_METRICS_PORT is set — the /metrics listener Prometheus
 * scrapes. The listener is apart from the API, unauthenticated, and bound to RESOFT_METRICS_HOST.
 */
import { PrometheusMetrics, listenForMetrics, observeDataDirSpace, type Config, type Logger, type MetricsListener } from '@resoft/infra';

export interface ProcessMetrics {
  readonly metrics: PrometheusMetrics;
  /** Null when no metrics port is configured. */
  readonly listener: MetricsListener | null;
}

export async function startProcessMetrics(config: Config, service: string, logger: Logger): Promise<ProcessMetrics> {
  const metrics = new PrometheusMetrics({ defaultLabels: { service } });
  observeDataDirSpace(metrics, config.dataDir);
  if (config.metrics.port === null) return { metrics, listener: null };
  const listener = await listenForMetrics(metrics, { port: config.metrics.port, host: config.metrics.host }, (error) => logger.warn({ err: error }, 'collecting metrics for a scrape failed'));
  return { metrics, listener };
}
