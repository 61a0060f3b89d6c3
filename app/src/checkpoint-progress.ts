/**
 * Read-your-writes for a query process that does not run the projections
 * itself (no bus): one shared watcher per process reads every projection's
 * checkpoint in one round trip while requests wait, and wakes those whose
 * position every projection has reached.
 */
import type { ReadStore } from '@resoft/ports';
import { allProjections, SharedProgressWatcher } from '@resoft/projectors';

export function checkpointProgress(readModels: ReadStore, onError?: (error: unknown) => void): (position: number, timeoutMs: number) => Promise<boolean> {
  const names = allProjections.map((projection) => projection.name);
  const watcher = new SharedProgressWatcher({
    read: async () => Math.min(...(await readModels.readCheckpoints(names)).values()),
    reached: (slowest: number, position: number) => slowest >= position,
    ...(onError ? { onError } : {}),
  });
  return (position, timeoutMs) => watcher.waitFor(position, timeoutMs);
}
