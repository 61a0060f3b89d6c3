/**
 * Starts the OpenTelemetry SDK for one process: spans are batched and exported over OTLP
 * (http/protobuf) to the configured receiver, W3C trace context is the propagation format and
 * AsyncLocalStorage carries the current span across awaits. Without a configuration nothing is
 * loaded: the SDK modules are imported only here, on demand, and the API stays the no-op one.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import type { Sampler } from '@opentelemetry/sdk-trace';
import { setTracingOn } from './trace-context.js';
import type { TracingConfig } from './tracing-config.js';

export interface RunningTracing {
  /** Whether an exporter runs in this process. */
  readonly exporting: boolean;
  /** Sends the spans still buffered (tests and shutdown call it); harmless when tracing is off. */
  flush(): Promise<void>;
  /** Flushes, then stops exporting; later spans are no-ops. */
  shutdown(): Promise<void>;
}

const OFF: RunningTracing = { exporting: false, flush: async () => undefined, shutdown: async () => undefined };

let running: RunningTracing | null = null;

async function samplerFor(config: TracingConfig): Promise<Sampler> {
  const sdk = await import('@opentelemetry/sdk-trace');
  const root = (name: string): Sampler =>
    name.endsWith('always_off') ? new sdk.AlwaysOffSampler() : name.endsWith('traceidratio') ? new sdk.TraceIdRatioBasedSampler(config.samplerRatio) : new sdk.AlwaysOnSampler();
  return config.sampler.startsWith('parentbased_') ? new sdk.ParentBasedSampler({ root: root(config.sampler) }) : root(config.sampler);
}

/**
 * Registers the exporter once per process (a second call returns the first one's handle); with a
 * null configuration returns a handle that does nothing and registers nothing.
 */
export async function startTracing(config: TracingConfig | null, defaultServiceName: string): Promise<RunningTracing> {
  if (!config) return OFF;
  if (running) return running;
  const [sdk, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { resourceFromAttributes }, { OTLPTraceExporter }] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/exporter-trace-otlp-proto'),
  ]);
  const provider = new sdk.TracerProvider({
    sampler: await samplerFor(config),
    resource: resourceFromAttributes({ 'service.name': config.serviceName ?? defaultServiceName }),
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: config.tracesUrl }), scheduledDelayMillis: 500 })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  setTracingOn(true);
  const handle: RunningTracing = {
    exporting: true,
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      setTracingOn(false);
      if (running === handle) running = null;
      await provider.shutdown();
      // Unregistered, so a later start in the same process (tests) can register again.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  running = handle;
  return handle;
}
