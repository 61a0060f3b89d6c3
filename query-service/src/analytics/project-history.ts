/**
 * A project's raw event history in log order, up to a position. Two ways to read it, chosen by how
 * much of the log the project is (the analytics read model knows each stream's first position and
 * length; every event type of a project stream is one it counts):
 * - stream by stream (the streams the analytics read model knows for the project), merged by
 *   position, a page per stream at a time: for a project that is a small part of the log;
 * - the log itself from the project's first event, keeping the project's streams: for a project that
 *   is a large part of its stretch of the log, since reading in log order costs less than half as
 *   much per event as reading stream by stream (index lookups all over the file; docs/performance.md).
 * Either way an export of a long history never holds it whole. Events come as the history's flat
 * columns (`readEventColumns`): each event's data stays the JSON text the event store holds (every
 * reader passes it on as text), or is not read at all when not wanted.
 */
import type { EventColumnValues } from '@resoft/ports';
import { AnalyticsReadModels, type AnalyticsStreamView } from '@resoft/projectors';
import type { QueryServiceDeps } from '../query-service-deps.js';

const PAGE = 500;
const LOG_PAGE = 2000;
/** Streams read together by `projectEvents` by default (their ids go to the event store as one list). */
const STREAM_BATCH = 1000;
/**
 * Per event read, the log costs about 18 µs of CPU and stream by stream about 42 µs (bench:analytics,
 * SQLite): the log is read when the project's events are at least half of the stretch from its first
 * event (break-even near 0.43). Measured when each event's metadata was parsed in JS; with the
 * columns picked by SQLite both ways cost less and stay close (docs/performance.md, fourth pass).
 */
const LOG_SCAN_SHARE = 1 / 2;

interface Cursor {
  readonly streamId: string;
  page: EventColumnValues[];
  index: number;
  nextRevision: number;
  exhausted: boolean;
}

export interface HistoryFilter {
  /** Only events at or below this position (the position the export reflects). */
  readonly upTo: number;
  readonly type?: string | undefined;
  readonly since?: number | undefined;
  readonly until?: number | undefined;
  /** Whether each event's data text is read (by default it is); without, the data cell is null. */
  readonly withData?: boolean;
  /** Forces one way of reading (for tests); by default the cheaper one for the project's share of the log. */
  readonly readBy?: 'log' | 'streams';
}

async function refill(deps: QueryServiceDeps, cursor: Cursor, withData: boolean): Promise<void> {
  cursor.page = await deps.eventStore.readEventColumns({ streamId: cursor.streamId, fromRevision: cursor.nextRevision, maxCount: PAGE, withData });
  cursor.index = 0;
  cursor.nextRevision += cursor.page.length;
  cursor.exhausted = cursor.page.length < PAGE;
}

const head = (c: Cursor): number => c.page[c.index]![0];

/** A binary min-heap of cursors by the position of their next event. */
class CursorHeap {
  private readonly items: Cursor[] = [];
  get size(): number {
    return this.items.length;
  }
  push(cursor: Cursor): void {
    const items = this.items;
    items.push(cursor);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (head(items[parent]!) <= head(items[i]!)) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }
  pop(): Cursor {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < items.length && head(items[l]!) < head(items[smallest]!)) smallest = l;
        if (r < items.length && head(items[r]!) < head(items[smallest]!)) smallest = r;
        if (smallest === i) break;
        [items[smallest], items[i]] = [items[i]!, items[smallest]!];
        i = smallest;
      }
    }
    return top;
  }
}

/** The filter's type and period; null when it keeps every event (no per-event test then). */
function wanted(filter: HistoryFilter): ((event: EventColumnValues) => boolean) | null {
  const { type, since, until } = filter;
  if (!type && since === undefined && until === undefined) return null;
  return (event) => {
    if (type && event[3] !== type) return false;
    if (since === undefined && until === undefined) return true;
    const at = Date.parse(event[4]);
    return !((since !== undefined && at < since) || (until !== undefined && at >= until));
  };
}

const projectStreams = (deps: QueryServiceDeps, projectId: string): Promise<AnalyticsStreamView[]> =>
  deps.readStore.find<AnalyticsStreamView>(AnalyticsReadModels.streams, { where: { projectId }, omit: ['room', 'agent', 'check', 'project'] });

const firstPosition = (streams: readonly AnalyticsStreamView[]): number => streams.reduce((min, s) => Math.min(min, s.firstPosition), Number.MAX_SAFE_INTEGER);

/** Whether reading the log from the project's first event costs less than reading its streams. */
function readsLog(streams: readonly AnalyticsStreamView[], filter: HistoryFilter): boolean {
  if (filter.readBy) return filter.readBy === 'log';
  const events = streams.reduce((n, s) => n + s.events, 0);
  return events >= LOG_SCAN_SHARE * (filter.upTo - firstPosition(streams) + 1);
}

/** The history of `streams` a page at a time, in log order: from the log or stream by stream, whichever costs less. */
const pagesOf = (deps: QueryServiceDeps, streams: readonly AnalyticsStreamView[], filter: HistoryFilter): AsyncIterable<EventColumnValues[]> =>
  readsLog(streams, filter) ? fromLog(deps, new Set(streams.map((s) => s.id)), firstPosition(streams), filter) : fromStreams(deps, streams, filter);

