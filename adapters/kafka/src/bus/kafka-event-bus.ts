/**
 * The distributed `EventBus`: one Kafka topic through kafkajs. Records are keyed by stream id (the
 * default murmur2 partitioner, as Java clients use, so one stream stays in one partition) and carry
 * the recorded event as JSON. Publishing uses an idempotent producer that waits for all in-sync
 * replicas; consumers commit a batch's offset only after `onBatch` resolved.
 */
import { Kafka, Partitioners, logLevel, type Consumer, type EachBatchPayload, type KafkaMessage, type LogEntry, type Producer } from 'kafkajs';
import type { RecordedEvent } from '@resoft/domain';
import type { Logger } from '@resoft/infra';
import { noteDeliveredTrace } from '@resoft/infra';
import type { BusConsumer, BusRecord, ConsumeOptions, EventBus } from '@resoft/ports';
import { murmur2Partitioner } from './murmur2-partitioner.js';

export interface KafkaEventBusOptions {
  /** Bootstrap brokers, `host:port`. */
  readonly brokers: readonly string[];
  readonly topic: string;
  /** Partitions `ensureTopic` creates the topic with; the unit of parallelism within a group. */
  readonly partitions: number;
  /** Replicas per partition when `ensureTopic` creates the topic. Default: the broker's `default.replication.factor`. */
  readonly replicationFactor?: number;
  /** Default `resoft`. */
  readonly clientId?: string;
  /** Receives kafkajs's warnings and errors (`component: "kafkajs"`). Without one they are dropped. */
  readonly logger?: Logger;
  /** How long the group waits for a silent consumer before taking its partitions away. Default 30 s. */
  readonly sessionTimeoutMs?: number;
  /** How often a consumer tells the group it is alive; also how fast it notices a rebalance. Default 3 s. */
  readonly heartbeatIntervalMs?: number;
  /** How long a fetch waits on the broker when there is nothing new; bounds how long `stop` takes. Default 1 s. */
  readonly maxWaitMs?: number;
  /** Pause before a rejected batch is handed over again; doubles after each failure. Default 100 ms. */
  readonly redeliveryDelayMs?: number;
  /** Longest pause between redeliveries. Default 5 s. */
  readonly maxRedeliveryDelayMs?: number;
  /**
   * Most JSON bytes sent in one produce request; a larger publish is sent as several requests, one
   * after the other, so per-key order holds. Keep it under the broker's `message.max.bytes` (1 MiB). Default 512 KiB.
   */
  readonly maxRequestBytes?: number;
  /** Deadline of each request to a broker, and of connecting to one (default 5 s). */
  readonly requestTimeoutMs?: number;
}

export class KafkaEventBus implements EventBus {
  private readonly kafka: Kafka;
  private readonly consumers = new Set<KafkaBusConsumer>();
  private producer: Promise<Producer> | null = null;
  private closed = false;
  /** Kafka's default partitioner over the topic's partition count (the real one once `ensureTopic` has read it). */
  private partitioner: (key: string) => number;

