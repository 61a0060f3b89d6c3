/**
 * One span per trace for work done on many events at once (the relay publishes a batch of events
 * from many commands): each trace the batch touches gets its own child span, so every command's
 * trace shows the step, and no span joins two users' traces.
 */
import { isTracingOn, openSpan, type OpenSpan, type SpanOptions } from './trace-context.js';

export interface SpansPerTrace {
  /** The span opened for `parent`'s trace, as a `traceparent`; undefined for an event without a trace. */
  traceparentFor(parent: string | undefined): string | undefined;
  end(error?: unknown): void;
}

const NONE: SpansPerTrace = { traceparentFor: () => undefined, end: () => undefined };

export function openSpanPerTrace(name: string, parents: Iterable<string | undefined>, options: Omit<SpanOptions, 'parent'> = {}): SpansPerTrace {
  if (!isTracingOn()) return NONE;
  const spans = new Map<string, OpenSpan>();
  for (const parent of parents) {
    if (!parent || spans.has(parent)) continue;
    const span = openSpan(name, { ...options, parent });
    // An unsampled trace gets no span: its events go on with no header and their consumers open none either.
    if (span.recorded) spans.set(parent, span);
  }
  if (spans.size === 0) return NONE;
  return {
    traceparentFor: (parent) => (parent ? spans.get(parent)?.traceparent : undefined),
    end: (error) => {
      for (const span of spans.values()) span.end(error);
    },
  };
}
