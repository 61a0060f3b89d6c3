/**
 * Read-your-writes for a query process that does not run the projections
 * itself: it watches their checkpoints in the read store until every one has
 * reached the position, or the time is up.
 */
import type { ReadStore } from '@resoft/infra';
import { allProjections } from '@resoft/projectors';

const POLL_MS = 5;

export function checkpointProgress(readModels: ReadStore): (position: number, timeoutMs: number) => Promise<boolean> {
  const reached = async (position: number) => {
    for (const projection of allProjections) {
      if ((await readModels.getCheckpoint(projection.name)) < position) return false;
    }
    return true;
  };
  return async (position, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await reached(position)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
}
