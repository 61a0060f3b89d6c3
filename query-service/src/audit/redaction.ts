/** Removes secrets (password and token hashes) from event data before any read API returns it. */
import { SECRET_EVENT_FIELDS, type RecordedEvent } from '@resoft/domain';

export function redact(event: RecordedEvent): RecordedEvent {
  const data = event.data as Record<string, unknown> | null;
  if (!data || typeof data !== 'object' || !SECRET_EVENT_FIELDS.some((f) => f in data)) return event;
  const visible = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, SECRET_EVENT_FIELDS.includes(k) ? '[redacted]' : v]));
  return { ...event, data: visible };
}
