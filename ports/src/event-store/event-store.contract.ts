/**
 * The behaviour every `EventStore` adapter must show, as one jest suite. An
 * adapter's int spec calls `describeEventStoreContract` with a factory that
 * returns a fresh, empty store for each test.
 */
import { randomUUID } from 'node:crypto';
import { ChainVerifier, GENESIS_HASH, type NewEvent, type RecordedEvent } from '@resoft/domain';
import { WrongExpectedRevisionError, readWithDataTextByParsing, type DataTextRead, type EventStore, type EventWithDataText, type ExpectedRevision } from './event-store.js';

export interface StoreUnderTest {
  readonly store: EventStore;
  dispose(): Promise<void>;
}

const context = { actor: 'user-1', correlationId: 'corr-1', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', schema: 1 };

function newEvent(n = 0, type = 'ThingHappened'): NewEvent {
  return { id: randomUUID(), type, data: { n }, metadata: context };
}

function newEvents(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, n) => newEvent(n));
}

function uniqueStream(kind = 'thing'): string {
  return `${kind}-${randomUUID()}`;
}

/** Polls until `done` holds; a deadline turns a hang into a readable failure. */
async function waitUntil(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the promise to reject');
    },
    (error: unknown) => error,
  );
}

export function describeEventStoreContract(name: string, createStore: () => Promise<StoreUnderTest>): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: EventStore;

    beforeEach(async () => {
      subject = await createStore();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.dispose();
    });

    async function expectConflict(streamId: string, expected: ExpectedRevision, actual: number): Promise<void> {
      const error = await rejection(store.append(streamId, [newEvent()], expected));
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamId, expected, actual });
    }

    describe('append', () => {
      it('numbers a new stream from revision 0 and continues contiguously across appends', async () => {
        const streamId = uniqueStream();
        await store.append(streamId, newEvents(2), 'no_stream');
        await store.append(streamId, newEvents(3), 1);
        const revisions = (await store.readStream(streamId)).map((e) => e.revision);
        expect(revisions).toEqual([0, 1, 2, 3, 4]);
      });

      it('returns the revision and global position of the last appended event', async () => {
        const streamId = uniqueStream();
        const result = await store.append(streamId, newEvents(3), 'no_stream');
        const stored = await store.readStream(streamId);
        expect(result).toMatchObject({ nextRevision: 2, position: stored.at(-1)?.position });
        // Optional: an adapter that reports each event's position (a command batch answers each command with its own) reports them all, in order.
        if (result.positions !== undefined) expect(result.positions).toEqual(stored.map((e) => e.position));
      });

      it('gives positions that increase across all streams in append order', async () => {
        const a = uniqueStream();
        const b = uniqueStream();
        const results = [
          await store.append(a, [newEvent()], 'any'),
          await store.append(b, newEvents(2), 'any'),
          await store.append(a, [newEvent()], 'any'),
        ];
        const positions = results.map((r) => r.position);
        expect(positions).toEqual([...positions].sort((x, y) => x - y));
        expect(new Set(positions).size).toBe(3);
        const logPositions = (await store.readAll()).map((e) => e.position);
        expect(logPositions).toEqual([...logPositions].sort((x, y) => x - y));
        expect(logPositions).toHaveLength(4);
      });

      it("appends with 'any' whether or not the stream exists", async () => {
        const streamId = uniqueStream();
        await store.append(streamId, [newEvent()], 'any');
        await store.append(streamId, [newEvent()], 'any');
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it("appends with 'no_stream' only when the stream does not exist", async () => {
        const streamId = uniqueStream();
        await store.append(streamId, newEvents(2), 'no_stream');
        await expectConflict(streamId, 'no_stream', 1);
      });

      it("appends with 'stream_exists' only when the stream exists, reporting -1 otherwise", async () => {
        const streamId = uniqueStream();
        await expectConflict(streamId, 'stream_exists', -1);
        await store.append(streamId, [newEvent()], 'any');
        await expect(store.append(streamId, [newEvent()], 'stream_exists')).resolves.toMatchObject({ nextRevision: 1 });
      });

      it('appends with an exact revision only when it is the revision of the last event', async () => {
        const streamId = uniqueStream();
        await expectConflict(streamId, 0, -1);
        await store.append(streamId, newEvents(3), 'no_stream');
        await expectConflict(streamId, 1, 2);
        await expectConflict(streamId, 3, 2);
        await expect(store.append(streamId, [newEvent()], 2)).resolves.toMatchObject({ nextRevision: 3 });
      });

      it('writes nothing when the expected revision does not hold', async () => {
        const streamId = uniqueStream();
        await store.append(streamId, [newEvent()], 'no_stream');
        const head = await store.headPosition();
        await expectConflict(streamId, 'no_stream', 0);
        expect(await store.readStream(streamId)).toHaveLength(1);
        expect(await store.headPosition()).toBe(head);
      });

      it('treats an empty append as an expectation check that reports where the stream stands', async () => {
        const streamId = uniqueStream();
        await expect(store.append(streamId, [], 'no_stream')).resolves.toEqual({ nextRevision: -1, position: 0 });
        const written = await store.append(streamId, newEvents(2), 'no_stream');
        await store.append(uniqueStream(), [newEvent()], 'no_stream');
        await expect(store.append(streamId, [], 1)).resolves.toEqual({ nextRevision: written.nextRevision, position: written.position });
        await expect(store.append(streamId, [], 0)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('rejects an event id that is already stored, naming it, and writes nothing of its batch', async () => {
        const streamId = uniqueStream();
        const first = newEvent();
        await store.append(streamId, [first], 'no_stream');
        const head = await store.headPosition();
        await expect(store.append(uniqueStream(), [newEvent(), { ...first }], 'any')).rejects.toThrow(first.id);
        expect(await store.headPosition()).toBe(head);
      });

      it('lets exactly one of several concurrent appends at the same expected revision win', async () => {
        const streamId = uniqueStream();
        await store.append(streamId, [newEvent()], 'no_stream');
        const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => store.append(streamId, [newEvent()], 0)));
        const winners = outcomes.filter((o) => o.status === 'fulfilled');
        const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(winners).toHaveLength(1);
        for (const loser of losers) {
          expect(loser.reason).toBeInstanceOf(WrongExpectedRevisionError);
          expect(loser.reason).toMatchObject({ actual: 1 });
        }
        expect((await store.readStream(streamId)).map((e) => e.revision)).toEqual([0, 1]);
      });
    });

    describe('readStream', () => {
      let streamId: string;

      beforeEach(async () => {
        streamId = uniqueStream();
        await store.append(streamId, newEvents(5), 'no_stream');
        await store.append(uniqueStream(), newEvents(2), 'no_stream');
      });

      const revisionsOf = (events: RecordedEvent[]): number[] => events.map((e) => e.revision);

      it('reads a whole stream forwards by default, and only that stream', async () => {
        const events = await store.readStream(streamId);
        expect(revisionsOf(events)).toEqual([0, 1, 2, 3, 4]);
        expect(events.every((e) => e.streamId === streamId)).toBe(true);
        expect(events.map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2, 3, 4]);
      });

      it('reads backwards from the last event', async () => {
        expect(revisionsOf(await store.readStream(streamId, { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
      });

      it('starts at fromRevision inclusively in either direction', async () => {
        expect(revisionsOf(await store.readStream(streamId, { fromRevision: 2 }))).toEqual([2, 3, 4]);
        expect(revisionsOf(await store.readStream(streamId, { direction: 'backwards', fromRevision: 2 }))).toEqual([2, 1, 0]);
      });

      it('returns at most maxCount events', async () => {
        expect(revisionsOf(await store.readStream(streamId, { maxCount: 2 }))).toEqual([0, 1]);
        expect(revisionsOf(await store.readStream(streamId, { direction: 'backwards', maxCount: 2 }))).toEqual([4, 3]);
        expect(revisionsOf(await store.readStream(streamId, { fromRevision: 1, maxCount: 2 }))).toEqual([1, 2]);
      });

      it('returns an empty array for a stream that does not exist', async () => {
        expect(await store.readStream(uniqueStream())).toEqual([]);
      });
    });

    describe('readAll and headPosition', () => {
      it('reports head position 0 and reads nothing from an empty store', async () => {
        expect(await store.headPosition()).toBe(0);
        expect(await store.readAll()).toEqual([]);
      });

      it('reads the log in position order after a given position, at most maxCount at a time', async () => {
        await store.append(uniqueStream(), newEvents(3), 'no_stream');
        await store.append(uniqueStream(), newEvents(3), 'no_stream');
        const all = await store.readAll();
        expect(all).toHaveLength(6);
        const positions = all.map((e) => e.position);
        const page = await store.readAll({ after: positions[1], maxCount: 3 });
        expect(page.map((e) => e.position)).toEqual(positions.slice(2, 5));
        expect(await store.readAll({ after: positions[5] })).toEqual([]);
      });

      it('reports the position of the last event as head position', async () => {
        await store.append(uniqueStream(), newEvents(2), 'no_stream');
        const { position } = await store.append(uniqueStream(), newEvents(2), 'no_stream');
        expect(await store.headPosition()).toBe(position);
      });
    });

    describe('readEventColumns', () => {
      it('reads what readStream and readAll read, as flat columns, with or without the data text', async () => {
        const streamId = uniqueStream();
        const other = uniqueStream();
        const byNobody: NewEvent = { id: randomUUID(), type: 'ThingRenamed', data: { name: 'Ünïcode ✓ "quoted"\n', nested: { none: null } }, metadata: { ...context, actor: null } };
        await store.append(streamId, [...newEvents(3), byNobody], 'no_stream');
        await store.append(other, newEvents(2), 'no_stream');
        await store.append(streamId, newEvents(1), 'any');
        const columns = (e: EventWithDataText, withData: boolean) => [e.position, e.streamId, e.revision, e.type, e.metadata.occurredAt, e.metadata.actor, e.metadata.correlationId, withData ? e.dataText : null];
        const all = await store.readAll();
        const reads: DataTextRead[] = [{ streamId }, { streamId, fromRevision: 2, maxCount: 2 }, { streamId: uniqueStream() }, {}, { after: all[1]!.position, maxCount: 3 }, { after: all[all.length - 1]!.position }];
        for (const read of reads) {
          for (const withData of [true, false]) {
            const expected = (await readWithDataTextByParsing(store, read)).map((e) => columns(e, withData));
            const got = await store.readEventColumns({ ...read, withData });
            expect(got.map((row) => (withData ? [...row.slice(0, 7), JSON.parse(row[7]!)] : row))).toEqual(expected.map((row) => (withData ? [...row.slice(0, 7), JSON.parse(row[7] as string)] : row)));
          }
        }
        const [, , , nobody] = await store.readEventColumns({ streamId, withData: false });
        expect(nobody?.[5]).toBeNull();
        expect(nobody?.[3]).toBe('ThingRenamed');

        // Several whole streams at once: their events in log order.
        const third = uniqueStream();
        await store.append(third, newEvents(2), 'no_stream');
        const both = (await readWithDataTextByParsing(store, {})).filter((e) => e.streamId === streamId || e.streamId === third);
        for (const withData of [true, false]) {
          const got = await store.readEventColumns({ streamIds: [third, streamId, uniqueStream()], withData });
          expect(got.map((row) => (withData ? [...row.slice(0, 7), JSON.parse(row[7]!)] : row))).toEqual(both.map((e) => columns(e, withData)).map((row) => (withData ? [...row.slice(0, 7), JSON.parse(row[7] as string)] : row)));
        }
        expect(await store.readEventColumns({ streamIds: [], withData: true })).toEqual([]);
      });
    });

    describe('stored events', () => {
      it('keep their id, type, data and metadata exactly as appended', async () => {
        const streamId = uniqueStream();
        const event: NewEvent = {
          id: randomUUID(),
          type: 'ThingRenamed',
          data: { name: 'Ünïcode ✓', tags: ['a', 'b'], nested: { flag: true, none: null, n: 1.5 } },
          metadata: {
            actor: 'user-7',
            correlationId: randomUUID(),
            causationId: randomUUID(),
            occurredAt: '2026-03-04T05:06:07.089Z',
            traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
            schema: 3,
          },
        };
        await store.append(streamId, [event], 'no_stream');
        const [stored] = await store.readStream(streamId);
        expect(stored).toMatchObject({ id: event.id, type: event.type, streamId, revision: 0, data: event.data });
        expect(stored?.metadata).toMatchObject(event.metadata);
      });

      it('keep a null actor and causation id for system events', async () => {
        const streamId = uniqueStream();
        await store.append(streamId, [newEvent()], 'no_stream');
        const [stored] = await store.readStream(streamId);
        expect(stored?.metadata).toMatchObject({ actor: 'user-1', causationId: null, schema: 1 });
        const system: NewEvent = { ...newEvent(), metadata: { ...context, actor: null } };
        await store.append(streamId, [system], 0);
        expect((await store.readStream(streamId))[1]?.metadata.actor).toBeNull();
      });

      it('are chained: the first links to the genesis hash and each next to its predecessor', async () => {
        const streamId = uniqueStream();
        await store.append(streamId, newEvents(2), 'no_stream');
        await store.append(streamId, newEvents(2), 1);
        const events = await store.readStream(streamId);
        expect(events[0]?.metadata.prevHash).toBe(GENESIS_HASH);
        for (let i = 1; i < events.length; i += 1) {
          expect(events[i]?.metadata.prevHash).toBe(events[i - 1]?.metadata.hash);
        }
        expect(events.every((e) => /^[0-9a-f]{64}$/.test(e.metadata.hash))).toBe(true);
      });

      it('verify with the chain verifier when the whole log is read in order', async () => {
        const a = uniqueStream();
        const b = uniqueStream();
        await store.append(a, newEvents(3), 'no_stream');
        await store.append(b, newEvents(2), 'no_stream');
        await store.append(a, newEvents(2), 2);
        const verifier = new ChainVerifier();
        (await store.readAll()).forEach((event) => verifier.check(event));
        expect(verifier.report()).toEqual({ ok: true, streams: 2, events: 7, firstBrokenLink: null });
      });
    });

    describe('subscribeToAll', () => {
      it('delivers past events, then live ones, in order with no gap or duplicate', async () => {
        await store.append(uniqueStream(), newEvents(3), 'no_stream');
        await store.append(uniqueStream(), newEvents(2), 'no_stream');
        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({
          after: 0,
          batchSize: 2,
          onEvents: async (events) => {
            received.push(...events);
          },
        });
        await waitUntil(() => received.length === 5, 'the past events arrive');
        await store.append(uniqueStream(), newEvents(2), 'no_stream');
        for (let i = 0; i < 3; i += 1) await store.append(uniqueStream(), [newEvent(i)], 'no_stream');
        await waitUntil(() => received.length >= 10, 'the live events arrive');
        await subscription.stop();
        expect(received.map((e) => e.id)).toEqual((await store.readAll()).map((e) => e.id));
      });

      it('starts strictly after the given position', async () => {
        await store.append(uniqueStream(), newEvents(4), 'no_stream');
        const all = await store.readAll();
        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({
          after: all[1]!.position,
          onEvents: async (events) => {
            received.push(...events);
          },
        });
        await waitUntil(() => received.length === 2, 'the events after the position arrive');
        await subscription.stop();
        expect(received.map((e) => e.position)).toEqual([all[2]!.position, all[3]!.position]);
      });

      it('waits for the handler before delivering the next batch', async () => {
        await store.append(uniqueStream(), newEvents(4), 'no_stream');
        const trace: string[] = [];
        const subscription = store.subscribeToAll({
          after: 0,
          batchSize: 1,
          onEvents: async (events) => {
            trace.push(`start ${events[0]!.position}`);
            await new Promise((resolve) => setTimeout(resolve, 2));
            trace.push(`end ${events[0]!.position}`);
          },
        });
        await waitUntil(() => trace.length === 8, 'four batches are handled');
        await subscription.stop();
        const positions = (await store.readAll()).map((e) => e.position);
        expect(trace).toEqual(positions.flatMap((p) => [`start ${p}`, `end ${p}`]));
      });

      it('resolves stop only once the running handler has finished', async () => {
        await store.append(uniqueStream(), [newEvent()], 'no_stream');
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        let handling = false;
        const subscription = store.subscribeToAll({
          after: 0,
          onEvents: async () => {
            handling = true;
            await released;
          },
        });
        await waitUntil(() => handling, 'the handler starts');
        let stopped = false;
        const stopping = subscription.stop().then(() => (stopped = true));
        await new Promise((resolve) => setImmediate(resolve));
        expect(stopped).toBe(false);
        release();
        await stopping;
        expect(stopped).toBe(true);
      });

      it('delivers nothing more once stopped', async () => {
        const stoppedReceived: RecordedEvent[] = [];
        const witnessReceived: RecordedEvent[] = [];
        const stoppedOne = store.subscribeToAll({ after: 0, onEvents: async (events) => void stoppedReceived.push(...events) });
        const witness = store.subscribeToAll({ after: 0, onEvents: async (events) => void witnessReceived.push(...events) });
        await store.append(uniqueStream(), [newEvent()], 'no_stream');
        await waitUntil(() => stoppedReceived.length === 1 && witnessReceived.length === 1, 'both see the first event');
        await stoppedOne.stop();
        await store.append(uniqueStream(), [newEvent()], 'no_stream');
        // Once the witness has seen the second event, the stopped one would have too.
        await waitUntil(() => witnessReceived.length === 2, 'the witness sees the second event');
        await witness.stop();
        expect(stoppedReceived).toHaveLength(1);
      });

      it('reports a handler error to onError and stops delivering', async () => {
        await store.append(uniqueStream(), newEvents(3), 'no_stream');
        const failure = new Error('projection failed');
        let calls = 0;
        const errors: unknown[] = [];
        const subscription = store.subscribeToAll({
          after: 0,
          batchSize: 1,
          onEvents: async () => {
            calls += 1;
            throw failure;
          },
          onError: (error) => errors.push(error),
        });
        await waitUntil(() => errors.length > 0, 'the error is reported');
        await store.append(uniqueStream(), [newEvent()], 'no_stream');
        await subscription.stop();
        expect(errors).toEqual([failure]);
        expect(calls).toBe(1);
      });
    });
  });
}
