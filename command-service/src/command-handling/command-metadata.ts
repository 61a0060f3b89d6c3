/** Who and what caused a command; becomes the metadata of the events it produces. */
import { CURRENT_SCHEMA, type DomainEvent, type NewEvent } from '@resoft/domain';
import { currentTraceparent, newId } from '@resoft/infra';

export interface CommandMetadata {
  readonly actor: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
}

export function stampEvents(events: readonly DomainEvent[], meta: CommandMetadata, now: Date = new Date()): NewEvent[] {
  const occurredAt = now.toISOString();
  // The span the events are appended in, so whoever reads them later continues the same trace.
  const traceparent = currentTraceparent();
  return events.map((event) => ({
    id: newId(),
    type: event.type,
    data: event.data,
    metadata: { actor: meta.actor, correlationId: meta.correlationId, causationId: meta.causationId, occurredAt, schema: CURRENT_SCHEMA, ...(traceparent ? { traceparent } : {}) },
  }));
}
