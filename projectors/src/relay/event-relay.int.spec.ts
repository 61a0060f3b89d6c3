import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecordedEvent } from '@resoft/domain';
import { createLogger } from '@resoft/infra';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { InProcessEventBus, inProcessPartitionOf, type BusConsumer, type BusRecord, type EventBus } from '@resoft/ports';
import { appendSteps, eventMix, waitUntil } from '../testing/event-mix.fixture.js';
import { EventRelay, RELAY_CHECKPOINT, relayPartitionsCollection, type EventRelayOptions, type RelayPartitionView } from './event-relay.js';

const PARTITIONS = 3;
const log = createLogger('silent');

interface Delivery {
  readonly partition: number;
  readonly events: RecordedEvent[];
}

/** A bus whose next `failures` publishes fail: before reaching the bus, or (`ackLost`) after it took the records. */
class FlakyBus implements EventBus {
  attempts = 0;
  failures = 0;
  ackLost = false;
  /** Relay checkpoint seen right after each failed publish. */
  readonly checkpointsAtFailure: number[] = [];
  /** Ids of the events of the failed publishes. */
  readonly failed: string[] = [];

  constructor(private readonly inner: EventBus, private readonly readStore: SqliteReadStore) {}

  ensureTopic(): Promise<number> {
    return this.inner.ensureTopic();
  }
  partitionOf(key: string): number {
    return this.inner.partitionOf(key);
  }
  async publish(records: readonly BusRecord[]): Promise<void> {
    this.attempts += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      this.failed.push(...records.map((r) => r.event.id));
      if (this.ackLost) await this.inner.publish(records);
      this.checkpointsAtFailure.push(await this.readStore.getCheckpoint(RELAY_CHECKPOINT));
      throw new Error('bus unavailable');
    }
    await this.inner.publish(records);
  }
  consume(...args: Parameters<EventBus['consume']>): ReturnType<EventBus['consume']> {
    return this.inner.consume(...args);
  }
  activeMembers(group: string): Promise<number> {
    return this.inner.activeMembers(group);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Revisions each stream arrived with, in arrival order. */
function revisionsByStream(deliveries: readonly Delivery[]): Map<string, number[]> {
  const byStream = new Map<string, number[]>();
  for (const event of deliveries.flatMap((d) => d.events)) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event.revision]);
  return byStream;
}

/** Each stream's revisions in order, once each: what the log holds, stream by stream. */
function expectedRevisions(events: readonly RecordedEvent[]): Map<string, number[]> {
  return revisionsByStream([{ partition: 0, events: [...events] }]);
}

