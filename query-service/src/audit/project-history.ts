/**
 * Every stream of a project (its own, rooms, agent activities, template runs,
 * checks, the file tree and each file's document), and their events merged
 * in log order: the scope of project verification and of audit bundles.
 */
import type { RecordedEvent } from '@resoft/domain';
import { ReadModels, type ProjectStreamView } from '@resoft/projectors';
import type { QueryServiceDeps } from '../query-service-deps.js';

const PAGE = 1000;

export async function projectStreamIds(deps: Pick<QueryServiceDeps, 'readStore'>, projectId: string): Promise<string[]> {
  const streams = await deps.readStore.find<ProjectStreamView>(ReadModels.streams, { where: { projectId }, orderBy: [{ field: 'firstPosition', direction: 'asc' }] });
  return streams.map((s) => s.id);
}

/** Whole streams, read from revision 0, merged in global position order. */
export async function projectEvents(deps: Pick<QueryServiceDeps, 'eventStore'>, streamIds: readonly string[]): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (const streamId of streamIds) {
    for (let from = 0; ; from += PAGE) {
      const page = await deps.eventStore.readStream(streamId, { fromRevision: from, maxCount: PAGE });
      all.push(...page);
      if (page.length < PAGE) break;
    }
  }
  return all.sort((a, b) => a.position - b.position);
}
