/**
 * Opens the adapters the configuration names: the event store (SQLite, or
 * EventStoreDB with EVENTSTORE_URL), the
 * read store (SQLite, or MongoDB with MONGO_URL), the source store of
 * submitted code (SQLite, or MongoDB with MONGO_URL), the ephemeral store (in
 * process, or Redis with REDIS_URL) and the bus (Kafka with KAFKA_BROKERS,
 * else none: projections then read the event store directly). Nothing else
 * knows which one runs.
 *
 * An engine's adapter (and its vendor SDK) is imported only when its URL is set: an embedded process
 * loads none of them (issue 19: importing them all cost ~1 s of start-up and ~20 MB).
 */
import fs from 'node:fs';
import { CachingKeyStore, MeasuredEventStore, type Metrics, loadAuditKeyRing, type AuditKeyRing, type Logger } from '@resoft/infra';
import { SqliteKeyStore, SqliteEventStore, SqliteMerkleLogStore, SqliteReadStore, SqliteSourceStore } from '@resoft/adapter-sqlite';
import { InProcessEphemeral, type EventBus, type KeyStore, type MerkleLogStore, type Ephemeral, type EventStore, type ReadStore, type SourceStore } from '@resoft/ports';
import { type Config } from './app-config.js';
import { type HealthCheck } from '@resoft/http-kit';

export interface Stores {
  readonly events: EventStore;
  readonly readModels: ReadStore;
  /** The read store's change mark (SQLite only): the query routes keep their hottest answers until it moves. */
  readonly readModelMark?: (collections: readonly string[]) => number;
  readonly ephemeral: Ephemeral;
  /** Submitted code, content-addressed: durable like the events that name it. */
  readonly sources: SourceStore;
  /** The bus between the relay and the projectors, when one is configured (KAFKA_BROKERS). */
  readonly bus: EventBus | null;
  /** The Merkle audit log over the event log (SQLite in the data directory, or MongoDB with MONGO_URL), and the keys that sign its tree heads. */
  readonly auditLog: MerkleLogStore;
  readonly auditKeys: AuditKeyRing;
  /** Per-user data keys that seal personal data in events (erasure destroys them): SQLite in the data directory, or MongoDB with MONGO_URL. */
  readonly personalKeys: KeyStore;
  /** Readiness of the parts that may fail independently. */
  readonly readiness: readonly HealthCheck[];
  close(): Promise<void>;
}

/** With `metrics`, appends are measured (and their events heard: see MeasuredEventStore). */
export async function openStores(config: Config, logger?: Logger, metrics?: Metrics): Promise<Stores> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const opened = config.eventStoreUrl
    ? await (await import('@resoft/adapter-eventstoredb')).EsdbEventStore.connect({ connectionString: config.eventStoreUrl, deadlineMs: config.engineTimeoutMs })
    : new SqliteEventStore({ file: config.eventStoreFile, synchronous: config.sqliteSynchronous, subscriptionFallbackMs: config.eventPollMs });
  const events: EventStore = metrics ? new MeasuredEventStore(opened, metrics) : opened;
  const mongo = config.mongo ? await import('@resoft/adapter-mongodb') : null;
  const readModels = config.mongo && mongo ? await mongo.MongoReadStore.connect(config.mongo) : new SqliteReadStore({ file: config.readStoreFile });
  const sources = config.mongo && mongo
    ? await mongo.MongoSourceStore.connect(config.mongo)
    : new SqliteSourceStore({ file: config.sourceStoreFile, synchronous: config.sqliteSynchronous });
  // Redis may come and go: the server starts without it and degrades (rate limits let requests through).
  const ephemeral: Ephemeral = config.redisUrl
    ? new (await import('@resoft/adapter-redis')).RedisEphemeral({ url: config.redisUrl, onError: (error) => logger?.warn({ err: error }, 'redis unavailable') })
    : new InProcessEphemeral();
  const bus: EventBus | null = config.kafka
    ? new (await import('@resoft/adapter-kafka')).KafkaEventBus({
        brokers: config.kafka.brokers, topic: config.kafka.topic, partitions: config.kafka.partitions,
        // Heartbeats a third of the session (at most every 3 s), as Kafka recommends.
        sessionTimeoutMs: config.kafka.sessionTimeoutMs, heartbeatIntervalMs: Math.min(3000, Math.floor(config.kafka.sessionTimeoutMs / 3)),
        requestTimeoutMs: config.engineTimeoutMs,
        ...(logger ? { logger } : {}),
      })
    : null;
  // The audit log sits with the read models: in MongoDB when they are, so query processes on other machines read it.
  const auditLog: MerkleLogStore = config.mongo && mongo ? await mongo.MongoMerkleLogStore.connect(config.mongo) : new SqliteMerkleLogStore({ file: config.audit.logFile, synchronous: config.sqliteSynchronous });
  const auditKeys = loadAuditKeyRing(config.dataDir, config.audit.signingKeyPem);
  // Cached per process: commands that only append keep working through a short outage of the engine (see CachingKeyStore).
  const personalKeys: KeyStore = new CachingKeyStore(config.mongo && mongo
    ? await mongo.MongoKeyStore.connect({ url: config.mongo.url, database: config.mongo.database, operationTimeoutMs: config.mongo.operationTimeoutMs })
    : new SqliteKeyStore({ file: config.personalData.keysFile }));
  return {
    events,
    readModels,
    ...(readModels instanceof SqliteReadStore ? { readModelMark: (collections: readonly string[]) => readModels.changeMark(collections) } : {}),
    ephemeral,
    sources,
    bus,
    auditLog,
    auditKeys,
    personalKeys,
    readiness: [
      { name: 'eventStore', check: async () => (await events.headPosition(), null) },
      // Only reads (never completes a batch in flight): a probe must not write.
      { name: 'readStore', check: async () => (await readModels.readCheckpoints(['users']), null) },
      { name: 'sourceStore', check: async () => (await sources.ping(), null) },
      { name: 'ephemeral', critical: false, check: async () => (await ephemeral.ping(), null) },
    ],
    async close() {
      await events.close();
      await readModels.close();
      await sources.close();
      await ephemeral.close();
      await bus?.close();
      await auditLog.close();
      await personalKeys.close();
    },
  };
}