  constructor(private readonly options: KafkaEventBusOptions) {
    if (options.brokers.length === 0) throw new TypeError('KafkaEventBus needs at least one broker');
    if (!Number.isInteger(options.partitions) || options.partitions < 1) {
      throw new RangeError(`partitions must be a positive integer, got ${options.partitions}`);
    }
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'resoft',
      brokers: [...options.brokers],
      logLevel: options.logger ? logLevel.WARN : logLevel.NOTHING,
      requestTimeout: options.requestTimeoutMs ?? 5_000,
      connectionTimeout: Math.min(options.requestTimeoutMs ?? 5_000, 3_000),
      logCreator: toPino(options.logger),
    });
    this.partitioner = murmur2Partitioner(options.partitions);
  }

  partitionOf(key: string): number {
    return this.partitioner(key);
  }

  async ensureTopic(): Promise<number> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.ensureTopicOnce();
      } catch (error) {
        // Right after a topic is created, a KRaft broker may still answer metadata requests for it with
        // UNKNOWN_TOPIC_OR_PARTITION (seen in CI): the topic exists, its metadata has not spread yet.
        if (attempt >= ENSURE_TOPIC_ATTEMPTS || !isTopicMetadataLag(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  private async ensureTopicOnce(): Promise<number> {
    this.assertOpen();
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      // An existing topic is left as it is, its partition count included.
      if (!(await admin.listTopics()).includes(this.options.topic)) {
        // Resolves false when another process created it meanwhile.
        await admin.createTopics({
          waitForLeaders: true,
          topics: [{ topic: this.options.topic, numPartitions: this.options.partitions, replicationFactor: this.options.replicationFactor ?? -1 }],
        });
      }
      const { topics } = await admin.fetchTopicMetadata({ topics: [this.options.topic] });
      const partitions = topics[0]?.partitions.length ?? this.options.partitions;
      // An existing topic keeps its own count, whatever the configuration says; the producer partitions over it.
      this.partitioner = murmur2Partitioner(partitions);
      return partitions;
    } finally {
      await admin.disconnect();
    }
  }

  async activeMembers(group: string): Promise<number> {
    this.assertOpen();
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([group]);
      return groups[0]?.members.length ?? 0;
    } finally {
      await admin.disconnect();
    }
  }

  async consumerLag(group: string): Promise<{ partition: number; committed: number; lag: number }[]> {
    this.assertOpen();
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(this.options.topic), admin.fetchOffsets({ groupId: group, topics: [this.options.topic] })]);
      const done = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
      // A partition the group never committed on (offset -1) lags by everything it holds.
      return ends.map(({ partition, high, low }) => {
        const at = done.get(partition) ?? -1;
        return { partition, committed: at, lag: Math.max(0, Number(high) - (at < 0 ? Number(low) : at)) };
      });
    } finally {
      await admin.disconnect();
    }
  }

  async publish(records: readonly BusRecord[]): Promise<void> {
    this.assertOpen();
    const messages = records.map((record) => {
      const { key, event } = record;
      if (typeof key !== 'string' || key === '') throw new TypeError('a bus record needs a non-empty string key');
      // W3C trace context travels as a record header (the relay's publish span, else the event's own).
      const traceparent = record.traceparent ?? event.metadata.traceparent;
      return { key, value: JSON.stringify(event), ...(traceparent ? { headers: { traceparent } } : {}) };
    });
    if (messages.length === 0) return;
    const connecting = this.connectedProducer();
    const producer = await connecting;
    try {
      for (const chunk of chunksOf(messages, this.options.maxRequestBytes ?? 512 * 1024)) {
        await producer.send({ topic: this.options.topic, acks: -1, messages: chunk });
      }
    } catch (error) {
      // A producer that failed may hold a dead topic's metadata or an idempotence epoch the broker no
      // longer knows (it restarted on empty storage): the next publish starts with a fresh one.
      if (this.producer === connecting) this.producer = null;
      void producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async consume(options: ConsumeOptions): Promise<BusConsumer> {
    this.assertOpen();
    if (!options.group) throw new TypeError('a consumer needs a group');
    const consumer = this.kafka.consumer({
      groupId: options.group,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 3_000,
      maxWaitTimeInMs: this.options.maxWaitMs ?? 1_000,
    });
    const handle = new KafkaBusConsumer(consumer, options, {
      partitions: this.options.partitions,
      heartbeatIntervalMs: this.options.heartbeatIntervalMs ?? 3_000,
      redeliveryDelayMs: this.options.redeliveryDelayMs ?? 100,
      maxRedeliveryDelayMs: this.options.maxRedeliveryDelayMs ?? 5_000,
      forget: (stopped) => this.consumers.delete(stopped),
    });
    this.consumers.add(handle);
    try {
      await handle.start(this.options.topic);
    } catch (error) {
      await handle.stop();
      throw error;
    }
    return handle;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    const producer = this.producer;
    this.producer = null;
    if (producer) await producer.then((connected) => connected.disconnect(), () => undefined);
  }

  /** One producer per bus, connected on first use; a failed connection is retried on the next publish. */
  private connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Named explicitly: the default, and naming it silences kafkajs's partitioner-change warning.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      const connecting = producer.connect().then(() => producer);
      this.producer = connecting;
      connecting.catch(() => {
        if (this.producer === connecting) this.producer = null;
        void producer.disconnect().catch(() => undefined);
      });
    }
    return this.producer;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the event bus is closed');
  }
}

interface ConsumerSettings {
  /** Batches of this many partitions are handled at once (the topic's partition count). */
  readonly partitions: number;
  readonly heartbeatIntervalMs: number;
  readonly redeliveryDelayMs: number;
  readonly maxRedeliveryDelayMs: number;
  readonly forget: (consumer: KafkaBusConsumer) => void;
}

class KafkaBusConsumer implements BusConsumer {
  /** The batches being handed to onBatch now (one per partition at most). */
  private readonly handling = new Set<Promise<unknown>>();
  private stopping: Promise<void> | null = null;
  private stopRequested = false;
  private readonly backingOff = new Set<() => void>();
  private failing = false;

