/**
 * The whole bus pipeline on a real broker: SQLite event store → relay → Kafka (a fresh topic with
 * three partitions) → two projection consumers in one group → SQLite read store. Runs when
 * KAFKA_BROKERS is set (`bash infra/engines/kafka.sh start` prints it).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@resoft/infra';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { KafkaEventBus } from '@resoft/adapter-kafka';
import { allProjections } from '../projections/all-projections.js';
import { ReadModels } from '../projections/read-model-names.js';
import { BusProjectionConsumer, partitionCheckpointName } from '../runtime/bus-projection-consumer.js';
import { busProgress } from '../runtime/bus-progress.js';
import { appendSteps, eventMix, rebuildAll, snapshotCollections } from '../testing/event-mix.fixture.js';
import { EventRelay, relayPartitionsCollection, type RelayPartitionView } from './event-relay.js';

const brokers = process.env.KAFKA_BROKERS?.split(',').map((broker) => broker.trim()).filter(Boolean) ?? [];
const PARTITIONS = 3;
const TIMEOUT_MS = 120_000;

if (brokers.length === 0) {
  console.warn('Kafka pipeline test skipped: KAFKA_BROKERS is not set (run `bash infra/engines/kafka.sh install && bash infra/engines/kafka.sh start`)');
  describe.skip('relay and projections over Kafka (needs KAFKA_BROKERS)', () => {
    it('builds the same read models as a rebuild', () => undefined);
  });
} else {
  describe(`relay and projections over Kafka on ${brokers.join(',')}`, () => {
    const log = createLogger('silent');
    let dir: string;
    let events: SqliteEventStore;
    let readStore: SqliteReadStore;
    let rebuilt: SqliteReadStore;
    let relayBus: KafkaEventBus;
    let consumerBus: KafkaEventBus;
    let relay: EventRelay;
    let consumers: BusProjectionConsumer[];

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-kafka-pipeline-'));
      events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
      readStore = new SqliteReadStore({ file: path.join(dir, 'read.sqlite') });
      rebuilt = new SqliteReadStore({ file: path.join(dir, 'rebuilt.sqlite') });
      // The relay and the projectors would be different processes: each gets its own client.
      const topic = `resoft-pipeline-${randomUUID()}`;
      const options = { brokers, topic, partitions: PARTITIONS, replicationFactor: 1, clientId: 'resoft-pipeline-tests', heartbeatIntervalMs: 500, maxWaitMs: 200 };
      relayBus = new KafkaEventBus(options);
      consumerBus = new KafkaEventBus(options);
      relay = new EventRelay(events, relayBus, readStore, log, { batchSize: 25, retryDelayMs: 100 });
      consumers = [];
    });
    afterEach(async () => {
      await relay.stop();
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await relayBus.close();
      await consumerBus.close();
      await events.close();
      await readStore.close();
      await rebuilt.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }, TIMEOUT_MS);

    it(
      'two members of one group build the same read models as a rebuild from the event store',
      async () => {
        const group = `projectors-${randomUUID()}`;
        const { steps, postedMessages } = eventMix('kafka', 5);
        const half = Math.floor(steps.length / 2);
        await relay.start(); // creates the topic
        await appendSteps(events, steps.slice(0, half));
        for (let i = 0; i < 2; i++) {
          const consumer = new BusProjectionConsumer(consumerBus, readStore, log, { group });
          consumers.push(consumer);
          await consumer.start();
        }
        const head = await appendSteps(events, steps.slice(half));

        expect(await busProgress(readStore)(head, 90_000)).toBe(true);
        await rebuildAll(events, rebuilt, allProjections);
        expect(await snapshotCollections(readStore, allProjections)).toEqual(await snapshotCollections(rebuilt, allProjections));
        expect(await readStore.count(ReadModels.chatMessages)).toBe(postedMessages);
        // The relay's idea of Kafka's partitioning is Kafka's: every partition was projected exactly up to what the relay recorded for it.
        const published = await readStore.find<RelayPartitionView>(relayPartitionsCollection.name);
        expect(published.map((doc) => doc.partition).sort()).toEqual([0, 1, 2]);
        for (const { partition, position } of published) {
          for (const projection of allProjections) expect(await readStore.getCheckpoint(partitionCheckpointName(projection.name, partition))).toBe(position);
        }
      },
      TIMEOUT_MS,
    );
  });
}
