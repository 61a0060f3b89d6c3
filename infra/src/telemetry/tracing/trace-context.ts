/**
 * The tracing port: what services call to open spans and carry a trace between processes, as W3C
 * `traceparent` strings (in event metadata, bus record headers and HTTP headers). Nothing here names
 * the tracing library to callers. Until `startTracing` registered an exporter every function is a
 * plain call-through (no span object, no context switch), so tracing off costs a boolean test.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';

export type SpanRole = 'server' | 'client' | 'producer' | 'consumer' | 'internal';
export type SpanAttributes = Readonly<Record<string, string | number | boolean | undefined>>;

export interface SpanOptions {
  readonly role?: SpanRole;
  readonly attributes?: SpanAttributes;
  /**
   * The `traceparent` this span continues (a stored event's, a bus record's). Undefined: the span
   * that is current here, if any. Null: a new trace.
   */
  readonly parent?: string | null;
}

/** A span opened by hand, for work that does not fit one function call (an HTTP request, a group of bus records). */
export interface OpenSpan {
  /** This span as a `traceparent`, for children in other processes; undefined when tracing is off. */
  readonly traceparent: string | undefined;
  setAttributes(attributes: SpanAttributes): void;
  rename(name: string): void;
  /** Runs `fn` with this span current, so spans and traceparents made inside are its children. */
  run<T>(fn: () => T): T;
  end(error?: unknown): void;
}

const ROLES: Record<SpanRole, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
  internal: SpanKind.INTERNAL,
};

let tracingOn = false;

/** Called by `startTracing` once the exporter is registered (and with false on shutdown). */
export function setTracingOn(on: boolean): void {
  tracingOn = on;
}

export function isTracingOn(): boolean {
  return tracingOn;
}

const tracer = () => trace.getTracer('resoft');

/** The context a stored or received `traceparent` names; the root context when it is absent or malformed. */
function contextOf(parent: string | null | undefined): Context {
  if (parent === undefined) return context.active();
  if (parent === null) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent: parent });
}

function clean(attributes: SpanAttributes | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(attributes ?? {})) if (value !== undefined) out[key] = value;
  return out;
}

function endWith(span: Span, error: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

function traceparentOf(span: Span): string | undefined {
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (!trace.isSpanContextValid(span.spanContext())) return undefined;
  return `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`;
}

const OFF: OpenSpan = {
  traceparent: undefined,
  setAttributes: () => undefined,
  rename: () => undefined,
  run: (fn) => fn(),
  end: () => undefined,
};

/** Opens a span to be ended by the caller. */
export function openSpan(name: string, options: SpanOptions = {}): OpenSpan {
  if (!tracingOn) return OFF;
  const parentContext = contextOf(options.parent);
  const span = tracer().startSpan(name, { kind: ROLES[options.role ?? 'internal'], attributes: clean(options.attributes) }, parentContext);
  const spanContext = trace.setSpan(parentContext, span);
  return {
    traceparent: traceparentOf(span),
    setAttributes: (attributes) => span.setAttributes(clean(attributes)),
    rename: (newName) => span.updateName(newName),
    run: (fn) => context.with(spanContext, fn),
    end: (error) => endWith(span, error),
  };
}

/**
 * Runs `fn` inside a span that ends when `fn` returns or its promise settles; a throw or rejection
 * marks the span as failed and goes on to the caller unchanged.
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: () => T): T {
  if (!tracingOn) return fn();
  const span = openSpan(name, options);
  let result: T;
  try {
    result = span.run(fn);
  } catch (error) {
    span.end(error);
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        span.end(error);
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

/** The current span as a `traceparent` (to store in an event's metadata or send on); undefined outside a span or with tracing off. */
export function currentTraceparent(): string | undefined {
  if (!tracingOn) return undefined;
  const span = trace.getActiveSpan();
  return span ? traceparentOf(span) : undefined;
}

/** `trace_id` and `span_id` of the current span for a log line (snake case, as OpenTelemetry's log correlation names them); empty outside a span. */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  if (!tracingOn) return {};
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
