/**
 * Read-your-writes when projections are fed by the bus: tells, from the read store alone (so any
 * process can ask), whether every event up to a global position P has been projected.
 *
 * The rule:
 * 1. the relay checkpoint is ≥ P — every event ≤ P is on the bus; then
 * 2. for every partition p the relay recorded (its last published position L[p], written in the
 *    same atomic write as the relay checkpoint) and every projection, the checkpoint
 *    `<projection>@p<p>` is ≥ min(P, L[p]).
 * Why that suffices: within a partition events arrive in log order and a partition checkpoint is the
 * position of the last applied event of that partition, so checkpoint ≥ q means every event of the
 * partition ≤ q is applied; the last event ≤ P in partition p is ≤ min(P, L[p]). It is also always
 * reached: L[p] is an event of partition p, so the checkpoint arrives there once the partition is
 * consumed. It may wait a little longer than strictly needed (for events of p just after P). A
 * partition the relay never published to has nothing to wait for.
 */
import type { ReadStore } from '@resoft/infra';
import { allProjections } from '../projections/all-projections.js';
import { RELAY_CHECKPOINT, relayPartitionsCollection, type RelayPartitionView } from '../relay/event-relay.js';
import { partitionCheckpointName } from './bus-projection-consumer.js';
import type { Projection } from './projection.js';

export interface BusProgressOptions {
  /** Default: every projection of the platform. */
  readonly projections?: readonly Projection[];
  /** How often the read store is asked again. Default 5 ms. */
  readonly pollMs?: number;
}

/** Whether every event up to `position` has been applied by every projection (the rule above), asked once. */
export async function busPositionReached(readStore: ReadStore, position: number, projections: readonly Projection[] = allProjections): Promise<boolean> {
  if (position <= 0) return true;
  if ((await readStore.getCheckpoint(RELAY_CHECKPOINT)) < position) return false;
  // Read after the relay checkpoint: the records are at least as new as the checkpoint just seen.
  const published = await readStore.find<RelayPartitionView>(relayPartitionsCollection.name);
  for (const { partition, position: last } of published) {
    const needed = Math.min(position, last);
    for (const projection of projections) {
      if ((await readStore.getCheckpoint(partitionCheckpointName(projection.name, partition))) < needed) return false;
    }
  }
  return true;
}

/**
 * `waitFor(position, timeoutMs)` for the bus mode: resolves true once `busPositionReached`, false
 * when the time is up. The relay's partition collection must exist (the relay creates it on start).
 */
export function busProgress(readStore: ReadStore, options: BusProgressOptions = {}): (position: number, timeoutMs: number) => Promise<boolean> {
  const projections = options.projections ?? allProjections;
  const pollMs = options.pollMs ?? 5;
  return async (position, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await busPositionReached(readStore, position, projections)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
}
