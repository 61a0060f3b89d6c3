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
import type { ReadStore } from '@resoft/ports';
import { allProjections } from '../projections/all-projections.js';
import { RELAY_CHECKPOINT, relayPartitionsCollection, type RelayPartitionView } from '../relay/event-relay.js';
import { partitionCheckpointName } from './bus-projection-consumer.js';
import type { Projection } from './projection.js';
import { SharedProgressWatcher } from './shared-progress-watcher.js';

export interface BusProgressOptions {
  /** Default: every projection of the platform. */
  readonly projections?: readonly Projection[];
  /** How often the shared watcher reads the read store while requests wait. Default 5 ms. */
  readonly pollMs?: number;
  readonly onError?: (error: unknown) => void;
}

/** What the rule needs, read in three round trips: the relay checkpoint, its partition records, and per partition the slowest projection's checkpoint. */
export interface BusProgressSnapshot {
  readonly relay: number;
  /** Per partition the relay published to: its last published position and the lowest projection checkpoint there. */
  readonly partitions: readonly { readonly published: number; readonly projected: number }[];
}

export async function readBusProgress(readStore: ReadStore, projections: readonly Projection[] = allProjections): Promise<BusProgressSnapshot> {
  const relay = (await readStore.readCheckpoints([RELAY_CHECKPOINT])).get(RELAY_CHECKPOINT) ?? 0;
  // Read after the relay checkpoint: the records are at least as new as the checkpoint just seen.
  const published = await readStore.find<RelayPartitionView>(relayPartitionsCollection.name);
  const names = published.flatMap(({ partition }) => projections.map((projection) => partitionCheckpointName(projection.name, partition)));
  const checkpoints = await readStore.readCheckpoints(names);
  return {
    relay,
    partitions: published.map(({ partition, position }) => ({
      published: position,
      projected: Math.min(...projections.map((projection) => checkpoints.get(partitionCheckpointName(projection.name, partition)) ?? 0)),
    })),
  };
}

/** The rule above, on one snapshot. */
export function busSnapshotReached(snapshot: BusProgressSnapshot, position: number): boolean {
  if (position <= 0) return true;
  if (snapshot.relay < position) return false;
  return snapshot.partitions.every(({ published, projected }) => projected >= Math.min(position, published));
}

/** Whether every event up to `position` has been applied by every projection (the rule above), asked once. */
export async function busPositionReached(readStore: ReadStore, position: number, projections: readonly Projection[] = allProjections): Promise<boolean> {
  if (position <= 0) return true;
  return busSnapshotReached(await readBusProgress(readStore, projections), position);
}

/**
 * `waitFor(position, timeoutMs)` for the bus mode, backed by one watcher for the whole process (make
 * it once per process): resolves true once `busPositionReached`, false when the time is up. The
 * relay's partition collection must exist (the relay creates it on start).
 */
export function busProgress(readStore: ReadStore, options: BusProgressOptions = {}): (position: number, timeoutMs: number) => Promise<boolean> {
  const projections = options.projections ?? allProjections;
  const watcher = new SharedProgressWatcher({
    read: () => readBusProgress(readStore, projections),
    reached: busSnapshotReached,
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return (position, timeoutMs) => watcher.waitFor(position, timeoutMs);
}
