/**
 * The current schema version of each event type's data, and upcasters that
 * lift older shapes on read. Stored events are never rewritten.
 */
import type { RecordedEvent } from './envelope.js';
import { upcastInlineCheckFiles } from '../code-quality/checked-file.js';
import { PERSONAL_DATA, upcastClearPersonalData } from '../users/personal-data.js';

/**
 * One number for the whole log: an event type whose shape changed at version n has an upcaster
 * from n − 1; the others read the same at every version. 2: `CheckRequested` names its files'
 * text by hash (the text is in the source store) instead of holding it. 3: personal data (users/personal-data.ts)
 * is sealed with its owner's data key; older events' clear values are tagged `{ clear }`.
 */
export const CURRENT_SCHEMA = 3;

type Upcaster = (data: unknown) => unknown;
/** `upcasters[type][fromVersion]` lifts data from that version to the next. */
const upcasters: Record<string, Record<number, Upcaster>> = {
  CheckRequested: { 1: upcastInlineCheckFiles },
  ...Object.fromEntries(Object.keys(PERSONAL_DATA).map((type) => [type, { 2: upcastClearPersonalData(type) }])),
};

export function upcast<D = unknown>(event: RecordedEvent): RecordedEvent<D> {
  const chain = upcasters[event.type];
  if (!chain) return event as RecordedEvent<D>;
  let data = event.data;
  // Versions without an upcaster of this type are passed over: a schema-1 user event still meets the step from 2.
  for (let version = event.metadata.schema; version < CURRENT_SCHEMA; version += 1) {
    const step = chain[version];
    if (step) data = step(data);
  }
  return { ...event, data: data as D };
}
