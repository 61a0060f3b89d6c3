/**
 * The current schema version of each event type's data, and upcasters that
 * lift older shapes on read. Stored events are never rewritten.
 */
import type { RecordedEvent } from './envelope.js';

export const CURRENT_SCHEMA = 1;

type Upcaster = (data: unknown) => unknown;
/** `upcasters[type][fromVersion]` lifts data from that version to the next. None yet: every event is at version 1. */
const upcasters: Record<string, Record<number, Upcaster>> = {};

export function upcast<D = unknown>(event: RecordedEvent): RecordedEvent<D> {
  const chain = upcasters[event.type];
  if (!chain) return event as RecordedEvent<D>;
  let data = event.data;
  let version = event.metadata.schema;
  while (chain[version]) {
    data = chain[version]!(data);
    version += 1;
  }
  return { ...event, data: data as D };
}
