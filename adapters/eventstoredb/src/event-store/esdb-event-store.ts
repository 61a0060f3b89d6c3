/**
 * The EventStoreDB adapter of the `EventStore` port (server 22.10 or later,
 * gRPC client). EventStoreDB keeps streams, revisions, the global `$all` order
 * and optimistic concurrency; this adapter adds the audit hash chain, which it
 * seals on the client after reading the stream's last event. Mapping rules
 * (positions, revisions, conflicts) live in `esdb-mapping.ts`.
 *
 * Known gap: EventStoreDB does not keep event ids unique across streams (it
 * only treats a retried write of the same ids to the same stream as already
 * done), so this adapter cannot reject an id that is already stored.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendResult as EsdbAppendResult,
  type Position,
} from '@eventstore/db-client';
import type { NewEvent, RecordedEvent } from '@resoft/domain';
import {
  CatchUpSubscriptions,
  WakeSignal,
  WrongExpectedRevisionError,
  expectedRevisionHolds,
  readEventColumnsThroughDataText,
  type AppendResult,
  type EventColumnsRead,
  type EventColumnValues,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
  type Subscription,
  type WakeSource,
} from '@resoft/ports';
import {
  appendExpectation,
  isStreamNotFound,
  isSystemEvent,
  isWrongExpectedVersion,
  sealBatch,
  toEventData,
  toPortPosition,
  toReadAllStart,
  toRecordedEvent,
  toWrongExpectedRevisionError,
} from './esdb-mapping.js';

export interface EsdbEventStoreOptions {
  /** An EventStoreDB connection string, e.g. `esdb://localhost:2113?tls=false`. */
  readonly connectionString: string;
  /**
   * How often an idle subscription re-reads `$all` anyway. A live EventStoreDB
   * subscription wakes subscriptions at once; this only covers its outages.
   */
  readonly subscriptionFallbackMs?: number;
  /** How many times an `any` or `stream_exists` append re-reads and re-seals after the stream moved under it. */
  readonly appendAttempts?: number;
  /** Deadline of each call (the client's `defaultDeadline`), unless the connection string sets one. */
  readonly deadlineMs?: number;
}

/** The connection string with `defaultDeadline=<ms>` added, unless it already names one. */
export function withDefaultDeadline(connectionString: string, deadlineMs: number | undefined): string {
  if (deadlineMs === undefined || /[?&]defaultDeadline=/i.test(connectionString)) return connectionString;
  return `${connectionString}${connectionString.includes('?') ? '&' : '?'}defaultDeadline=${deadlineMs}`;
}

const DEFAULT_READ_ALL_MAX = 1000;
/** `$all` holds system events too; reads are paged so that filtering them out still fills a page. */
const ALL_PAGE_SIZE = 1000;

export class EsdbEventStore implements EventStore {
  private readonly wake: WakeSignal;
  private readonly wakeSource: WakeSource;
  private readonly subscriptions: CatchUpSubscriptions;
  private readonly appendAttempts: number;
  private liveFeed: AllStreamSubscription | undefined;
  private closed = false;

  private constructor(private readonly client: EventStoreDBClient, options: EsdbEventStoreOptions) {
    this.wake = new WakeSignal(options.subscriptionFallbackMs ?? 1000);
    this.appendAttempts = Math.max(1, options.appendAttempts ?? 5);
    const wake = this.wake;
    // Every caught-up subscription that goes to sleep makes sure the live feed runs (again, after an outage).
    this.wakeSource = {
      get generation() {
        return wake.generation;
      },
      wait: (since, signal) => {
        this.ensureLiveFeed();
        return wake.wait(since, signal);
      },
    };
    this.subscriptions = new CatchUpSubscriptions((after, maxCount) => this.readAll({ after, maxCount }), this.wakeSource);
  }

