import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ChainVerifier, auditLeafHash, type NewEvent, type RecordedEvent } from '@resoft/domain';
import { describeEventStoreContract } from '@resoft/ports/contracts';
import { WrongExpectedRevisionError, readEventColumnsThroughDataText } from '@resoft/ports';
import { SqliteEventStore } from './sqlite-event-store.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'resoft-sqlite-store-'));
}

function newEvent(n = 0): NewEvent {
  return {
    id: randomUUID(),
    type: 'ThingHappened',
    data: { n },
    metadata: { actor: null, correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString(), schema: 1 },
  };
}

async function waitUntil(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describeEventStoreContract('SqliteEventStore on a file', async () => {
  const dir = tempDir();
  const store = new SqliteEventStore({ file: join(dir, 'events.db') });
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

// The port's fallback (the EventStoreDB adapter's readEventColumns: the ordinary read, data serialised again) must give the cells SQLite picks in its query.
describe('readEventColumnsThroughDataText, the fallback for adapters that cannot pick columns', () => {
  it('gives the same cells as the SQLite adapter, for a stream, the log and several streams, with and without data', async () => {
    const dir = tempDir();
    const store = new SqliteEventStore({ file: join(dir, 'events.db') });
    try {
      const streamId = `thing-${randomUUID()}`;
      const other = `other-${randomUUID()}`;
      await store.append(streamId, [newEvent(1), { ...newEvent(2), data: { text: 'Ünï "q"\n' }, metadata: { ...newEvent(2).metadata, actor: null } }, newEvent(3)], 'no_stream');
      await store.append(other, [newEvent(4)], 'no_stream');
      await store.append(streamId, [newEvent(5)], 'any');
      const reads = [{}, { after: 1, maxCount: 2 }, { streamId }, { streamId, fromRevision: 1, maxCount: 1 }, { streamIds: [other, streamId] }];
      for (const read of reads) {
        for (const withData of [true, false]) {
          const fallback = await readEventColumnsThroughDataText(store, { ...read, withData });
          expect(fallback.length).toBeGreaterThan(0);
          expect(fallback).toEqual(await store.readEventColumns({ ...read, withData }));
        }
      }
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteEventStore', () => {
  let dir: string;
  let file: string;
  const opened: SqliteEventStore[] = [];

  function open(options: { subscriptionFallbackMs?: number } = {}): SqliteEventStore {
    const store = new SqliteEventStore({ file, ...options });
    opened.push(store);
    return store;
  }

  beforeEach(() => {
    dir = tempDir();
    file = join(dir, 'data', 'events.db');
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the missing parent directory of its file and puts the file in WAL mode', async () => {
    await open().append('thing-1', [newEvent()], 'no_stream');
    expect(existsSync(file)).toBe(true);
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('keeps events and their chain across close and reopen, and continues the chain', async () => {
    const first = open();
    await first.append('thing-1', [newEvent(0), newEvent(1)], 'no_stream');
    await first.append('thing-2', [newEvent(2)], 'no_stream');
    const before = await first.readAll();
    await first.close();

    const reopened = open();
    expect(await reopened.readAll()).toEqual(before);
    await reopened.append('thing-1', [newEvent(3)], 1);
    const verifier = new ChainVerifier();
    (await reopened.readAll()).forEach((event) => verifier.check(event));
    expect(verifier.report()).toMatchObject({ ok: true, streams: 2, events: 4 });
  });

  it('closes idempotently', async () => {
    const store = open();
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });

  it('works in memory', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    opened.push(store);
    await store.append('thing-1', [newEvent()], 'no_stream');
    expect(await store.headPosition()).toBe(1);
  });

  it('accepts synchronous FULL for power-loss durability', async () => {
    const store = new SqliteEventStore({ file, synchronous: 'FULL' });
    opened.push(store);
    await store.append('thing-1', [newEvent()], 'no_stream');
    expect(await store.readStream('thing-1')).toHaveLength(1);
  });

  describe('with two instances on one file, as a server and a CLI would be', () => {
    it('lets one read what the other appended', async () => {
      const writer = open();
      const reader = open();
      await reader.headPosition();
      await writer.append('thing-1', [newEvent(0), newEvent(1)], 'no_stream');
      expect((await reader.readAll()).map((e) => e.revision)).toEqual([0, 1]);
      expect(await reader.headPosition()).toBe(2);
    });

    it('checks the expected revision against the other instance\'s appends', async () => {
      const a = open();
      const b = open();
      await a.append('thing-1', [newEvent()], 'no_stream');
      await expect(b.append('thing-1', [newEvent()], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await b.append('thing-1', [newEvent()], 0);
      expect((await a.readStream('thing-1')).map((e) => e.revision)).toEqual([0, 1]);
    });

    it("wakes a subscription on the other instance's appends through the fallback timer", async () => {
      const writer = open();
      const follower = open({ subscriptionFallbackMs: 20 });
      const received: RecordedEvent[] = [];
      const subscription = follower.subscribeToAll({ after: 0, onEvents: async (events) => void received.push(...events) });
      await writer.append('thing-1', [newEvent(0)], 'no_stream');
      await waitUntil(() => received.length === 1, 'the first event arrives');
      await writer.append('thing-2', [newEvent(1), newEvent(2)], 'no_stream');
      await waitUntil(() => received.length === 3, 'the next events arrive');
      await subscription.stop();
      expect(received.map((e) => e.id)).toEqual((await writer.readAll()).map((e) => e.id));
    });
  });

  it('waits for a running subscription handler before closing the file', async () => {
    const store = open();
    await store.append('thing-1', [newEvent()], 'no_stream');
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let handling = false;
    const errors: unknown[] = [];
    store.subscribeToAll({
      after: 0,
      onEvents: async () => {
        handling = true;
        await released;
        // Still usable: the file must not be closed under a running handler.
        await store.headPosition();
      },
      onError: (error) => errors.push(error),
    });
    await waitUntil(() => handling, 'the handler starts');
    let closed = false;
    const closing = store.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(errors).toEqual([]);
  });
});

describe('SqliteEventStore subscriptions at the same position', () => {
  it('read an append once between them, and each gets every event', async () => {
    const dir = tempDir();
    const store = new SqliteEventStore({ file: join(dir, 'events.db') });
    try {
      await store.append('warm-up', [newEvent()], 'no_stream');
      const received: number[][] = [[], [], [], [], []];
      const subscriptions = received.map((into) => store.subscribeToAll({ after: 1, onEvents: async (events) => void into.push(...events.map((e) => e.position)) }));
      await new Promise((resolve) => setTimeout(resolve, 50)); // all five caught up and waiting
      const reads: Promise<RecordedEvent[]>[] = [];
      const readAll = store.readAll.bind(store);
      store.readAll = (options) => {
        const read = readAll(options);
        reads.push(read);
        return read;
      };
      await store.append('thing-1', [newEvent(1), newEvent(2)], 'no_stream');
      await waitUntil(() => received.every((r) => r.length === 2), 'every subscription has the append');
      const nonEmpty = await Promise.all(reads);
      expect(received).toEqual(received.map(() => [2, 3]));
      // Five subscriptions, one read that found the events (the others found the log's end).
      expect(nonEmpty.filter((events) => events.length > 0).length).toBe(1);
      await Promise.all(subscriptions.map((s) => s.stop()));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteEventStore: read-only subscribers get the events its appends sealed', () => {
  it('hands them the same events a read gives back (JSON-normalised data, committed only, another process\'s appends in between), with the same audit leaves', async () => {
    const dir = tempDir();
    const store = new SqliteEventStore({ file: join(dir, 'events.db') });
    const other = new SqliteEventStore({ file: join(dir, 'events.db'), subscriptionFallbackMs: 20 });
    const readBack: number[] = [];
    const readAll = store.readAll.bind(store);
    store.readAll = async (options) => {
      const events = await readAll(options);
      readBack.push(...events.map((e) => e.position));
      return events;
    };
    const delivered: RecordedEvent[] = [];
    const alsoDelivered: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({ after: 0, readOnlyEvents: true, onEvents: async (events) => void delivered.push(...events) });
    const second = store.subscribeToAll({ after: 0, readOnlyEvents: true, onEvents: async (events) => void alsoDelivered.push(...events) });
    try {
      const odd = { ...newEvent(1), data: { when: new Date(0), gone: undefined, list: [undefined, 2] } };
      await store.append('s-1', [odd, newEvent(2)], 'no_stream');
      await other.append('s-2', [newEvent(3)], 'no_stream');
      // The store's wake only reaches the other process's append by its fallback timer; then it is read.
      await waitUntil(() => delivered.length >= 3 && alsoDelivered.length >= 3, 'the other process\'s event is delivered');
      const duplicate = newEvent(4);
      await store.append('s-1', [duplicate], 1);
      await expect(store.append('s-3', [newEvent(5), duplicate], 'no_stream')).rejects.toThrow();
      const last = await store.append('s-1', [newEvent(6)], 2);
      await waitUntil(() => delivered.length >= 5 && alsoDelivered.length >= 5, 'every committed event is delivered');
      // Not read back: only the other process's event was read from the store (once, shared by both
      // subscribers); the others are the very objects the appends sealed.
      expect(readBack).toEqual([3]);
      expect(delivered.map((event, i) => event === alsoDelivered[i])).toEqual([true, true, true, true, true]);
      const stored = await store.readAll();
      expect(delivered).toEqual(stored);
      expect(stored.map((e) => e.position)).toEqual([1, 2, 3, 4, last.position]);
      expect(delivered[0]!.data).toEqual({ when: new Date(0).toISOString(), list: [null, 2] });
      expect(delivered.map((e) => auditLeafHash(e, null))).toEqual(stored.map((e) => auditLeafHash(e, null)));
      const chains = new ChainVerifier();
      expect(delivered.every((event) => chains.check(event))).toBe(true);
    } finally {
      await subscription.stop();
      await second.stop();
      await other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteEventStore: a read-only subscriber that takes appends inline', () => {
  /** Lets the subscription's loop finish what it is doing and wait for a wake (no timing asserted). */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('gets an append\'s events in the append\'s own turn when caught up, and every event once, in order, when busy or behind', async () => {
    const dir = tempDir();
    const store = new SqliteEventStore({ file: join(dir, 'events.db') });
    const other = new SqliteEventStore({ file: join(dir, 'events.db') });
    const delivered: number[] = [];
    let gate: Promise<void> | null = null;
    let subscription: { stop(): Promise<void> } | null = null;
    try {
      // Behind: two events appended before it subscribes are read from the store.
      await store.append('s-1', [newEvent(1), newEvent(2)], 'no_stream');
      subscription = store.subscribeToAll({
        after: 0,
        readOnlyEvents: true,
        takeAppendsInline: true,
        onEvents: (events) => {
          delivered.push(...events.map((e) => e.position));
          return gate ?? Promise.resolve();
        },
      });
      await waitUntil(() => delivered.length === 2, 'the earlier events are read');
      await settle();

      // Caught up: delivered before `append` returns its promise.
      const appended = store.append('s-1', [newEvent(3), newEvent(4)], 1);
      expect(delivered).toEqual([1, 2, 3, 4]);
      await appended;

      // Busy: its handler has not settled, so the next appends are held and come through its loop after.
      let open!: () => void;
      gate = new Promise<void>((resolve) => { open = resolve; });
      await settle();
      store.append('s-1', [newEvent(5)], 3).catch(() => undefined);
      expect(delivered).toEqual([1, 2, 3, 4, 5]);
      await store.append('s-1', [newEvent(6)], 4);
      await store.append('s-1', [newEvent(7), newEvent(8)], 5);
      expect(delivered).toEqual([1, 2, 3, 4, 5]);
      gate = null;
      open();
      await waitUntil(() => delivered.length === 8, 'the held events are delivered');
      await settle();

      // Another process's append leaves a gap: the next append here is not handed over before it.
      await other.append('s-2', [newEvent(9)], 'no_stream');
      await store.append('s-1', [newEvent(10)], 7);
      expect(delivered).toHaveLength(8);
      await waitUntil(() => delivered.length === 10, 'the other process\'s event and the next one are delivered');
      await settle();
      // Caught up again: inline once more.
      void store.append('s-1', [newEvent(11)], 8);
      expect(delivered).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect((await store.readAll()).map((e) => e.position)).toEqual(delivered);
    } finally {
      await subscription?.stop();
      await other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not fail an append whose events its handler throws on: the subscription stops and reports it', async () => {
    const dir = tempDir();
    const store = new SqliteEventStore({ file: join(dir, 'events.db') });
    const errors: unknown[] = [];
    const subscription = store.subscribeToAll({
      after: 0,
      readOnlyEvents: true,
      takeAppendsInline: true,
      onEvents: (events) => {
        if (events.some((e) => e.position === 2)) throw new Error('handler broke');
        return Promise.resolve();
      },
      onError: (error) => errors.push(error),
    });
    try {
      await settle();
      await store.append('s-1', [newEvent(1)], 'no_stream');
      await settle();
      await expect(store.append('s-1', [newEvent(2)], 0)).resolves.toMatchObject({ position: 2 });
      await waitUntil(() => errors.length === 1, 'the error is reported');
      expect((errors[0] as Error).message).toBe('handler broke');
      // Stopped: later appends are not handed to it, and still succeed.
      await expect(store.append('s-1', [newEvent(3)], 1)).resolves.toMatchObject({ position: 3 });
      expect(errors).toHaveLength(1);
    } finally {
      await subscription.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
