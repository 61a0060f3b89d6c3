/**
 * Projections fed by the bus (distributed mode): this process joins the
 * projectors' consumer group and applies every projection to each batch of
 * the partitions it is given. Several such processes split the partitions.
 */
import type { EventBus, HealthCheck, Logger, ReadStore } from '@resoft/infra';
import { BusProjectionConsumer } from '@resoft/projectors';

export interface RunningBusProjections {
  readonly readiness: HealthCheck;
  stop(): Promise<void>;
}

export async function startBusProjections(bus: EventBus, group: string, readModels: ReadStore, logger: Logger): Promise<RunningBusProjections> {
  await bus.ensureTopic();
  const consumer = new BusProjectionConsumer(bus, readModels, logger.child({ component: 'bus-projections' }), { group });
  await consumer.start();
  return {
    readiness: { name: 'projections', check: async () => consumer.problem },
    stop: () => consumer.stop(),
  };
}
