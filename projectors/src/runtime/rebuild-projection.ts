/**
 * Rebuilds projections from position 0 into fresh staging collections, then
 * swaps them in for the live ones. The log is read once for all of them: each
 * page of events is parsed once and fed to every projection's staging store
 * (one atomic write per projection and page, with its checkpoint). Live
 * readers see the old read models until the swap; a runner that was
 * projecting meanwhile resumes from the swapped-in checkpoint.
 */
import type { EventStore, ReadStore, StagingReadStore } from '@resoft/infra';
import { applyBatch } from './apply-batch.js';
import type { Projection } from './projection.js';

export interface RebuildProgress {
  /** The projections being rebuilt, comma-separated. */
  readonly projection: string;
  readonly position: number;
  readonly head: number;
}

/** Large enough that per-page costs (one transaction per projection) vanish, small enough to keep memory flat. */
const PAGE = 2000;

/** Rebuilds every given projection in one pass over the log; returns the position all of them reached. */
export async function rebuildProjections(
  events: EventStore,
  readStore: ReadStore,
  projections: readonly Projection[],
  onProgress: (progress: RebuildProgress) => void = () => undefined,
): Promise<number> {
  const label = projections.map((p) => p.name).join(',');
  const stagings: StagingReadStore[] = [];
  try {
    for (const projection of projections) stagings.push(await readStore.staging(projection.collections, projection.name));
    let position = 0;
    let head = await events.headPosition();
    for (;;) {
      const page = await events.readAll({ after: position, maxCount: PAGE });
      if (page.length === 0) {
        head = await events.headPosition();
        if (position >= head) break;
        continue;
      }
      // Every projection holds the same checkpoint: they advance together, page by page.
      let reached = position;
      for (let i = 0; i < projections.length; i += 1) reached = await applyBatch(stagings[i]!, projections[i]!, position, page, { traced: false });
      position = reached;
      onProgress({ projection: label, position, head: Math.max(head, position) });
    }
    for (const staging of stagings) await staging.promote();
    return position;
  } catch (error) {
    for (const staging of stagings) await staging.discard();
    throw error;
  }
}

/** Rebuilds one projection (the one-pass rebuild with a single projection). */
export function rebuildProjection(
  events: EventStore,
  readStore: ReadStore,
  projection: Projection,
  onProgress: (progress: RebuildProgress) => void = () => undefined,
): Promise<number> {
  return rebuildProjections(events, readStore, [projection], onProgress);
}
