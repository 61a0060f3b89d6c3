/** Every document of every read model, sorted, for comparing a live build with a rebuild. */
import type { ReadStore } from '@resoft/ports';
import { allProjections } from '@resoft/projectors';

export async function snapshotReadModels(store: ReadStore): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const projection of allProjections) {
    for (const { name } of projection.collections) {
      snapshot[name] = (await store.find(name, { orderBy: [{ field: 'id', direction: 'asc' }] }));
    }
    snapshot[`checkpoint:${projection.name}`] = [await store.getCheckpoint(projection.name)];
  }
  return snapshot;
}
