/** Who and what caused a command; becomes the metadata of the events it produces. */
import { CURRENT_SCHEMA, type DomainEvent, type NewEvent } from '@resoft/domain';
import { newId, type TraceParent } from '@resoft/infra';

export interface CommandMetadata {
  readonly actor: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
  /** The span the command runs under (the HTTP request's, a check run's): handed on explicitly, no async context carries it. */
  readonly trace?: TraceParent;
}

/** `traceparent`: the span the events are appended in, so whoever reads them later continues the same trace. */
export function stampEvents(events: readonly DomainEvent[], meta: CommandMetadata, now: Date = new Date(), traceparent = typeof meta.trace === 'string' ? meta.trace : meta.trace?.traceparent): NewEvent[] {
  const occurredAt = now.toISOString();
  return events.map((event) => ({
    id: newId(),
    type: event.type,
    data: event.data,
    metadata: { actor: meta.actor, correlationId: meta.correlationId, causationId: meta.causationId, occurredAt, schema: CURRENT_SCHEMA, ...(traceparent ? { traceparent } : {}) },
  }));
}
