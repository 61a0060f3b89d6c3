/**
 * The two pipelines the benchmark compares, each over fresh SQLite files in its own directory:
 * embedded (projection runners tail the event store in process) and distributed (relay → Kafka →
 * two bus projection consumers in one group).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaEventBus, SqliteEventStore, SqliteReadStore, type Logger } from '@resoft/infra';
import { BusProjectionConsumer, EventRelay, ProjectionRunner, allProjections, busPositionReached, murmur2Partitioner } from '@resoft/projectors';
import type { PipelineUnderTest } from './pipeline-measure.js';

export interface RunningPipeline extends PipelineUnderTest {
  /** Any component reporting a problem right now, or null. */
  problems(): string | null;
  stop(): Promise<void>;
}

export async function startEmbedded(dir: string, log: Logger): Promise<RunningPipeline> {
  const events = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const readStore = new SqliteReadStore({ file: join(dir, 'read.sqlite') });
  // As startProjections (cli/src/runtime/projections-runtime.ts) does it.
  const runners = allProjections.map((p) => new ProjectionRunner(events, readStore, p, log.child({ projection: p.name })));
  await Promise.all(runners.map((r) => r.start()));
  return {
    events,
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
  /** How often the read store is asked whether the oldest waited-for position is reached (as `busProgress`). */
  readonly pollMs: number;
}

export async function startDistributed(dir: string, log: Logger, options: DistributedOptions): Promise<RunningPipeline & { readonly topic: string }> {
  const events = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const readStore = new SqliteReadStore({ file: join(dir, 'read.sqlite') });
  const topic = `resoft-bench-${randomUUID()}`;
  // Each part gets its own client, as separate relay and projectors processes would; Kafka timings are the product's defaults.
  const busOptions = { brokers: options.brokers, topic, partitions: options.partitions, replicationFactor: 1, clientId: 'resoft-pipeline-bench', logger: log.child({ component: 'kafka' }) };
  const relayBus = new KafkaEventBus(busOptions);
  const consumerBuses = Array.from({ length: options.consumers }, () => new KafkaEventBus(busOptions));
  const relay = new EventRelay(events, relayBus, readStore, log.child({ component: 'relay' }), { partitionOf: murmur2Partitioner(options.partitions) });
  const consumers = consumerBuses.map((bus) => new BusProjectionConsumer(bus, readStore, log.child({ component: 'bus-projections' }), { group: `projectors-${topic}` }));
  await relay.start(); // creates the topic
  for (const consumer of consumers) await consumer.start();
  const waiter = new ReachedPoller(async (position) => busPositionReached(readStore, position), options.pollMs);
  return {
    topic,
    events,
    waitFor: (position, timeoutMs) => waiter.waitFor(position, timeoutMs),
    problems: () => [relay.problem, ...consumers.map((c) => c.problem)].filter(Boolean).join('; ') || null,
    stop: async () => {
      waiter.stop();
      await relay.stop();
      await Promise.all(consumers.map((c) => c.stop()));
      await Promise.all([relayBus, ...consumerBuses].map((bus) => bus.close()));
      await events.close();
      await readStore.close();
    },
  };
}

interface Waiter {
  readonly position: number;
  readonly deadline: number;
  readonly resolve: (reached: boolean) => void;
}

/**
 * One polling loop for all waiters, oldest position first: `busPositionReached` is monotonic in the
 * position, so once the oldest is not reached none of the later ones is. Hundreds of `busProgress`
 * loops polling side by side would load the read store and the event loop they measure.
 */
class ReachedPoller {
  private readonly waiters: Waiter[] = [];
  private running = false;
  private stopped = false;

  constructor(private readonly reached: (position: number) => Promise<boolean>, private readonly pollMs: number) {}

  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      this.waiters.push({ position, deadline: performance.now() + timeoutMs, resolve });
      this.waiters.sort((a, b) => a.position - b.position);
      if (!this.running) void this.loop();
    });
  }

  stop(): void {
    this.stopped = true;
    for (const waiter of this.waiters.splice(0)) waiter.resolve(false);
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.waiters.length > 0 && !this.stopped) {
        const oldest = this.waiters[0]!;
        if (await this.reached(oldest.position)) {
          this.waiters.shift();
          oldest.resolve(true);
          continue;
        }
        const now = performance.now();
        for (let i = this.waiters.length - 1; i >= 0; i--) {
          if (this.waiters[i]!.deadline <= now) this.waiters.splice(i, 1)[0]!.resolve(false);
        }
        await sleep(this.pollMs);
      }
    } finally {
      this.running = false;
    }
  }
}
