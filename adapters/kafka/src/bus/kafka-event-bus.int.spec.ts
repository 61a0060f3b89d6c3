/**
 * The Kafka adapter against a real broker: `bash infra/engines/kafka.sh start` prints the
 * KAFKA_BROKERS to export. Each test gets a fresh topic with three partitions, deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { describeEventBusContract } from '@resoft/ports/contracts';
import { KafkaEventBus } from './kafka-event-bus.js';
import { traceOfDelivery } from '@resoft/infra';
import type { RecordedEvent } from '@resoft/domain';

const brokers = process.env.KAFKA_BROKERS?.split(',').map((broker) => broker.trim()).filter(Boolean) ?? [];
const PARTITIONS = 3;

if (brokers.length === 0) {
  console.warn('KafkaEventBus integration tests skipped: KAFKA_BROKERS is not set (run `bash infra/engines/kafka.sh install && bash infra/engines/kafka.sh start`)');
  describe.skip('KafkaEventBus (needs KAFKA_BROKERS)', () => {
    it('runs the EventBus contract against a real broker', () => undefined);
  });
} else {
  /** kafkajs's warnings and errors, routed through pino into memory instead of the console. */
  const kafkajsLogs: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void kafkajsLogs.push(line) });
  const admin = new Kafka({ brokers, clientId: 'resoft-tests', logLevel: logLevel.NOTHING }).admin();

  beforeAll(() => admin.connect());
  afterAll(async () => {
    await admin.disconnect();
    if (kafkajsLogs.length > 0) console.warn(`kafkajs logged ${kafkajsLogs.length} warnings or errors:\n${kafkajsLogs.join('')}`);
  });

  describeEventBusContract(
    `KafkaEventBus on ${brokers.join(',')}`,
    async () => {
      const topic = `resoft-test-${randomUUID()}`;
      const bus = new KafkaEventBus({
        brokers,
        topic,
        partitions: PARTITIONS,
        replicationFactor: 1,
        clientId: 'resoft-tests',
        logger,
        // Short enough that joins, rebalances and stops take a second or two, not the defaults' many.
        heartbeatIntervalMs: 500,
        sessionTimeoutMs: 10_000,
        maxWaitMs: 250,
      });
      return {
        bus,
        partitions: PARTITIONS,
        async dispose() {
          await bus.close();
          await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
        },
      };
    },
    { testTimeoutMs: 60_000, deliveryDeadlineMs: 30_000 },
  );

  describe('KafkaEventBus', () => {
    it('creates its topic with the configured partitions, once', async () => {
      const topic = `resoft-test-${randomUUID()}`;
      const bus = new KafkaEventBus({ brokers, topic, partitions: PARTITIONS, replicationFactor: 1, logger });
      try {
        await bus.ensureTopic();
        await bus.ensureTopic();
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        expect(topics[0]?.partitions).toHaveLength(PARTITIONS);
      } finally {
        await bus.close();
        await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      }
    }, 60_000);

    it('carries a record\'s trace context as its traceparent header, and the event\'s own when the record names none', async () => {
      const topic = `resoft-test-${randomUUID()}`;
      const bus = new KafkaEventBus({ brokers, topic, partitions: PARTITIONS, replicationFactor: 1, logger, heartbeatIntervalMs: 500, sessionTimeoutMs: 10_000, maxWaitMs: 250 });
      const stored = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const publish = '00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-01';
      const event = (position: number, traceparent?: string): RecordedEvent => ({
        id: randomUUID(), type: 'Traced', streamId: 'traced-1', revision: position - 1, position, data: {},
        metadata: { actor: null, correlationId: 'c', causationId: null, occurredAt: new Date(0).toISOString(), schema: 1, prevHash: '0'.repeat(64), hash: '1'.repeat(64), ...(traceparent ? { traceparent } : {}) },
      });
      try {
        await bus.ensureTopic();
        const seen: (string | undefined)[] = [];
        const done = new Promise<void>((resolve) => {
          void bus.consume({ group: `traced-${randomUUID()}`, onBatch: async (events) => {
            for (const e of events) seen.push(traceOfDelivery(e));
            if (seen.length >= 3) resolve();
          } });
        });
        await bus.publish([{ key: 'traced-1', event: event(1, stored), traceparent: publish }, { key: 'traced-1', event: event(2, stored) }, { key: 'traced-1', event: event(3) }]);
        await done;
        expect(seen).toEqual([publish, stored, undefined]);
      } finally {
        await bus.close();
        await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      }
    }, 60_000);
  });
}