  /** Connects and reads the newest record of `$all` once, so a wrong address or credentials fail here. */
  static async connect(options: EsdbEventStoreOptions): Promise<EsdbEventStore> {
    const client = EventStoreDBClient.connectionString(withDefaultDeadline(options.connectionString, options.deadlineMs));
    try {
      await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }));
    } catch (error) {
      await client.dispose();
      throw error;
    }
    return new EsdbEventStore(client, options);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    for (let attempt = 1; ; attempt += 1) {
      const last = await this.lastEvent(streamId);
      const actual = last?.revision ?? -1;
      if (!expectedRevisionHolds(expected, actual)) {
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      }
      // An empty append is only an expectation check: report where the stream stands.
      if (events.length === 0) return { nextRevision: actual, position: last?.position ?? 0 };

      const sealed = sealBatch(streamId, events, last);
      try {
        const result = await this.client.appendToStream(streamId, sealed.map(toEventData), {
          expectedRevision: appendExpectation(expected, actual),
        });
        this.wake.notify();
        return { nextRevision: Number(result.nextExpectedRevision), position: await this.positionOf(result, streamId) };
      } catch (error) {
        if (!isWrongExpectedVersion(error)) throw error;
        const conflict = toWrongExpectedRevisionError(error, streamId, expected);
        // An exact expectation that no longer holds is the caller's conflict; `any` and
        // `stream_exists` still hold, only our seal is stale: read the new head and seal again.
        const retry = (expected === 'any' || expected === 'stream_exists') && expectedRevisionHolds(expected, conflict.actual);
        if (!retry || attempt >= this.appendAttempts) throw conflict;
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const backwards = options.direction === 'backwards';
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(Math.max(0, options.fromRevision)),
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      for await (const resolved of read) {
        if (!isSystemEvent(resolved)) events.push(toRecordedEvent(resolved));
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = Math.max(0, options.maxCount ?? DEFAULT_READ_ALL_MAX);
    const after = Math.max(0, options.after ?? 0);
    const events: RecordedEvent[] = [];
    let from = toReadAllStart(after);
    // The read is inclusive of its start (see toReadAllStart): that record is skipped.
    let skipThrough = BigInt(after);
    while (events.length < limit) {
      const pageSize = Math.min(limit - events.length + 1, ALL_PAGE_SIZE);
      const page = await collect(this.client.readAll({ direction: FORWARDS, fromPosition: from, maxCount: pageSize }));
      for (const resolved of page) {
        if (positionIn(resolved).commit <= skipThrough || isSystemEvent(resolved)) continue;
        events.push(toRecordedEvent(resolved));
        if (events.length === limit) return events;
      }
      if (page.length < pageSize) break;
      // System events filled part of the page: go on from its last record.
      from = positionIn(page[page.length - 1]!);
      skipThrough = from.commit;
    }
    return events;
  }

  /** The port's fallback: the client parses every event anyway, so there are no columns to pick in a query. */
  readEventColumns(read: EventColumnsRead): Promise<EventColumnValues[]> {
    return readEventColumnsThroughDataText(this, read);
  }

  async headPosition(): Promise<number> {
    let from: Position | typeof END = END;
    for (;;) {
      const page = await collect(this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: ALL_PAGE_SIZE }));
      const newest = page.find((resolved) => !isSystemEvent(resolved));
      if (newest) return toPortPosition(positionIn(newest));
      if (page.length < ALL_PAGE_SIZE) return 0;
      // Whether or not the next page starts with this record again, it is a system event.
      from = positionIn(page[page.length - 1]!);
    }
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return this.subscriptions.start(options);
  }

  /** Stops every subscription (waiting for in-flight handlers), the live feed, then the client. */
  async close(): Promise<void> {
    this.closed = true;
    await this.subscriptions.stopAll();
    const feed = this.liveFeed;
    this.liveFeed = undefined;
    await feed?.unsubscribe().catch(() => undefined);
    await this.client.dispose();
  }

  private async lastEvent(streamId: string): Promise<RecordedEvent | null> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last ?? null;
  }

  /**
   * EventStoreDB answers an append with the commit position of its last event.
   * Without one (a server that reports no position) the stream's last event tells.
   */
  private async positionOf(result: EsdbAppendResult, streamId: string): Promise<number> {
    const commit = result.position?.commit;
    if (commit !== undefined && commit > 0n && commit <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(commit);
    const last = await this.lastEvent(streamId);
    if (!last) throw new Error(`Stream ${streamId} has no events right after an append to it`);
    return last.position;
  }

  /**
   * One live `$all` subscription per store, used only as a doorbell: any event
   * after the subscription started wakes the catch-up loops, which read the
   * events themselves. Its failures are not the subscriptions' failures: the
   * fallback timer covers the gap and the next wait starts a new feed.
   */
  private ensureLiveFeed(): void {
    if (this.liveFeed || this.closed) return;
    const feed = this.client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
    const drop = (): void => {
      if (this.liveFeed === feed) this.liveFeed = undefined;
    };
    feed.on('data', () => this.wake.notify());
    feed.on('error', drop);
    feed.on('close', drop);
    feed.on('end', drop);
    this.liveFeed = feed;
  }
}

function positionIn(resolved: AllStreamResolvedEvent): Position {
  if (!resolved.event) throw new Error('A read of $all returned a record without an event');
  return resolved.event.position;
}

async function collect<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}
