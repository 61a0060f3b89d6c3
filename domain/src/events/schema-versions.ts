/**
 * The current schema version of each event type's data, and upcasters that
 * lift older shapes on read. Stored events are never rewritten.
 */
import type { RecordedEvent } from './envelope.js';
import { upcastInlineCheckFiles } from '../checks/checked-file.js';

/**
 * One number for the whole log: an event type whose shape changed at version n has an upcaster
 * from n − 1; the others read the same at every version. 2: `CheckRequested` names its files'
 * text by hash (the text is in the source store) instead of holding it.
 */
export const CURRENT_SCHEMA = 2;

type Upcaster = (data: unknown) => unknown;
/** `upcasters[type][fromVersion]` lifts data from that version to the next. */
const upcasters: Record<string, Record<number, Upcaster>> = {
  CheckRequested: { 1: upcastInlineCheckFiles },
};

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
