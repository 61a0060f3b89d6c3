/**
 * Starts the OpenTelemetry SDK for one process: spans are batched and exported over OTLP
 * (http/protobuf) to the configured receiver. No context manager and no propagator are registered:
 * callers hand parents on explicitly and `trace-context.ts` reads and writes W3C `traceparent` itself,
 * and takes the sampling decision before it asks the SDK for a span (so the SDK samples everything
 * it is asked for). Without a configuration nothing is loaded: the SDK modules are imported only
 * here, on demand, and the API stays the no-op one.
 */
import { trace } from '@opentelemetry/api';
import { setSampling } from './trace-context.js';
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

/**
 * Registers the exporter once per process (a second call returns the first one's handle); with a
 * null configuration returns a handle that does nothing and registers nothing.
 */
export async function startTracing(config: TracingConfig | null, defaultServiceName: string): Promise<RunningTracing> {
  if (!config) return OFF;
  if (running) return running;
  const [sdk, { resourceFromAttributes }, { OTLPTraceExporter }] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/exporter-trace-otlp-proto'),
  ]);
  const provider = new sdk.TracerProvider({
    sampler: new sdk.AlwaysOnSampler(),
    resource: resourceFromAttributes({ 'service.name': config.serviceName ?? defaultServiceName }),
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: config.tracesUrl }), scheduledDelayMillis: 500 })],
  });
  trace.setGlobalTracerProvider(provider);
  setSampling({ sampler: config.sampler, ratio: config.samplerRatio });
  const handle: RunningTracing = {
    exporting: true,
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      setSampling(null);
      if (running === handle) running = null;
      await provider.shutdown();
      // Unregistered, so a later start in the same process (tests) can register again.
      trace.disable();
    },
  };
  running = handle;
  return handle;
}
