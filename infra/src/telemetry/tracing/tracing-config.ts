/** What `startTracing` needs, read from the standard OTEL_* variables by the configuration module. */

/** The OpenTelemetry sampler names (OTEL_TRACES_SAMPLER). */
export const SAMPLER_NAMES = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

export interface TracingConfig {
  /** Where spans go: OTLP over HTTP with protobuf, the full traces URL (…/v1/traces). */
  readonly tracesUrl: string;
  /** OTEL_SERVICE_NAME, when set; otherwise each process names itself (resoft-command, resoft-query, …). */
  readonly serviceName: string | undefined;
  readonly sampler: SamplerName;
  /** The ratio of the ratio samplers (OTEL_TRACES_SAMPLER_ARG), 0–1. */
  readonly samplerRatio: number;
}
