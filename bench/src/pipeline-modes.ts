/**
 * The two pipelines the benchmark compares, each over fresh SQLite files in its own directory:
 * embedded (projection runners tail the event store in process) and distributed (relay → Kafka →
 * two bus projection consumers in one group).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type Logger } from '@resoft/infra';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { type ReadStore } from '@resoft/ports';
import { KafkaEventBus } from '@resoft/adapter-kafka';
import { MongoReadStore } from '@resoft/adapter-mongodb';
import { BusProjectionConsumer, EventRelay, ProjectionRunner, allProjections, busProgress } from '@resoft/projectors';
import type { PipelineUnderTest } from './pipeline-measure.js';

export interface RunningPipeline extends PipelineUnderTest {
  /** The SQLite event store's file, for load generators on their own connections. */
  readonly eventsFile: string;
  /** Any component reporting a problem right now, or null. */
  problems(): string | null;
  stop(): Promise<void>;
}

export async function startEmbedded(dir: string, log: Logger): Promise<RunningPipeline> {
  const eventsFile = join(dir, 'events.sqlite');
  const events = new SqliteEventStore({ file: eventsFile });
  const readStore = new SqliteReadStore({ file: join(dir, 'read.sqlite') });
  // As startProjections (app/src/projections-runtime.ts) does it.
  const runners = allProjections.map((p) => new ProjectionRunner(events, readStore, p, log.child({ projection: p.name })));
  await Promise.all(runners.map((r) => r.start()));
  return {
    events,
    eventsFile,
    waitFor: async (position, timeoutMs) => (await Promise.all(runners.map((r) => r.waitFor(position, timeoutMs)))).every(Boolean),
    problems: () => runners.map((r) => r.problem).filter(Boolean).join('; ') || null,
    stop: async () => {
      await Promise.all(runners.map((r) => r.stop()));
      await events.close();
      await readStore.close();
    },
  };
}

export interface DistributedOptions {
  readonly brokers: readonly string[];
  readonly partitions: number;
  readonly consumers: number;
  /** How often the query side's shared watcher (`busProgress`, as `serve query` runs it) reads the progress. */
  readonly pollMs: number;
  /** Read models in this MongoDB-wire engine (a fresh database, dropped at the end) instead of SQLite. */
  readonly mongoUrl?: string;
  /** How often the relay re-reads the log for appends made on other connections (RESOFT_RELAY_POLL_MS, default 10). */
  readonly relayPollMs?: number;
}

async function openReadStore(dir: string, mongoUrl: string | undefined): Promise<{ store: ReadStore; dispose: () => Promise<void> }> {
  if (!mongoUrl) {
    const store = new SqliteReadStore({ file: join(dir, 'read.sqlite') });
    return { store, dispose: () => store.close() };
  }
  const store = await MongoReadStore.connect({ url: mongoUrl, database: `resoft_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}` });
  return {
    store,
    dispose: async () => {
      await store.database.dropDatabase();
      await store.close();
    },
  };
}

export async function startDistributed(dir: string, log: Logger, options: DistributedOptions): Promise<RunningPipeline & { readonly topic: string }> {
  const eventsFile = join(dir, 'events.sqlite');
  // The relay sees appends made by other connections (the load generators' threads, a command process) by polling, as `serve relay` does.
  const events = new SqliteEventStore({ file: eventsFile, subscriptionFallbackMs: options.relayPollMs ?? 10 });
  const { store: readStore, dispose } = await openReadStore(dir, options.mongoUrl);
  const topic = `resoft-bench-${randomUUID()}`;
  // Each part gets its own client, as separate relay and projectors processes would; Kafka timings are the product's defaults.
  const busOptions = { brokers: options.brokers, topic, partitions: options.partitions, replicationFactor: 1, clientId: 'resoft-pipeline-bench', logger: log.child({ component: 'kafka' }) };
  const relayBus = new KafkaEventBus(busOptions);
  const consumerBuses = Array.from({ length: options.consumers }, () => new KafkaEventBus(busOptions));
  const relay = new EventRelay(events, relayBus, readStore, log.child({ component: 'relay' }), {});
  const consumers = consumerBuses.map((bus) => new BusProjectionConsumer(bus, readStore, log.child({ component: 'bus-projections' }), { group: `projectors-${topic}` }));
  await relay.start(); // creates the topic
  for (const consumer of consumers) await consumer.start();
  // What a query process does: one shared watcher for every waiting request.
  const waitFor = busProgress(readStore, { pollMs: options.pollMs });
  return {
    topic,
    events,
    eventsFile,
    waitFor,
    problems: () => [relay.problem, ...consumers.map((c) => c.problem)].filter(Boolean).join('; ') || null,
    stop: async () => {
      await relay.stop();
      await Promise.all(consumers.map((c) => c.stop()));
      await Promise.all([relayBus, ...consumerBuses].map((bus) => bus.close()));
      await events.close();
      await dispose();
    },
  };
}
