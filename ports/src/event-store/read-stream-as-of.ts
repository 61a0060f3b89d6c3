/**
 * Reading a stream backwards from a past moment: the revision of the stream's
 * last event by then is found by binary search over revisions (a stream's
 * positions, and in practice its times, grow with its revisions), then pages
 * are read backwards from it — O(log n) reads to get there instead of the
 * whole stream.
 */
import { happenedBy, type AsOf, type RecordedEvent } from '@resoft/domain';
import type { EventStore } from './event-store.js';

const PAGE = 200;

/** The revision of the stream's last event that happened by `asOf`, or -1. */
export async function lastRevisionAsOf(store: Pick<EventStore, 'readStream'>, streamId: string, asOf: AsOf): Promise<number> {
  const [last] = await store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
  if (!last) return -1;
  if (happenedBy(last, asOf)) return last.revision;
  let lo = 0;
  let hi = last.revision - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const [event] = await store.readStream(streamId, { fromRevision: mid, maxCount: 1 });
    if (event && happenedBy(event, asOf)) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Calls `take` with the stream's events newest first from `asOf` back, until it returns false or the stream begins. */
export async function readBackwardsFrom(store: EventStore, streamId: string, asOf: AsOf, take: (event: RecordedEvent) => boolean): Promise<void> {
  for (let from = await lastRevisionAsOf(store, streamId, asOf); from >= 0; from -= PAGE) {
    const page = await store.readStream(streamId, { direction: 'backwards', fromRevision: from, maxCount: PAGE });
    for (const event of page) if (!take(event)) return;
    if (page.length < PAGE) return;
  }
}
