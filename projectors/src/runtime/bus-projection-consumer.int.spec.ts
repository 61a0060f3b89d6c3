import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@resoft/infra';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { InProcessEventBus, type CollectionSpec, type Document, type FindOptions, type Filter, type ReadStore, type StagingReadStore, type WriteBatch } from '@resoft/ports';
import { allProjections } from '../projections/all-projections.js';
import type { ChatMessageView } from '../projections/chat-projection.js';
import type { ProjectView } from '../projections/projects-projection.js';
import { ReadModels } from '../projections/read-model-names.js';
import type { RoomView } from '../projections/rooms-projection.js';
import { EventRelay, relayPartitionsCollection, type RelayPartitionView } from '../relay/event-relay.js';
import { appendSteps, eventMix, rebuildAll, snapshotCollections, waitUntil } from '../testing/event-mix.fixture.js';
import { BusProjectionConsumer, partitionCheckpointName } from './bus-projection-consumer.js';
import { busPositionReached, busProgress } from './bus-progress.js';

const PARTITIONS = 3;
const log = createLogger('silent');

/** A read store that, once armed, fails the first write of a `chat@…` checkpoint with ops, as if the process died before it (the other projections of the batch write theirs). */
class CrashingReadStore implements ReadStore {
  armed = true;
  crashedAt: string | null = null;

  constructor(private readonly inner: ReadStore) {}

