/** The relay process's work: tail the event log and publish it to the bus, checkpointing after each acknowledgement. */
import type { Logger } from '@resoft/infra';
import type { EventBus, EventStore, ReadStore } from '@resoft/ports';
import type { Config } from './app-config.js';
import type { HealthCheck } from '@resoft/http-kit';
import { EventRelay } from '@resoft/projectors';

export interface RunningRelay {
  readonly readiness: HealthCheck;
  /** Whether this relay stands by because another one is active (issue 16's relay gauge). */
  standingBy(): boolean;
  stop(): Promise<void>;
}

export async function startRelay(config: Config, events: EventStore, bus: EventBus, readModels: ReadStore, logger: Logger): Promise<RunningRelay> {
  // The topic's real partition count: an existing topic keeps its own, whatever the configuration says.
  const partitions = await bus.ensureTopic();
  if (config.kafka && partitions !== config.kafka.partitions) {
    logger.warn({ configured: config.kafka.partitions, actual: partitions }, 'the topic exists with another partition count than RESOFT_KAFKA_PARTITIONS: using the topic\'s');
  }
  const relay = new EventRelay(events, bus, readModels, logger.child({ component: 'relay' }), {
    onLost: () => logger.warn('another relay moved the checkpoint: this one stands by'),
    onTakeover: (position) => logger.warn({ position }, 'this relay took over from a relay that stopped making progress'),
    ...(config.kafka ? { takeoverAfterMs: config.kafka.relayTakeoverMs } : {}),
  });
  await relay.start();
  return {
    readiness: { name: 'relay', check: async () => relay.problem },
    standingBy: () => relay.problem?.startsWith('standing by') ?? false,
    stop: () => relay.stop(),
  };
}
