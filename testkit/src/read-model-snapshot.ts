/** Every document of every read model, sorted, for comparing a live build with a rebuild. */
import type { ReadStore } from '@resoft/ports';
import { allProjections, snapshotCollections } from '@resoft/projectors';

/**
 * The read models as `snapshotCollections` gives them (the analytics day documents folded over their
 * writers: bus consumers keep one per partition, a rebuild one), plus each projection's checkpoint.
 */
export async function snapshotReadModels(store: ReadStore): Promise<Record<string, unknown[]>> {
  const snapshot = await snapshotCollections(store, allProjections);
  for (const projection of allProjections) snapshot[`checkpoint:${projection.name}`] = [await store.getCheckpoint(projection.name)];
  return snapshot;
}
