/** Every projection kept current from the event log, with what readiness and read-your-writes need to know of them. */
import { PersonalDataCodec, type Logger } from '@resoft/infra';
import { type EventStore, type KeyStore, type ReadStore } from '@resoft/ports';
import { type HealthCheck } from '@resoft/http-kit';
import { CheckpointMoves, ProjectionRunner, allProjections, revealingAll } from '@resoft/projectors';

export interface RunningProjections {
  readonly readiness: HealthCheck;
  waitForPosition(position: number, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/** `personalKeys` reveal personal data to the projections (an erased user's reads as erased). */
export async function startProjections(events: EventStore, readModels: ReadStore, logger: Logger, personalKeys: KeyStore): Promise<RunningProjections> {
  const moves = new CheckpointMoves(readModels);
  const runners = revealingAll(allProjections, new PersonalDataCodec(personalKeys)).map((p) => new ProjectionRunner(events, readModels, p, logger.child({ projection: p.name }), moves));
  await Promise.all(runners.map((r) => r.start()));
  return {
    readiness: {
      name: 'projections',
      check: async () => {
        const failing = runners.filter((r) => r.problem !== null).map((r) => `${r.projection.name} ${r.problem}`);
        return failing.length ? failing.join('; ') : null;
      },
    },
    waitForPosition: async (position, timeoutMs) => (await Promise.all(runners.map((r) => r.waitFor(position, timeoutMs)))).every(Boolean),
    stop: async () => {
      await Promise.all(runners.map((r) => r.stop()));
    },
  };
}
