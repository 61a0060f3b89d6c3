/**
 * The `Metrics` port on prom-client: one registry per process, with Node's own metrics (event-loop
 * delay, heap, GC, CPU) collected by prom-client's defaults, and the Prometheus text exposition
 * that the /metrics listener serves.
 */
import client from 'prom-client';
import { DURATION_BUCKETS_SECONDS, type CounterMetric, type GaugeMetric, type GaugeSample, type HistogramMetric, type HistogramSpec, type MetricLabels, type MetricSpec, type Metrics } from './metrics.js';

type Reader = () => Promise<readonly GaugeSample[]> | readonly GaugeSample[];

export interface PrometheusMetricsOptions {
  /** Labels on every sample of this process (e.g. `service`). */
  readonly defaultLabels?: Readonly<Record<string, string>>;
  /** Node's process metrics (event-loop delay, heap, GC); default true. */
  readonly nodeMetrics?: boolean;
}

export class PrometheusMetrics implements Metrics {
  readonly registry = new client.Registry();
  private readonly counters = new Map<string, client.Counter>();
  private readonly histograms = new Map<string, client.Histogram>();
  private readonly gauges = new Map<string, client.Gauge>();
  private readonly readers = new Map<string, Reader[]>();

  constructor(options: PrometheusMetricsOptions = {}) {
    if (options.defaultLabels) this.registry.setDefaultLabels({ ...options.defaultLabels });
    // 10 ms resolution is what the event-loop delay alert needs; the monitor's own cost is negligible at it.
    if (options.nodeMetrics ?? true) client.collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition of every metric, read gauges included. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  counter(spec: MetricSpec): CounterMetric {
    let counter = this.counters.get(spec.name);
    if (!counter) {
      counter = new client.Counter({ name: spec.name, help: spec.help, labelNames: [...(spec.labelNames ?? [])], registers: [this.registry] });
      this.counters.set(spec.name, counter);
    }
    const c = counter;
    return { add: (value = 1, labels) => (labels ? c.inc(labels, value) : c.inc(value)) };
  }

  histogram(spec: HistogramSpec): HistogramMetric {
    let histogram = this.histograms.get(spec.name);
    if (!histogram) {
      histogram = new client.Histogram({
        name: spec.name, help: spec.help, labelNames: [...(spec.labelNames ?? [])], buckets: [...(spec.buckets ?? DURATION_BUCKETS_SECONDS)], registers: [this.registry],
      });
      this.histograms.set(spec.name, histogram);
    }
    const h = histogram;
    return { record: (value, labels) => (labels ? h.observe(labels, value) : h.observe(value)) };
  }

  gauge(spec: MetricSpec): GaugeMetric {
    const g = this.gaugeNamed(spec);
    return { set: (value, labels) => (labels ? g.set(labels, value) : g.set(value)) };
  }

  observe(spec: MetricSpec, read: Reader): void {
    const readers = this.readers.get(spec.name);
    if (readers) {
      readers.push(read);
      return;
    }
    const all: Reader[] = [read];
    this.readers.set(spec.name, all);
    this.gaugeNamed(spec, async function collect(this: client.Gauge) {
      const results = await Promise.allSettled(all.map(async (reader) => reader()));
      this.reset();
      for (const result of results) {
        if (result.status !== 'fulfilled') continue;
        for (const sample of result.value) {
          if (sample.labels) this.set(sample.labels as MetricLabels & client.LabelValues<string>, sample.value);
          else this.set(sample.value);
        }
      }
    });
  }

  private gaugeNamed(spec: MetricSpec, collect?: (this: client.Gauge) => Promise<void>): client.Gauge {
    let gauge = this.gauges.get(spec.name);
    if (!gauge) {
      gauge = new client.Gauge({ name: spec.name, help: spec.help, labelNames: [...(spec.labelNames ?? [])], registers: [this.registry], ...(collect ? { collect } : {}) });
      this.gauges.set(spec.name, gauge);
    }
    return gauge;
  }
}
