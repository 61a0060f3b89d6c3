/** Loads what the analytics answers sum: a project's bucket documents for a period, its stream summaries, names and paths. */
import type { ReadStore } from '@resoft/ports';
import { AnalyticsReadModels, ReadModels, type AnalyticsBucketView, type AnalyticsStreamView, type ProjectFileView, type StreamKind, type UserView } from '@resoft/projectors';

const hourFloor = (ms: number): string => `${new Date(ms).toISOString().slice(0, 13)}:00:00.000Z`;

/**
 * Bucket documents of the project whose hour starts in [since, until) (since rounded down to its
 * hour), less the `omit`ted fields: a file stream's churn and the counts by person and area are most
 * of a document's text, and a timeline by area needs neither.
 */
export function loadBuckets(store: ReadStore, projectId: string, since: number, until: number, omit?: readonly BucketField[]): Promise<AnalyticsBucketView[]> {
  return store.find<AnalyticsBucketView>(AnalyticsReadModels.buckets, { where: { projectId, hour: { $gte: hourFloor(since), $lt: new Date(until).toISOString() } }, ...(omit?.length ? { omit } : {}) });
}

/** Fields of a bucket document a reader may leave out. */
export type BucketField = 'types' | 'areas' | 'actors' | 'actorAreas' | 'churn' | 'responses';

/** What a timeline grouped by `groupBy` (narrowed to people or not) does not read. */
export function timelineOmits(groupBy: 'type' | 'area' | 'actor' | 'project' | undefined, narrowed: boolean): BucketField[] {
  const used = new Set<BucketField>(narrowed ? ['actors', 'actorAreas'] : []);
  if (groupBy === 'type') used.add('types');
  if (groupBy === 'area') used.add('areas');
  if (groupBy === 'actor') used.add('actors');
  return (['types', 'areas', 'actors', 'actorAreas', 'churn', 'responses'] as const).filter((f) => !used.has(f));
}

export function loadStreams(store: ReadStore, projectId: string, kind: StreamKind): Promise<AnalyticsStreamView[]> {
  return store.find<AnalyticsStreamView>(AnalyticsReadModels.streams, { where: { projectId, kind } });
}

export function loadStream(store: ReadStore, streamId: string): Promise<AnalyticsStreamView | null> {
  return store.get<AnalyticsStreamView>(AnalyticsReadModels.streams, streamId);
}

/** Usernames of the given user ids (unknown ids are left out). */
export async function usernames(store: ReadStore, ids: Iterable<string>): Promise<Map<string, string>> {
  const users = await store.getMany<UserView>(ReadModels.users, [...new Set(ids)]);
  return new Map(users.map((u) => [u.id, u.username]));
}

/** Current paths of the given files of a project. */
export async function filePaths(store: ReadStore, projectId: string, fileIds: Iterable<string>): Promise<Map<string, string>> {
  const files = await store.getMany<ProjectFileView>(ReadModels.projectFiles, [...new Set(fileIds)]);
  return new Map(files.filter((f) => f.projectId === projectId).map((f) => [f.id, f.path]));
}
