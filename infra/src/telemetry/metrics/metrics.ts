/**
 * The metrics port: code that measures something asks a `Metrics` registry for a counter, a
 * histogram or a gauge by name, and records into it. The registry is made once per process by the
 * entry file and passed down like the logger, so nothing below knows which exporter serves it.
 * Names and units follow the OpenTelemetry semantic conventions as Prometheus spells them
 * (`http_server_request_duration_seconds`, labels `http_route`, …); ours start with `resoft_`.
 */

export type MetricLabels = Readonly<Record<string, string | number>>;

export interface MetricSpec {
  /** Prometheus name, unit last (`_seconds`, `_bytes`), counters ending in `_total`. */
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
}

export interface HistogramSpec extends MetricSpec {
  /** Upper bounds of the buckets; default: the OpenTelemetry duration buckets in seconds. */
  readonly buckets?: readonly number[];
}

export interface CounterMetric {
  add(value?: number, labels?: MetricLabels): void;
}

export interface HistogramMetric {
  record(value: number, labels?: MetricLabels): void;
}

export interface GaugeMetric {
  set(value: number, labels?: MetricLabels): void;
}

/** One sample of a gauge read at scrape time. */
export interface GaugeSample {
  readonly labels?: MetricLabels;
  readonly value: number;
}

export interface Metrics {
  /** The same name asked twice gives the same metric (two parts of one process may share it). */
  counter(spec: MetricSpec): CounterMetric;
  histogram(spec: HistogramSpec): HistogramMetric;
  gauge(spec: MetricSpec): GaugeMetric;
  /**
   * A gauge whose samples `read` gives at each scrape (a lag, a queue depth, free disk). Several
   * readers of one name add their samples; a reader that fails contributes none for that scrape.
   */
  observe(spec: MetricSpec, read: () => Promise<readonly GaugeSample[]> | readonly GaugeSample[]): void;
}

/** OpenTelemetry's default explicit buckets for durations, in seconds. */
export const DURATION_BUCKETS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** Seconds since a `process.hrtime.bigint()` reading. */
export const secondsSince = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e9;

const nothing = { add: () => undefined, record: () => undefined, set: () => undefined };

/** A registry that records nothing: the default for parts built without one (tests, command-line tools). */
export const discardMetrics: Metrics = {
  counter: () => nothing,
  histogram: () => nothing,
  gauge: () => nothing,
  observe: () => undefined,
};
