/** Loads what the analytics answers sum: a project's bucket documents for a period, its stream summaries, names and paths. */
import type { ReadStore } from '@resoft/infra';
import { AnalyticsReadModels, ReadModels, type AnalyticsBucketView, type AnalyticsStreamView, type ProjectFileView, type StreamKind, type UserView } from '@resoft/projectors';

const hourFloor = (ms: number): string => `${new Date(ms).toISOString().slice(0, 13)}:00:00.000Z`;

/** Bucket documents of the project whose hour starts in [since, until) (since rounded down to its hour). */
export function loadBuckets(store: ReadStore, projectId: string, since: number, until: number): Promise<AnalyticsBucketView[]> {
  return store.find<AnalyticsBucketView>(AnalyticsReadModels.buckets, { where: { projectId, hour: { $gte: hourFloor(since), $lt: new Date(until).toISOString() } } });
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