/** The project's history in lists of events (a page of a read at a time), in log order. */
export async function* projectHistoryPages(deps: QueryServiceDeps, projectId: string, filter: HistoryFilter): AsyncIterable<EventColumnValues[]> {
  const streams = await projectStreams(deps, projectId);
  if (streams.length > 0) yield* pagesOf(deps, streams, filter);
}

/** The project's history event by event, in log order. */
export async function* projectHistory(deps: QueryServiceDeps, projectId: string, filter: HistoryFilter): AsyncIterable<EventColumnValues> {
  for await (const page of projectHistoryPages(deps, projectId, filter)) yield* page;
}

/**
 * The project's events at or below `upTo`, in log order, read whole into one list (for readers that
 * keep the whole history anyway: the SQL history cache, without data, and the SQL `events` table
 * with data, which DuckDB holds whole). Stream by stream, a batch of streams is one read: a
 * project's history is mostly short streams (a median of 3 events in `bench:analytics`), and one
 * read per stream cost more than the events themselves.
 */
export async function projectEvents(deps: QueryServiceDeps, projectId: string, filter: Pick<HistoryFilter, 'upTo' | 'readBy' | 'withData'> & { readonly streamsPerRead?: number }): Promise<EventColumnValues[]> {
  return eventsOfStreams(deps, await projectStreams(deps, projectId), filter);
}

/** `projectEvents` without the data (each event's data cell null, never read). */
export const projectEventsWithoutData = (deps: QueryServiceDeps, projectId: string, filter: Pick<HistoryFilter, 'upTo' | 'readBy'> & { readonly streamsPerRead?: number }): Promise<EventColumnValues[]> =>
  projectEvents(deps, projectId, { ...filter, withData: false });

/**
 * The project's history for a reader that holds it whole anyway (the SQL `events` table): read
 * whole (`projectEvents`) when the project has at most `maxEvents` events, a page at a time
 * (`projectHistoryPages`) otherwise, so that a long history is never twice in memory.
 */
export async function* projectHistoryToLoad(deps: QueryServiceDeps, projectId: string, filter: HistoryFilter, maxEvents: number): AsyncIterable<EventColumnValues[]> {
  const streams = await projectStreams(deps, projectId);
  if (streams.length === 0) return;
  if (streams.reduce((n, s) => n + s.events, 0) <= maxEvents && !wanted(filter)) yield await eventsOfStreams(deps, streams, filter);
  else yield* pagesOf(deps, streams, filter);
}

async function eventsOfStreams(deps: QueryServiceDeps, streams: readonly AnalyticsStreamView[], filter: Pick<HistoryFilter, 'upTo' | 'readBy' | 'withData'> & { readonly streamsPerRead?: number }): Promise<EventColumnValues[]> {
  const batch = filter.streamsPerRead ?? STREAM_BATCH;
  const withData = filter.withData ?? true;
  const events: EventColumnValues[] = [];
  if (streams.length === 0) return events;
  if (readsLog(streams, filter)) {
    for await (const page of pagesOf(deps, streams, { ...filter, withData })) for (const e of page) events.push(e);
    return events;
  }
  for (let i = 0; i < streams.length; i += batch) {
    const page = await deps.eventStore.readEventColumns({ streamIds: streams.slice(i, i + batch).map((s) => s.id), withData });
    for (const e of page) if (e[0] <= filter.upTo) events.push(e);
  }
  // Each batch is in log order; the batches interleave.
  return streams.length > batch ? events.sort((a, b) => a[0] - b[0]) : events;
}

async function* fromLog(deps: QueryServiceDeps, streams: ReadonlySet<string>, first: number, filter: HistoryFilter): AsyncIterable<EventColumnValues[]> {
  const keep = wanted(filter);
  const withData = filter.withData ?? true;
  for (let after = first - 1; after < filter.upTo; ) {
    const page = await deps.eventStore.readEventColumns({ after, maxCount: Math.min(LOG_PAGE, filter.upTo - after), withData });
    if (page.length === 0) return;
    const kept = page.filter((event) => event[0] <= filter.upTo && streams.has(event[1]) && (!keep || keep(event)));
    if (kept.length > 0) yield kept;
    after = page[page.length - 1]![0];
  }
}

async function* fromStreams(deps: QueryServiceDeps, streams: readonly AnalyticsStreamView[], filter: HistoryFilter): AsyncIterable<EventColumnValues[]> {
  const keep = wanted(filter);
  const withData = filter.withData ?? true;
  const heap = new CursorHeap();
  for (const { id } of streams) {
    const cursor: Cursor = { streamId: id, page: [], index: 0, nextRevision: 0, exhausted: false };
    await refill(deps, cursor, withData);
    if (cursor.page.length > 0) heap.push(cursor);
  }
  let merged: EventColumnValues[] = [];
  while (heap.size > 0) {
    const cursor = heap.pop();
    const event = cursor.page[cursor.index]!;
    // The smallest next position is past the end: so is every other stream's.
    if (event[0] > filter.upTo) break;
    cursor.index += 1;
    if (cursor.index >= cursor.page.length && !cursor.exhausted) await refill(deps, cursor, withData);
    if (cursor.index < cursor.page.length) heap.push(cursor);
    if (!keep || keep(event)) merged.push(event);
    if (merged.length === LOG_PAGE) {
      yield merged;
      merged = [];
    }
  }
  if (merged.length > 0) yield merged;
}