  ensureCollection(spec: CollectionSpec): Promise<void> {
    return this.inner.ensureCollection(spec);
  }
  get<T extends Document>(collection: string, id: string): Promise<T | null> {
    return this.inner.get<T>(collection, id);
  }
  getMany<T extends Document>(collection: string, ids: readonly string[]): Promise<T[]> {
    return this.inner.getMany<T>(collection, ids);
  }
  readCheckpoints(names: readonly string[]): Promise<Map<string, number>> {
    return this.inner.readCheckpoints(names);
  }
  find<T extends Document>(collection: string, options?: FindOptions): Promise<T[]> {
    return this.inner.find<T>(collection, options);
  }
  findJson(collection: string, options?: FindOptions): Promise<string[]> {
    return this.inner.findJson(collection, options);
  }
  count(collection: string, where?: Filter): Promise<number> {
    return this.inner.count(collection, where);
  }
  async write(batch: WriteBatch): Promise<void> {
    const name = batch.checkpoint?.name ?? '';
    if (this.armed && name.startsWith('chat@') && batch.ops.length > 0) {
      this.armed = false;
      this.crashedAt = name;
      throw new Error('process died before the chat write');
    }
    await this.inner.write(batch);
  }
  /** As `write`: the chat batch fails, the other projections' batches are written. */
  async writeBatches(batches: readonly WriteBatch[]): Promise<void> {
    const crashing = this.armed ? batches.find((batch) => (batch.checkpoint?.name ?? '').startsWith('chat@') && batch.ops.length > 0) : undefined;
    if (!crashing) return this.inner.writeBatches(batches);
    this.armed = false;
    this.crashedAt = crashing.checkpoint!.name;
    await this.inner.writeBatches(batches.filter((batch) => batch !== crashing));
    throw new Error('process died before the chat write');
  }
  getCheckpoint(name: string): Promise<number> {
    return this.inner.getCheckpoint(name);
  }
  staging(specs: readonly CollectionSpec[], checkpointName: string): Promise<StagingReadStore> {
    return this.inner.staging(specs, checkpointName);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('projections fed by the bus', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;
  let rebuilt: SqliteReadStore;
  let bus: InProcessEventBus;
  let relay: EventRelay;
  let consumers: BusProjectionConsumer[];
  const progress = () => busProgress(readStore);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-bus-projection-'));
    events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    readStore = new SqliteReadStore({ file: path.join(dir, 'read.sqlite') });
    rebuilt = new SqliteReadStore({ file: path.join(dir, 'rebuilt.sqlite') });
    // A long redelivery pause: a failed batch comes again only when its member leaves the group.
    bus = new InProcessEventBus({ partitions: PARTITIONS, maxBatchSize: 7, redeliveryDelayMs: 60_000, maxRedeliveryDelayMs: 60_000 });
    relay = new EventRelay(events, bus, readStore, log, { batchSize: 10, retryDelayMs: 10 });
    consumers = [];
  });
  afterEach(async () => {
    await relay.stop();
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await bus.close();
    await events.close();
    await readStore.close();
    await rebuilt.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function startConsumer(store: ReadStore = readStore): Promise<BusProjectionConsumer> {
    const consumer = new BusProjectionConsumer(bus, store, log);
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  }

  async function expectEqualToRebuild(): Promise<void> {
    await rebuildAll(events, rebuilt, allProjections);
    expect(await snapshotCollections(readStore, allProjections)).toEqual(await snapshotCollections(rebuilt, allProjections));
  }

  it('reports a problem (not ready) while its batches keep failing, and none once they go through again', async () => {
    const quickBus = new InProcessEventBus({ partitions: PARTITIONS, maxBatchSize: 7, redeliveryDelayMs: 10, maxRedeliveryDelayMs: 20 });
    const quickRelay = new EventRelay(events, quickBus, readStore, log, { batchSize: 10, retryDelayMs: 10 });
    let broken = true;
    const unavailable = new CrashingReadStore(readStore);
    unavailable.armed = false;
    const writeBatches = unavailable.writeBatches.bind(unavailable);
    unavailable.writeBatches = async (batches) => {
      if (broken && batches.some((batch) => batch.ops.length > 0)) throw new Error('read store unavailable');
      return writeBatches(batches);
    };
    const consumer = new BusProjectionConsumer(quickBus, unavailable, log);
    try {
      await consumer.start();
      await quickRelay.start();
      const head = await appendSteps(events, eventMix('failing', 1).steps);

      await waitUntil(() => consumer.problem !== null, 'the consumer reported a problem');
      expect(consumer.problem).toMatch(/read store unavailable/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(consumer.problem).toMatch(/read store unavailable/);

      broken = false;
      expect(await progress()(head, 10_000)).toBe(true);
      await waitUntil(() => consumer.problem === null, 'the problem cleared');
    } finally {
      await quickRelay.stop();
      await consumer.stop();
      await quickBus.close();
    }
  });

  it('two members of one group build the same read models as a rebuild, each partition checkpointed at the last position the relay sent it', async () => {
    await startConsumer();
    await startConsumer();
    await relay.start();
    const { steps } = eventMix('pair', 4);
    const head = await appendSteps(events, steps);

    expect(await progress()(head, 15_000)).toBe(true);
    await expectEqualToRebuild();
    const published = await readStore.find<RelayPartitionView>(relayPartitionsCollection.name);
    expect(published.map((doc) => doc.partition).sort()).toEqual([0, 1, 2]);
    for (const { partition, position } of published) {
      for (const projection of allProjections) expect(await readStore.getCheckpoint(partitionCheckpointName(projection.name, partition))).toBe(position);
    }
  });

  it('applies nothing twice when a member dies half-way through a batch and the batch goes to the restarted members', async () => {
    const crashing = new CrashingReadStore(readStore);
    const doomed = await startConsumer(crashing);
    await relay.start();
    const { steps, postedMessages } = eventMix('crash', 4);
    const half = Math.floor(steps.length / 2);
    await appendSteps(events, steps.slice(0, half));

    await waitUntil(() => crashing.crashedAt !== null, 'the doomed member crashed');
    await doomed.stop();
    // Half-way: the other projections of that partition wrote the batch, the chat projection did not.
    const partition = Number(crashing.crashedAt!.split('@p')[1]);
    const others = await Promise.all(allProjections.filter((p) => p.name !== 'chat').map((p) => readStore.getCheckpoint(partitionCheckpointName(p.name, partition))));
    expect(await readStore.getCheckpoint(partitionCheckpointName('chat', partition))).toBeLessThan(Math.max(...others));

    await startConsumer();
    await startConsumer();
    const head = await appendSteps(events, steps.slice(half));
    expect(await progress()(head, 15_000)).toBe(true);

    await expectEqualToRebuild();
    expect(await readStore.count(ReadModels.chatMessages)).toBe(postedMessages);
    const rooms = await readStore.find<RoomView>(ReadModels.rooms);
    expect(rooms.map((room) => room.memberCount)).toEqual([2, 2, 2, 2]);
    const projects = await readStore.find<ProjectView>(ReadModels.projects);
    expect(projects.map((project) => project.memberCount)).toEqual([2, 2, 2, 2]);
  });

  it('a member that gets partitions back after another member applied them re-reads their checkpoints: nothing applied twice, nothing skipped', async () => {
    // Quick redelivery: the batch whose remembered checkpoint is stale is refused by the compare-and-set and comes again at once.
    const quickBus = new InProcessEventBus({ partitions: PARTITIONS, maxBatchSize: 7, redeliveryDelayMs: 10, maxRedeliveryDelayMs: 20 });
    const quickRelay = new EventRelay(events, quickBus, readStore, log, { batchSize: 10, retryDelayMs: 10 });
    const first = new BusProjectionConsumer(quickBus, readStore, log);
    const second = new BusProjectionConsumer(quickBus, readStore, log);
    try {
      await first.start();
      await quickRelay.start();
      const { steps, postedMessages } = eventMix('handback', 4);
      const third = Math.floor(steps.length / 3);
      expect(await progress()(await appendSteps(events, steps.slice(0, third)), 15_000)).toBe(true);
      // The second member takes some partitions and moves their checkpoints past what the first remembers.
      await second.start();
      expect(await progress()(await appendSteps(events, steps.slice(third, 2 * third)), 15_000)).toBe(true);
      await second.stop();
      expect(await progress()(await appendSteps(events, steps.slice(2 * third)), 15_000)).toBe(true);

      await expectEqualToRebuild();
      expect(await readStore.count(ReadModels.chatMessages)).toBe(postedMessages);
      const rooms = await readStore.find<RoomView>(ReadModels.rooms);
      expect(rooms.map((room) => room.memberCount)).toEqual([2, 2, 2, 2]);
    } finally {
      await quickRelay.stop();
      await first.stop();
      await second.stop();
      await quickBus.close();
    }
  });

  it('counts once what a standby relay publishes again from an older checkpoint, also when both copies come in one batch', async () => {
    // Batches large enough that the first copy and the repeat of a partition's events come together.
    const bigBus = new InProcessEventBus({ partitions: PARTITIONS, maxBatchSize: 1_000 });
    const firstRelay = new EventRelay(events, bigBus, readStore, log, { batchSize: 10, retryDelayMs: 10 });
    const consumer = new BusProjectionConsumer(bigBus, readStore, log);
    try {
      const { steps, postedMessages } = eventMix('standby', 3);
      const head = await appendSteps(events, steps);
      await firstRelay.start();
      expect(await firstRelay.waitFor(head, 10_000)).toBe(true);
      await firstRelay.stop();
      // The active relay died after publishing the last third but before its checkpoint said so:
      // the standby publishes that third again, and nobody has consumed anything yet.
      const all = await events.readAll();
      const again = all.slice(Math.floor((all.length * 2) / 3));
      await bigBus.publish(again.map((event) => ({ key: event.streamId, event })));

      await consumer.start();
      expect(await progress()(head, 15_000)).toBe(true);
      await expectEqualToRebuild();
      expect(await readStore.count(ReadModels.chatMessages)).toBe(postedMessages);
    } finally {
      await firstRelay.stop();
      await consumer.stop();
      await bigBus.close();
    }
  });

  it('reports a position reached only once the relay published it and every partition applied it', async () => {
    const { steps } = eventMix('ryw', 2);
    const head = await appendSteps(events, steps);
    const wait = progress();
    expect(await busPositionReached(readStore, head)).toBe(false);

    await relay.start();
    expect(await relay.waitFor(head, 10_000)).toBe(true);
    // On the bus, but nobody projects yet.
    expect(await wait(head, 30)).toBe(false);

    await startConsumer();
    expect(await wait(head, 15_000)).toBe(true);
    const last = steps.flatMap((step) => step.events).filter((event) => event.type === 'ChatMessagePosted').pop()!;
    const messageId = (last.data as { messageId: string }).messageId;
    expect(await readStore.get<ChatMessageView>(ReadModels.chatMessages, messageId)).toMatchObject({ id: messageId });
  });

  it('does not wait on partitions that hold nothing up to the position', async () => {
    await startConsumer();
    await relay.start();
    const { steps } = eventMix('single', 1);
    const head = await appendSteps(events, steps.slice(0, 1));
    expect(await progress()(head, 10_000)).toBe(true);
    const published = await readStore.find<RelayPartitionView>(relayPartitionsCollection.name);
    expect(published).toHaveLength(1);
    expect(await busPositionReached(readStore, 0)).toBe(true);
  });
});
