/**
 * "As of" a moment of history: a global position (everything up to and
 * including it) or an ISO-8601 time (everything that occurred by then).
 */
import type { RecordedEvent } from '../events/envelope.js';
import { reject } from '../shared/domain-error.js';

export type AsOf = { readonly kind: 'position'; readonly position: number } | { readonly kind: 'time'; readonly time: string };

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function parseAsOf(text: string): AsOf {
  if (/^\d{1,15}$/.test(text)) return { kind: 'position', position: Number(text) };
  const time = ISO_TIME.test(text) ? new Date(text) : null;
  if (!time || Number.isNaN(time.getTime())) return reject('invalid', 'invalid_as_of', `asOf must be a position (a whole number) or an ISO-8601 time, got "${text}"`);
  return { kind: 'time', time: time.toISOString() };
}

/** Whether the event belongs to history as of that moment. */
export const happenedBy = (event: RecordedEvent, asOf: AsOf): boolean =>
  asOf.kind === 'position' ? event.position <= asOf.position : event.metadata.occurredAt <= asOf.time;