describe('EventRelay', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;
  let bus: InProcessEventBus;
  let relays: EventRelay[];
  let consumers: BusConsumer[];
  const partitionOf = (key: string): number => inProcessPartitionOf(key, PARTITIONS);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-relay-'));
    events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    readStore = new SqliteReadStore({ file: path.join(dir, 'read.sqlite') });
    bus = new InProcessEventBus({ partitions: PARTITIONS, maxBatchSize: 7 });
    relays = [];
    consumers = [];
  });
  afterEach(async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await bus.close();
    await events.close();
    await readStore.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function startRelay(on: EventBus = bus, options: Partial<EventRelayOptions> = {}): Promise<EventRelay> {
    const relay = new EventRelay(events, on, readStore, log, { batchSize: 10, retryDelayMs: 10, ...options });
    relays.push(relay);
    await relay.start();
    return relay;
  }

  async function record(deliveries: Delivery[], group = 'observer'): Promise<void> {
    consumers.push(await bus.consume({ group, onBatch: async (batch, partition) => void deliveries.push({ partition, events: batch }) }));
  }

  const arrivedCount = (deliveries: readonly Delivery[]) => new Set(deliveries.flatMap((d) => d.events.map((e) => e.id))).size;

  it('publishes every appended event, each stream in order, on the partition the bus chooses, and records what each partition got', async () => {
    const { steps } = eventMix('relay', 3);
    const half = Math.floor(steps.length / 2);
    await appendSteps(events, steps.slice(0, half));
    const deliveries: Delivery[] = [];
    await record(deliveries);
    const relay = await startRelay();
    const head = await appendSteps(events, steps.slice(half));

    expect(await relay.waitFor(head, 10_000)).toBe(true);
    const all = await events.readAll();
    await waitUntil(() => arrivedCount(deliveries) === all.length, 'every event arrived');

    expect(revisionsByStream(deliveries)).toEqual(expectedRevisions(all));
    for (const { partition, events: batch } of deliveries) for (const event of batch) expect(partitionOf(event.streamId)).toBe(partition);
    expect(await readStore.getCheckpoint(RELAY_CHECKPOINT)).toBe(head);
    const lastPerPartition = new Map<number, number>();
    for (const event of all) lastPerPartition.set(partitionOf(event.streamId), event.position);
    const recorded = await readStore.find<RelayPartitionView>(relayPartitionsCollection.name);
    expect(new Map(recorded.map((doc) => [doc.partition, doc.position]))).toEqual(lastPerPartition);
  });

  it('resumes from its stored checkpoint after a restart and loses nothing', async () => {
    const { steps } = eventMix('restart', 2);
    const third = Math.floor(steps.length / 3);
    const deliveries: Delivery[] = [];
    await record(deliveries);
    const first = await startRelay();
    const before = await appendSteps(events, steps.slice(0, third));
    expect(await first.waitFor(before, 10_000)).toBe(true);
    await first.stop();

    await appendSteps(events, steps.slice(third, 2 * third));
    const second = await startRelay();
    const head = await appendSteps(events, steps.slice(2 * third));
    expect(await second.waitFor(head, 10_000)).toBe(true);

    const all = await events.readAll();
    await waitUntil(() => arrivedCount(deliveries) === all.length, 'every event arrived');
    // A clean stop checkpointed everything it published, so nothing came twice either.
    expect(revisionsByStream(deliveries)).toEqual(expectedRevisions(all));
    expect(await readStore.getCheckpoint(RELAY_CHECKPOINT)).toBe(head);
  });

  it('moves its checkpoint only after the bus acknowledged, and publishes a failed batch again', async () => {
    const flaky = new FlakyBus(bus, readStore);
    flaky.failures = 1;
    const deliveries: Delivery[] = [];
    await record(deliveries);
    const relay = await startRelay(flaky);
    const head = await appendSteps(events, eventMix('flaky', 1).steps);

    expect(await relay.waitFor(head, 10_000)).toBe(true);
    expect(flaky.checkpointsAtFailure).toEqual([0]);
    expect(flaky.attempts).toBeGreaterThanOrEqual(2);
    const all = await events.readAll();
    await waitUntil(() => arrivedCount(deliveries) === all.length, 'every event arrived');
    expect(revisionsByStream(deliveries)).toEqual(expectedRevisions(all));
    expect(relay.problem).toBeNull();
  });

  it('publishes a batch twice, never skips one, when the acknowledgement is lost after the bus took it', async () => {
    const flaky = new FlakyBus(bus, readStore);
    flaky.failures = 1;
    flaky.ackLost = true;
    const deliveries: Delivery[] = [];
    await record(deliveries);
    const relay = await startRelay(flaky);
    const head = await appendSteps(events, eventMix('acklost', 1).steps);

    expect(await relay.waitFor(head, 10_000)).toBe(true);
    expect(flaky.checkpointsAtFailure).toEqual([0]);
    const all = await events.readAll();
    await waitUntil(() => arrivedCount(deliveries) === all.length, 'every event arrived');
    // The first batch came twice; after the repeat each stream continues where it was.
    const firstBatch = new Set(flaky.failed);
    expect(firstBatch.size).toBeGreaterThan(0);
    const arrived = deliveries.flatMap((d) => d.events);
    expect(arrived.filter((event) => firstBatch.has(event.id))).toHaveLength(2 * firstBatch.size);
    const deduplicated = new Map<string, number[]>();
    for (const [streamId, revisions] of revisionsByStream(deliveries)) deduplicated.set(streamId, [...new Set(revisions)]);
    expect(deduplicated).toEqual(expectedRevisions(all));
  });

  it('stands down and reports it when another relay moved the checkpoint', async () => {
    const lost: string[] = [];
    const deliveries: Delivery[] = [];
    await record(deliveries);
    const one = await startRelay(bus, { onLost: () => lost.push('one') });
    const two = await startRelay(bus, { onLost: () => lost.push('two') });
    const { steps } = eventMix('pair', 1);
    await appendSteps(events, steps.slice(0, 5));

    // Both started at 0: whichever writes second finds the checkpoint moved.
    await waitUntil(() => lost.length === 1, 'one relay stood down');
    const [loser, winner] = lost[0] === 'one' ? [one, two] : [two, one];
    expect(loser.problem).toMatch(/another relay/);
    const head = await appendSteps(events, steps.slice(5));
    expect(await winner.waitFor(head, 10_000)).toBe(true);
    const all = await events.readAll();
    await waitUntil(() => arrivedCount(deliveries) === all.length, 'every event arrived');
    expect(lost).toHaveLength(1);
    expect(loser.checkpoint).toBeLessThan(head);
  });
  it('goes on without standing down when its own checkpoint reads back lower than it wrote (an update lost by the engine)', async () => {
    const lost: string[] = [];
    const deliveries: Delivery[] = [];
    await record(deliveries);
    const relay = await startRelay(bus, { onLost: () => lost.push('relay') });
    const { steps } = eventMix('regress', 2);
    const middle = await appendSteps(events, steps.slice(0, 10));
    expect(await relay.waitFor(middle, 10_000)).toBe(true);

    // What FerretDB's non-atomic conditional update did (issue 15, "at 413, expected 418"): the stored checkpoint went back.
    await readStore.write({ ops: [], checkpoint: { name: RELAY_CHECKPOINT, expected: middle, position: middle - 3 } });
    const head = await appendSteps(events, steps.slice(10));

    await waitUntil(async () => (await readStore.getCheckpoint(RELAY_CHECKPOINT)) === head, 'the relay checkpoint reached the head');
    expect(lost).toEqual([]);
    expect(relay.standingBy).toBe(false);
    expect(relay.problem).toBeNull();
    const all = await events.readAll();
    await waitUntil(() => arrivedCount(deliveries) === all.length, 'every event arrived');
  });

  it('creates the topic again and goes on when the topic was lost (a broker restarted on empty storage)', async () => {
    const deliveries: Delivery[] = [];
    await record(deliveries);
    let topicExists = true;
    let ensured = 0;
    const losingBus: EventBus = {
      ensureTopic: async () => {
        ensured++;
        topicExists = true;
        return bus.ensureTopic();
      },
      publish: async (records) => {
        if (!topicExists) throw new Error('This server does not host this topic-partition');
        return bus.publish(records);
      },
      partitionOf: (key) => bus.partitionOf(key),
      consume: (options) => bus.consume(options),
      activeMembers: (group) => bus.activeMembers(group),
      close: async () => undefined,
    };
    const relay = await startRelay(losingBus);
    const { steps } = eventMix('topic', 2);
    expect(await relay.waitFor(await appendSteps(events, steps.slice(0, 5)), 10_000)).toBe(true);

    topicExists = false;
    const ensuredBefore = ensured;
    const head = await appendSteps(events, steps.slice(5));

    expect(await relay.waitFor(head, 10_000)).toBe(true);
    expect(ensured).toBeGreaterThan(ensuredBefore);
    expect(relay.problem).toBeNull();
    const all = await events.readAll();
    await waitUntil(() => arrivedCount(deliveries) === all.length, 'every event arrived');
  });

  it('stands by and takes over, losing nothing, when the active relay stops making progress', async () => {
    const lost: string[] = [];
    const takeovers: number[] = [];
    const deliveries: Delivery[] = [];
    await record(deliveries);
    const fast = { takeoverAfterMs: 300, standbyCheckMs: 20, onTakeover: (position: number) => takeovers.push(position) };
    const one = await startRelay(bus, { ...fast, onLost: () => lost.push('one') });
    const two = await startRelay(bus, { ...fast, onLost: () => lost.push('two') });
    const { steps } = eventMix('failover', 2);
    await appendSteps(events, steps.slice(0, 5));
    await waitUntil(() => lost.length === 1, 'one relay stood down');
    const [standby, active] = lost[0] === 'one' ? [one, two] : [two, one];
    expect(standby.standingBy).toBe(true);

    // While the active relay keeps up, the standby stays put.
    const middle = await appendSteps(events, steps.slice(5, 10));
    expect(await active.waitFor(middle, 10_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(takeovers).toEqual([]);

    // The active relay dies; events keep coming; the standby takes over from the checkpoint.
    await active.stop();
    const head = await appendSteps(events, steps.slice(10));
    expect(await standby.waitFor(head, 10_000)).toBe(true);
    expect(takeovers).toEqual([middle]);
    expect(standby.problem).toBeNull();
    const all = await events.readAll();
    await waitUntil(() => arrivedCount(deliveries) === all.length, 'every event arrived');
  });
});
