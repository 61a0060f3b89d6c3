/**
 * The trace a bus record arrived with. The relay publishes each record under its own "publish"
 * span and puts that span's `traceparent` in the record's headers; the event itself keeps the
 * command's `traceparent` in its metadata, which cannot change (the audit hash covers it). A bus
 * adapter notes the header here for each event it delivers, and consumers continue from it, so a
 * projection's apply is a child of the publish that brought the event.
 */
import type { RecordedEvent } from '@resoft/domain';

const delivered = new WeakMap<RecordedEvent, string>();

/** Notes the `traceparent` header an event was delivered with (adapters call this; a missing header notes nothing). */
export function noteDeliveredTrace(event: RecordedEvent, traceparent: string | undefined): void {
  if (traceparent) delivered.set(event, traceparent);
}

/** Where a consumer's span continues: the delivery's header, else the `traceparent` stored with the event. */
export function traceOfDelivery(event: RecordedEvent): string | undefined {
  return delivered.get(event) ?? event.metadata.traceparent;
}
