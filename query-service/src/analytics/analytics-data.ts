/** Loads what the analytics answers sum: a project's bucket documents for a period, its stream summaries, names and paths. */
import type { ReadStore } from '@resoft/ports';
import {
  AnalyticsReadModels, ReadModels, bucketCounts, bucketFieldsToOmit, hourOfMonthKey, monthOfHour,
  type AnalyticsBucketCounts, type AnalyticsBucketView, type AnalyticsRoomMonthView, type AnalyticsDayView, type AnalyticsStreamView, type BucketCountsField, type ProjectFileView, type ResponseCounts, type StreamKind, type UserView,
} from '@resoft/projectors';
import type { HourCounts, RoomHourCounts } from './analytics-answers.js';

const hourFloor = (ms: number): string => `${new Date(ms).toISOString().slice(0, 13)}:00:00.000Z`;

/**
 * The counts of the project's bucket documents whose hour starts in [since, until) (since rounded
 * down to its hour), less the `omit`ted fields (left empty): a file stream's churn and the counts by
 * person are most of a document's text, and a timeline by area needs neither. The documents are read
 * in either stored format (bucketCounts).
 */
export async function loadBuckets(store: ReadStore, projectId: string, since: number, until: number, omit?: readonly BucketField[]): Promise<AnalyticsBucketCounts[]> {
  const storedOmit = omit?.length ? bucketFieldsToOmit(BUCKET_FIELDS.filter((f) => !omit.includes(f))) : [];
  const docs = await store.find<AnalyticsBucketView>(AnalyticsReadModels.buckets, { where: { projectId, hour: { $gte: hourFloor(since), $lt: new Date(until).toISOString() } }, ...(storedOmit.length ? { omit: storedOmit } : {}) });
  return docs.map(bucketCounts);
}

const NO_RESPONSES: ResponseCounts = Object.freeze({ count: 0, totalMs: 0, maxMs: 0 });

/**
 * The chat of the `rooms` (their stream documents) per UTC hour whose start is in [since, until)
 * (since rounded down to its hour): the hours of the rooms' month documents for the months that
 * overlap the period, and those of the rooms' hour buckets written before the rooms' chat was kept
 * per month (a deployment's read model from before: such a bucket is never counted into again, so the
 * two hold different hours' or messages' counts).
 */
export async function loadRoomHours(store: ReadStore, projectId: string, since: number, until: number, rooms: readonly AnalyticsStreamView[]): Promise<RoomHourCounts[]> {
  const from = hourFloor(since);
  const to = new Date(until).toISOString();
  const roomIds = new Set(rooms.map((r) => r.id));
  const [buckets, months] = await Promise.all([
    loadBuckets(store, projectId, since, until, ['areas', 'actors', 'actorAreas', 'churn']),
    // The months overlapping [from, to): from's month up to the month of `to` (an hour of which may start before `to`).
    store.find<AnalyticsRoomMonthView>(AnalyticsReadModels.roomMonths, { where: { projectId, month: { $gte: monthOfHour(from), $lte: monthOfHour(to) } } }),
  ]);
  const hours: RoomHourCounts[] = [];
  for (const b of buckets) {
    if (roomIds.has(b.streamId)) hours.push({ streamId: b.streamId, hour: b.hour, messages: b.types['ChatMessagePosted'] ?? 0, responses: b.responses });
  }
  for (const month of months) {
    if (!roomIds.has(month.streamId)) continue;
    for (const [key, kept] of Object.entries(month.hours)) {
      const hour = hourOfMonthKey(month.month, key);
      if (hour >= from && hour < to) hours.push({ streamId: month.streamId, hour, messages: kept.messages, responses: kept.responses ?? NO_RESPONSES });
    }
  }
  return hours;
}

const DAY_FIELDS: ReadonlySet<string> = new Set(['types', 'areas', 'actors', 'actorAreas']);
/** The counts of a field left out (one shared empty object: readers only read it). */
const NONE: Record<string, never> = Object.freeze({});

/**
 * The project's counts per UTC hour whose start is in [since, until) (since rounded down to its
 * hour), from the coarse level: one document per UTC day (and bus partition) with the day's hours
 * inside, so a year costs a few hundred documents however many streams and hours had events. The
 * hours come out as they are kept, so every time zone and grouping sums exactly what the hourly
 * documents give (analytics-levels.int.spec.ts compares them). One entry per writer's hour; the
 * timeline sums them.
 */
export async function loadTimelineHours(store: ReadStore, projectId: string, since: number, until: number, omit?: readonly BucketField[]): Promise<HourCounts[]> {
  const from = hourFloor(since);
  const to = new Date(until).toISOString();
  const dayOmit = (omit ?? []).filter((f) => DAY_FIELDS.has(f));
  const days = await store.find<AnalyticsDayView>(AnalyticsReadModels.days, { where: { projectId, day: { $gte: `${from.slice(0, 10)}T00:00:00.000Z`, $lt: to } }, ...(dayOmit.length ? { omit: dayOmit } : {}) });
  const hours: HourCounts[] = [];
  for (const day of days) {
    // Omitted fields are absent from the documents read (hence the `?.`).
    const date = day.day.slice(0, 11);
    for (const [h, total] of Object.entries(day.total)) {
      const hour = `${date}${h}:00:00.000Z`;
      if (hour < from || hour >= to) continue;
      hours.push({ projectId, hour, total, types: day.types?.[h] ?? NONE, areas: day.areas?.[h] ?? NONE, actors: day.actors?.[h] ?? NONE, actorAreas: day.actorAreas?.[h] ?? NONE });
    }
  }
  return hours;
}

/** Counts of a bucket document a reader may leave out. */
export type BucketField = BucketCountsField;
const BUCKET_FIELDS: readonly BucketField[] = ['types', 'areas', 'actors', 'actorAreas', 'churn', 'responses'];

/** What a timeline grouped by `groupBy` (narrowed to people or not) does not read. */
export function timelineOmits(groupBy: 'type' | 'area' | 'actor' | 'project' | undefined, narrowed: boolean): BucketField[] {
  const used = new Set<BucketField>(narrowed ? ['actors', 'actorAreas'] : []);
  if (groupBy === 'type') used.add('types');
  if (groupBy === 'area') used.add('areas');
  if (groupBy === 'actor') used.add('actors');
  return BUCKET_FIELDS.filter((f) => !used.has(f));
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
