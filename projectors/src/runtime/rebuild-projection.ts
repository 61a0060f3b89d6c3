/**
 * Rebuilds a projection from position 0 into fresh staging collections, then
 * swaps them in for the live ones. Live readers see the old read model until
 * the swap; a runner that was projecting meanwhile resumes from the swapped-in
 * checkpoint.
 */
import type { EventStore, ReadStore } from '@resoft/infra';
import { applyBatch } from './apply-batch.js';
import type { Projection } from './projection.js';

export interface RebuildProgress {
  readonly projection: string;
  readonly position: number;
  readonly head: number;
}

const PAGE = 1000;

export async function rebuildProjection(
  events: EventStore,
  readStore: ReadStore,
  projection: Projection,
  onProgress: (progress: RebuildProgress) => void = () => undefined,
): Promise<number> {
  const staging = await readStore.staging(projection.collections, projection.name);
  try {
    let position = 0;
    let head = await events.headPosition();
    for (;;) {
      const page = await events.readAll({ after: position, maxCount: PAGE });
      if (page.length === 0) {
        head = await events.headPosition();
        if (position >= head) break;
        continue;
      }
      position = await applyBatch(staging, projection, position, page, { traced: false });
      onProgress({ projection: projection.name, position, head: Math.max(head, position) });
    }
    await staging.promote();
    return position;
  } catch (error) {
    await staging.discard();
    throw error;
  }
}