  constructor(
    private readonly consumer: Consumer,
    private readonly options: ConsumeOptions,
    private readonly settings: ConsumerSettings,
  ) {
    // kafkajs restarts a crashed consumer by itself (a topic that vanished, a broker that restarted):
    // each crash is reported, so a consumer that keeps crashing reads as not ready rather than fine.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.failing = true;
      this.report(payload.error);
    });
    // A fetch that went through after failures: the consumer works again.
    consumer.on(consumer.events.FETCH, () => {
      if (!this.failing) return;
      this.failing = false;
      this.options.onRecovered?.();
    });
  }

  async start(topic: string): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [topic], fromBeginning: true });
    // run() resolves once the consumer has joined the group and received its partitions.
    await this.consumer.run({
      // Partitions are independent (each has its own checkpoints downstream): one partition's slow batch
      // must not hold back the others' events, which kafkajs does when it hands batches over one by one.
      partitionsConsumedConcurrently: this.settings.partitions,
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  stop(): Promise<void> {
    if (!this.stopping) {
      this.stopRequested = true;
      // disconnect() stops fetching, waits for the running batch and leaves the group.
      const disconnected = this.consumer.disconnect().catch((error: unknown) => this.report(error));
      for (const wake of [...this.backingOff]) wake();
      this.stopping = (async () => {
        await disconnected;
        await Promise.all([...this.handling]);
        this.settings.forget(this);
      })();
    }
    return this.stopping;
  }

  /**
   * Hands the batch to onBatch until it resolves, then commits the offset after its last event. While
   * the consumer stops or loses the partition, it leaves the batch unresolved: whoever owns the
   * partition next reads it again from the last committed offset.
   */
  private async eachBatch({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (batch.isEmpty()) return;
    for (let failures = 0; ; failures++) {
      if (this.stopRequested || !isRunning() || isStale()) return;
      if (await this.whileHeartbeating(heartbeat, () => this.attempt(batch.messages, batch.partition))) break;
      await this.backoff(Math.min(this.settings.redeliveryDelayMs * 2 ** failures, this.settings.maxRedeliveryDelayMs));
      // Keeps the membership alive while retrying; throws when the group rebalances, and kafkajs rejoins.
      if (!this.stopRequested && isRunning()) await heartbeat();
    }
    const last = batch.lastOffset();
    resolveOffset(last);
    await commitOffsetsIfNecessary({
      topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: (BigInt(last) + 1n).toString() }] }],
    });
  }

  /**
   * Keeps telling the group this member is alive while a batch takes long (kafkajs heartbeats only
   * between batches otherwise), so a short session timeout — fast takeover when a process dies —
   * does not also take partitions from a live process busy with a large batch.
   */
  private async whileHeartbeating<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => {
      // A rebalance makes it throw; the batch's own end handles that (the commit is refused, the batch comes again).
      heartbeat().catch(() => undefined);
    }, this.settings.heartbeatIntervalMs);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  private attempt(messages: KafkaMessage[], partition: number): Promise<boolean> {
    const attempt = (async () => {
      try {
        await this.options.onBatch(messages.map(decode), partition);
        return true;
      } catch (error) {
        this.failing = true;
        this.report(error);
        return false;
      }
    })();
    this.handling.add(attempt);
    void attempt.finally(() => this.handling.delete(attempt));
    return attempt;
  }

  private backoff(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.backingOff.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.backingOff.add(done);
    });
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A failing error hook must not stop delivery.
    }
  }
}

function decode(message: KafkaMessage): RecordedEvent {
  if (!message.value) throw new Error(`the record at offset ${message.offset} has no value`);
  const event = JSON.parse(message.value.toString('utf8')) as RecordedEvent;
  const traceparent = message.headers?.['traceparent'];
  noteDeliveredTrace(event, traceparent === undefined ? undefined : String(traceparent));
  return event;
}

/** Splits messages into runs of at most `maxBytes` of keys and values (a single larger message goes alone). */
function chunksOf<M extends { key: string; value: string }>(messages: M[], maxBytes: number): M[][] {
  const chunks: M[][] = [];
  let current: M[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(message.value) + Buffer.byteLength(message.key);
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * kafkajs logs every error response at error level before its caller retries (a rebalance, a
 * coordinator still loading after a broker start, a topic that already exists); a real failure
 * reaches us anyway as a rejected call or a crash. Those entries are demoted so warn and error mean
 * something.
 */
function levelOf({ namespace, level, log }: LogEntry): logLevel {
  if (namespace === 'Connection' && log.message.startsWith('Response ')) return logLevel.DEBUG;
  if (namespace === 'Runner' && log.message.startsWith('The group is rebalancing')) return logLevel.INFO;
  return level;
}

/** Routes kafkajs's log entries to pino, or drops them. */
function toPino(logger: Logger | undefined): () => (entry: LogEntry) => void {
  return () => (entry) => {
    if (!logger) return;
    const fields: Record<string, unknown> = { ...entry.log, component: 'kafkajs', namespace: entry.namespace };
    delete fields.message;
    delete fields.timestamp;
    delete fields.logger;
    const level = levelOf(entry);
    if (level === logLevel.ERROR) logger.error(fields, entry.log.message);
    else if (level === logLevel.WARN) logger.warn(fields, entry.log.message);
    else if (level === logLevel.INFO) logger.info(fields, entry.log.message);
    else logger.debug(fields, entry.log.message);
  };
}

/** How many times `ensureTopic` asks again while a new topic's metadata spreads (about 9 s in all). */
const ENSURE_TOPIC_ATTEMPTS = 10;

const isTopicMetadataLag = (error: unknown): boolean => {
  const type = (error as { type?: unknown } | null)?.type;
  return type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE';
};
