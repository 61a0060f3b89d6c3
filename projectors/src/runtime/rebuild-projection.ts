/**
 * Rebuilds projections from position 0 into fresh staging collections, then
 * swaps them in for the live ones. The log is read once for all of them: each
 * page of events is parsed once and fed to every projection. The documents a
 * projection touches stay in memory across pages (rebuild-write-back.ts) and
 * are written to its staging store, with its checkpoint, when the pass ends or
 * when more than `keptDocuments` are held (then those of collections no
 * projection reads back are let go, and all of them if the rest still fill
 * half the bound); documents of collections a projection never reads back
 * are written every `unreadWrite` of them, ahead of the checkpoint. Live readers see the old read
 * models until the swap; a runner that was projecting meanwhile resumes from
 * the swapped-in checkpoint.
 */
import type { EventStore, ReadStore, StagingReadStore } from '@resoft/ports';
import { applyEvents } from './apply-batch.js';
import type { Projection } from './projection.js';
import { RebuildWriteBack } from './rebuild-write-back.js';
export { REBUILD_TRACKED_IDS } from './rebuild-write-back.js';

export interface RebuildProgress {
  /** The projections being rebuilt, comma-separated. */
  readonly projection: string;
  readonly position: number;
  readonly head: number;
}

/** Events read and parsed at a time. */
export const REBUILD_PAGE = 2000;
/**
 * Documents held in memory across projections before they are all written and let go: a few hundred
 * MB at most for the largest documents (file views with their text and snapshot), while a pass over
 * a million events writes most documents once.
 */
export const REBUILD_KEPT_DOCUMENTS = 100_000;
/** Documents of collections a projection never reads back held before they are written ahead of the checkpoint and let go (RebuildWriteBack.writeUnread). */
export const REBUILD_UNREAD_WRITE = 10_000;

export interface RebuildOptions {
  /** Bound on the documents kept in memory (REBUILD_KEPT_DOCUMENTS). */
  readonly keptDocuments?: number;
  /** Events read at a time (REBUILD_PAGE); each projection's finishBatch runs once per page. */
  readonly pageSize?: number;
  /** Bound on the written ids each projection remembers once it let go of documents (REBUILD_TRACKED_IDS). */
  readonly trackedIds?: number;
  /** Documents of collections never read back held before they are written ahead of the checkpoint (REBUILD_UNREAD_WRITE). */
  readonly unreadWrite?: number;
}

/** Rebuilds every given projection in one pass over the log; returns the position all of them reached. */
export async function rebuildProjections(
  events: EventStore,
  readStore: ReadStore,
  projections: readonly Projection[],
  onProgress: (progress: RebuildProgress) => void = () => undefined,
  options: RebuildOptions = {},
): Promise<number> {
  const keptDocuments = options.keptDocuments ?? REBUILD_KEPT_DOCUMENTS;
  const pageSize = options.pageSize ?? REBUILD_PAGE;
  const unreadWrite = options.unreadWrite ?? REBUILD_UNREAD_WRITE;
  const label = projections.map((p) => p.name).join(',');
  const stagings: StagingReadStore[] = [];
  try {
    for (const projection of projections) stagings.push(await readStore.staging(projection.collections, projection.name));
    const units = projections.map((projection, i) => new RebuildWriteBack(stagings[i]!, projection.name, options.trackedIds));
    let position = 0;
    let head = await events.headPosition();
    for (;;) {
      const page = await events.readAll({ after: position, maxCount: pageSize });
      if (page.length === 0) {
        head = await events.headPosition();
        if (position >= head) break;
        continue;
      }
      // Every projection holds the same checkpoint: they advance together, page by page.
      for (let i = 0; i < projections.length; i += 1) {
        if (await applyEvents(projections[i]!, page, units[i]!, false)) units[i]!.erased();
      }
      position = page[page.length - 1]!.position;
      for (const unit of units) if (unit.unreadSize > unreadWrite) await unit.writeUnread();
      if (units.reduce((sum, unit) => sum + unit.size, 0) > keptDocuments) {
        // First the documents no projection reads back; all of them only if those it reads fill half the bound.
        let held = 0;
        for (const unit of units) held += await unit.flushAndLetGoOfUnread(position);
        if (held > keptDocuments / 2) for (const unit of units) await unit.flushAndDrop(position);
      }
      onProgress({ projection: label, position, head: Math.max(head, position) });
    }
    for (let i = 0; i < projections.length; i += 1) await projections[i]!.finishRebuild?.(units[i]!);
    for (const unit of units) await unit.flush(position);
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
  options: RebuildOptions = {},
): Promise<number> {
  return rebuildProjections(events, readStore, [projection], onProgress, options);
}
