/**
 * The tracing port: what services call to open spans and carry a trace between processes, as W3C
 * `traceparent` strings (in event metadata, bus record headers and HTTP headers). Nothing here names
 * the tracing library to callers.
 *
 * The parent of a span is passed explicitly (an `OpenSpan`, a `traceparent` string, or null for a new
 * trace); no async context manager runs, because on Node 20 AsyncLocalStorage hooks every promise of
 * the process and cost +27 % CPU per write even with 10 % sampling. The sampling decision is taken
 * here, before any library call: an unsampled trace (and tracing off) gets one shared no-op handle, so
 * it costs a few comparisons: no span object, no attribute object built (attributes may be passed as a
 * function, called only for a recorded span), no context switch.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { SamplerName } from './tracing-config.js';

export type SpanRole = 'server' | 'client' | 'producer' | 'consumer' | 'internal';
export type SpanAttributes = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * Where a span continues: a span of this process, a `traceparent` received from another one (a
 * stored event's, a bus record's, an HTTP header), null for a new trace; undefined means the span
 * that `run` made current in the synchronous code around the call, if any, else a new trace.
 */
export type TraceParent = OpenSpan | string | null | undefined;

export interface SpanOptions {
  readonly role?: SpanRole;
  /** Attributes, or a function that builds them: called only when the span is recorded. */
  readonly attributes?: SpanAttributes | (() => SpanAttributes);
  readonly parent?: TraceParent;
}

/** A span opened by hand, for work that does not fit one function call (an HTTP request, a group of bus records). */
export interface OpenSpan {
  /** This span as a `traceparent`, for children in other processes; undefined when it is not recorded. */
  readonly traceparent: string | undefined;
  /** Whether the span is recorded (tracing on and the trace sampled); children of an unrecorded span are not recorded either. */
  readonly recorded: boolean;
  setAttributes(attributes: SpanAttributes): void;
  rename(name: string): void;
  /**
   * Runs `fn` with this span current for its synchronous part (spans opened there with no parent are
   * its children, log lines carry its ids). Work after an await must be handed the span explicitly.
   */
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

/** How traces are chosen (OTEL_TRACES_SAMPLER and its argument), set by `startTracing`. */
export interface SamplingRule {
  readonly sampler: SamplerName;
  readonly ratio: number;
}

let rule: SamplingRule | null = null;
/** The span `run` made current; restored before `run` returns, so it never leaks across an await. */
let current: OpenSpan | null = null;

/** Called by `startTracing` once the exporter is registered (and with null on shutdown). */
export function setSampling(next: SamplingRule | null): void {
  rule = next;
}

export function isTracingOn(): boolean {
  return rule !== null;
}

const NOT_RECORDED: OpenSpan = {
  traceparent: undefined,
  recorded: false,
  setAttributes: () => undefined,
  rename: () => undefined,
  run<T>(fn: () => T): T {
    const before = current;
    current = NOT_RECORDED;
    try {
      return fn();
    } finally {
      current = before;
    }
  },
  end: () => undefined,
};

const TRACEPARENT = /^00-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/;
const INVALID_TRACE = /^0+$/;

/** The ratio samplers keep a trace when the low 32 bits of its id fall under the ratio, so every process decides alike. */
const underRatio = (traceId: string, ratio: number): boolean => parseInt(traceId.slice(-8), 16) / 0x1_0000_0000 < ratio;

/** The root rule: a trace that has no parent (or whose parent's decision a non-parent-based sampler ignores). */
function keepRoot(sampling: SamplingRule, traceId: string | null): boolean {
  if (sampling.sampler.endsWith('always_on')) return true;
  if (sampling.sampler.endsWith('always_off')) return false;
  return traceId ? underRatio(traceId, sampling.ratio) : Math.random() < sampling.ratio;
}

function cleanAttributes(attributes: SpanOptions['attributes']): Record<string, string | number | boolean> {
  const given = typeof attributes === 'function' ? attributes() : attributes;
  const out: Record<string, string | number | boolean> = {};
  if (given) for (const key of Object.keys(given)) if (given[key] !== undefined) out[key] = given[key];
  return out;
}

const tracer = () => trace.getTracer('resoft');

class RecordedSpan implements OpenSpan {
  readonly recorded = true;
  readonly traceparent: string;

  constructor(readonly span: Span) {
    const { traceId, spanId } = span.spanContext();
    this.traceparent = `00-${traceId}-${spanId}-01`;
  }

  setAttributes(attributes: SpanAttributes): void {
    this.span.setAttributes(cleanAttributes(attributes));
  }

  rename(name: string): void {
    this.span.updateName(name);
  }

  run<T>(fn: () => T): T {
    const before = current;
    current = this;
    try {
      return fn();
    } finally {
      current = before;
    }
  }

  end(error?: unknown): void {
    if (error !== undefined) {
      this.span.recordException(error instanceof Error ? error : String(error));
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    }
    this.span.end();
  }
}

/** Opens a span to be ended by the caller; the shared no-op handle when tracing is off or the trace is not sampled. */
export function openSpan(name: string, options: SpanOptions = {}): OpenSpan {
  const sampling = rule;
  if (sampling === null) return NOT_RECORDED;
  const parent = options.parent === undefined ? current : options.parent;
  let parentContext = ROOT_CONTEXT;
  if (parent === null) {
    if (!keepRoot(sampling, null)) return NOT_RECORDED;
  } else if (typeof parent === 'string') {
    const match = TRACEPARENT.exec(parent);
    const [traceId, spanId, flags] = match ? [match[1]!, match[2]!, match[3]!] : ['', '', ''];
    const valid = match !== null && !INVALID_TRACE.test(traceId) && !INVALID_TRACE.test(spanId);
    const sampledByParent = (parseInt(flags, 16) & 1) === 1;
    const keep = valid && sampling.sampler.startsWith('parentbased_') ? sampledByParent : keepRoot(sampling, valid ? traceId : null);
    if (!keep) return NOT_RECORDED;
    if (valid) parentContext = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: 1, isRemote: true });
  } else {
    if (!parent.recorded) return NOT_RECORDED;
    parentContext = trace.setSpan(ROOT_CONTEXT, (parent as RecordedSpan).span);
  }
  return new RecordedSpan(tracer().startSpan(name, { kind: ROLES[options.role ?? 'internal'], attributes: cleanAttributes(options.attributes) }, parentContext));
}

/**
 * Runs `fn` inside a span that ends when `fn` returns or its promise settles; `fn` gets the span, to
 * hand to the work it starts after an await. A throw or rejection marks the span as failed and goes
 * on to the caller unchanged.
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: OpenSpan) => T): T {
  if (rule === null) return fn(NOT_RECORDED);
  const span = openSpan(name, options);
  if (!span.recorded) return span.run(() => fn(span));
  let result: T;
  try {
    result = span.run(() => fn(span));
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

/** The current span (see `run`) as a `traceparent`; undefined outside a recorded span or with tracing off. */
export function currentTraceparent(): string | undefined {
  return rule === null ? undefined : current?.traceparent;
}

/** `trace_id` and `span_id` of the current span for a log line (snake case, as OpenTelemetry's log correlation names them); empty outside a recorded span. */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  if (rule === null || current === null || !current.recorded) return {};
  return logFieldsOf(current);
}

/** `trace_id` and `span_id` of a span, for a child logger's bindings; empty when it is not recorded. */
export function logFieldsOf(span: OpenSpan | undefined): { trace_id?: string; span_id?: string } {
  const match = span?.traceparent ? TRACEPARENT.exec(span.traceparent) : null;
  return match ? { trace_id: match[1]!, span_id: match[2]! } : {};
}
