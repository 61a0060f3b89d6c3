/**
 * The event store port. Streams are append-only; revisions count from 0 in a
 * stream and positions from 1 in the global log. Every adapter seals events
 * into the audit hash chain on append and passes the contract suite in
 * `event-store.contract.ts`.
 */
import type { NewEvent, RecordedEvent } from '@resoft/domain';

/** What the stream must look like for an append to go through. A number is the exact revision of the stream's last event. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendResult {
  /** Revision of the last appended event. */
  readonly nextRevision: number;
  /** Global position of the last appended event. */
  readonly position: number;
  /** Global position of each appended event, in order, where the adapter reports them (a command batch answers each command with its own). */
  readonly positions?: readonly number[];
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive start revision; defaults to the first (forwards) or the last (backwards). */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events with a position strictly greater than this; 0 reads from the start. */
  readonly after?: number;
  readonly maxCount?: number;
}

/** A range of events: one stream from a revision, or the log after a position; forwards, at most `maxCount`. */
export type DataTextRead =
  | { readonly streamId: string; readonly fromRevision?: number; readonly maxCount?: number }
  | { readonly streamId?: undefined; readonly after?: number; readonly maxCount?: number };

/** An event with its data as the stored JSON text, not parsed. */
export interface EventWithDataText extends Omit<RecordedEvent, 'data'> {
  /** The event's data as JSON text: `JSON.parse(dataText)` is what `readStream`/`readAll` give as `data`. */
  readonly dataText: string;
}

/**
 * The fallback for an adapter that keeps no JSON text of its own (its client hands data parsed):
 * the ordinary read, its data serialised again.
 */
export async function readWithDataTextByParsing(store: Pick<EventStore, 'readStream' | 'readAll'>, read: DataTextRead): Promise<EventWithDataText[]> {
  const events = read.streamId === undefined
    ? await store.readAll({ ...(read.after === undefined ? {} : { after: read.after }), ...(read.maxCount === undefined ? {} : { maxCount: read.maxCount }) })
    : await store.readStream(read.streamId, { ...(read.fromRevision === undefined ? {} : { fromRevision: read.fromRevision }), ...(read.maxCount === undefined ? {} : { maxCount: read.maxCount }) });
  return events.map(({ data, ...event }) => ({ ...event, dataText: JSON.stringify(data ?? null) }));
}

/**
 * Every event of several streams in one read, in log order: for a history made of many short
 * streams, one query for a batch of them instead of one per stream.
 */
export interface StreamsRead {
  readonly streamIds: readonly string[];
}

/** What `readEventColumns` reads: a range (`DataTextRead`) or several whole streams, and whether each event's data text is wanted (without, the data cell is null). */
export type EventColumnsRead = (DataTextRead | StreamsRead) & { readonly withData: boolean };

/**
 * One event as flat columns, in this order: what a project's history holds in its exports and in the
 * SQL `events` table. `occurredAt`, `actor` and `correlationId` are the metadata's fields; `dataText`
 * is as in `EventWithDataText`, or null when the read did not ask for data.
 */
export type EventColumnValues = readonly [position: number, streamId: string, revision: number, type: string, occurredAt: string, actor: string | null, correlationId: string, dataText: string | null];

/** An event read with its data text as flat columns (`dataText` kept or left null). */
export const eventColumnsOf = (e: EventWithDataText, withData: boolean): EventColumnValues =>
  [e.position, e.streamId, e.revision, e.type, e.metadata.occurredAt, e.metadata.actor, e.metadata.correlationId, withData ? e.dataText : null];

/** The fallback for an adapter that cannot pick the columns in its own query: the ordinary read (`readWithDataTextByParsing`), each event then laid out as columns. */
export async function readEventColumnsThroughDataText(store: Pick<EventStore, 'readStream' | 'readAll'>, read: EventColumnsRead): Promise<EventColumnValues[]> {
  const { withData } = read;
  if ('streamIds' in read) {
    const events = (await Promise.all(read.streamIds.map((streamId) => readWithDataTextByParsing(store, { streamId })))).flat();
    return events.sort((a, b) => a.position - b.position).map((e) => eventColumnsOf(e, withData));
  }
  return (await readWithDataTextByParsing(store, read)).map((e) => eventColumnsOf(e, withData));
}

export interface Subscription {
  /** Stops delivery and resolves once no handler is running. */
  stop(): Promise<void>;
}

export interface SubscribeOptions {
  /** Deliver events with a position strictly greater than this. */
  readonly after: number;
  /** Called with batches in log order; the next batch waits for the returned promise. */
  readonly onEvents: (events: RecordedEvent[]) => Promise<void>;
  /** Called when onEvents throws; the subscription then stops. */
  readonly onError?: (error: unknown) => void;
  /**
   * The handler neither changes nor keeps the events it is given: an adapter may hand it the very
   * objects its own appends sealed (shared with other such subscribers) instead of reading them back.
   */
  readonly readOnlyEvents?: boolean;
  /**
   * With `readOnlyEvents`: an adapter may call `onEvents` synchronously inside `append`, right after
   * the commit, with that append's events, when the subscriber is exactly caught up and its previous
   * handler's promise has settled (otherwise they come through the loop, as without this). The
   * handler then runs in the appender's turn: it should do little there and must not call the store
   * synchronously. What it throws does not fail the append; it stops the subscription (`onError`).
   * Adapters that cannot do this ignore it. For the audit log builder, which hashes what it is given
   * at once: events handed over in the append's turn are not kept alive until a later wake.
   */
  readonly takeAppendsInline?: boolean;
  readonly batchSize?: number;
}

export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream; an empty array when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * A range of events or whole streams as flat columns: only what a project's history keeps of
   * each event (no id, no hash chain), read without building a metadata object per event, and
   * without the data text when it is not wanted (the SQL history cache keeps none). For the
   * history's readers, where that per-event work was most of a long read's CPU (docs/performance.md).
   */
  readEventColumns(read: EventColumnsRead): Promise<EventColumnValues[]>;
  /** Position of the last event in the log, 0 when empty. */
  headPosition(): Promise<number>;
  /** Catch-up then live: reads from `after`, then is woken by appends. */
  subscribeToAll(options: SubscribeOptions): Subscription;
  close(): Promise<void>;
}

/** The one conflict error every adapter throws when the expected revision does not hold. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or -1 when it does not exist. */
    readonly actual: number,
  ) {
    super(`Stream ${streamId} is at revision ${actual}, expected ${String(expected)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** Whether `expected` holds for a stream whose last revision is `actual` (-1: no stream). */
export function expectedRevisionHolds(expected: ExpectedRevision, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === -1;
    case 'stream_exists':
      return actual >= 0;
    default:
      return actual === expected;
  }
}
