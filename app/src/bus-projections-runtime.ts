/**
 * Projections fed by the bus (distributed mode): this process joins the
 * projectors' consumer group and applies every projection to each batch of
 * the partitions it is given. Several such processes split the partitions.
 */
import { PersonalDataCodec, type Logger } from '@resoft/infra';
import { type EventBus, type KeyStore, type ReadStore } from '@resoft/ports';
import { type HealthCheck } from '@resoft/http-kit';
import { BusProjectionConsumer, allProjections, revealingAll } from '@resoft/projectors';

export interface RunningBusProjections {
  readonly readiness: HealthCheck;
  stop(): Promise<void>;
}

export async function startBusProjections(bus: EventBus, group: string, readModels: ReadStore, logger: Logger, personalKeys: KeyStore): Promise<RunningBusProjections> {
  await bus.ensureTopic();
  const projections = revealingAll(allProjections, new PersonalDataCodec(personalKeys));
  const consumer = new BusProjectionConsumer(bus, readModels, logger.child({ component: 'bus-projections' }), { group, projections });
  await consumer.start();
  return {
    readiness: { name: 'projections', check: async () => consumer.problem },
    stop: () => consumer.stop(),
  };
}
