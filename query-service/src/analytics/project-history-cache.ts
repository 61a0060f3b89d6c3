/**
 * A project's raw event history kept in memory between SQL queries, so an analyst's next query does
 * not read the project's events from the event store again (on a project of 100k events that read
 * was nearly all of a query's time: docs/performance.md, `bench:analytics`). Each query still gets a
 * fresh database loaded from these rows (the sandbox is unchanged); only the reading is saved.
 * Kept are the `events` table's cells without `data` (a few hundred bytes an event: `data` holds
 * whole Automerge changes); a query that names `data` reads the history from the event store.
 *
 * The history is brought up to the asked position by reading the log after the cached one and
 * keeping the events of the project's streams; when the log moved on too far, or for a position
 * before the cached one, the history is read again. One cache per event store (so two stores
 * never mix), holding a few projects and none longer than `MAX_EVENTS`.
 */
import type { EventColumnValues, EventStore } from '@resoft/ports';
import { AnalyticsReadModels, type AnalyticsStreamView } from '@resoft/projectors';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { projectEventsWithoutData } from './project-history.js';

/** Projects whose history is kept (the most recently queried). */
const MAX_PROJECTS = 2;
/** A longer history is not kept (its memory would be too much for one process). */
export const MAX_EVENTS = 250_000;
/** Beyond this many log events to catch up on, reading the project's streams again is cheaper. */
const MAX_CATCH_UP = 20_000;
const PAGE = 5000;

/** The `events` table's cells of one event, `data` left null (never read); position first. */
export type EventCellsWithoutData = EventColumnValues;

interface Entry {
  upTo: number;
  events: EventCellsWithoutData[];
}

const caches = new WeakMap<EventStore, Map<string, Entry>>();

function cacheOf(store: EventStore): Map<string, Entry> {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new Map()));
  return cache;
}

const positionOf = (cells: EventCellsWithoutData): number => cells[0];

/** Appends the project's events in (entry.upTo, upTo] from the log, in log order. */
async function catchUp(deps: QueryServiceDeps, projectId: string, entry: Entry, upTo: number): Promise<void> {
  const streams = new Set((await deps.readStore.find<AnalyticsStreamView>(AnalyticsReadModels.streams, { where: { projectId }, omit: ['room', 'agent', 'check', 'project'] })).map((s) => s.id));
  for (let after = entry.upTo; after < upTo; ) {
    const page = await deps.eventStore.readEventColumns({ after, maxCount: Math.min(PAGE, upTo - after), withData: false });
    if (page.length === 0) break;
    for (const e of page) if (e[0] <= upTo && streams.has(e[1])) entry.events.push(e);
    after = page[page.length - 1]![0];
  }
  entry.upTo = upTo;
}

/** The project's events at or below `upTo`, in log order, as `events` cells without `data` (not to be changed). */
export async function cachedProjectHistory(deps: QueryServiceDeps, projectId: string, upTo: number): Promise<readonly EventCellsWithoutData[]> {
  const cache = cacheOf(deps.eventStore);
  const entry = cache.get(projectId);
  cache.delete(projectId);
  let kept: Entry;
  if (entry && entry.upTo >= upTo) {
    // An older position: the prefix up to it (positions ascend).
    let end = entry.events.length;
    while (end > 0 && positionOf(entry.events[end - 1]!) > upTo) end -= 1;
    if (end < entry.events.length) {
      cache.set(projectId, entry);
      return entry.events.slice(0, end);
    }
    kept = entry;
  } else if (entry && upTo - entry.upTo <= MAX_CATCH_UP) {
    await catchUp(deps, projectId, entry, upTo);
    kept = entry;
  } else {
    kept = { upTo, events: await projectEventsWithoutData(deps, projectId, { upTo }) };
  }
  if (kept.events.length <= MAX_EVENTS) {
    cache.set(projectId, kept);
    for (const key of cache.keys()) if (cache.size > MAX_PROJECTS) cache.delete(key);
  }
  // A copy of the list (not of the events): a later catch-up appends to the cached one while this query may still be loading.
  return kept.events.slice();
}
