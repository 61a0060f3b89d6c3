/**
 * The analytics read models, shared by the projection that writes them and the queries that read
 * them. Every document is derived from the events of one stream only (a stream's hour bucket, or
 * the stream's summary), so with the bus each partition's consumer owns its documents outright and
 * redelivery or rebalancing never mixes two writers on one document. Project-wide figures (a day,
 * a week, a person's total) are sums over these documents, made by the query side.
 */
import type { Document } from '@resoft/ports';

export const AnalyticsReadModels = {
  /** One document per stream and UTC hour with events of HOURLY_BUCKET_TYPES in it (file churn). */
  buckets: 'analytics_buckets',
  /** One document per stream of a project: its kind, extent, and what the kind needs (room, agent activity, check, project). */
  streams: 'analytics_streams',
  /** The coarse level: one document per project, UTC day and writer, holding the day's hours (timeline counts only). */
  days: 'analytics_days',
  /** One document per room stream and UTC month with events of the room: the room's chat per UTC hour (AnalyticsRoomMonthView). */
  roomMonths: 'analytics_room_months',
} as const;

/**
 * The event types counted into hour buckets (per stream and UTC hour): those whose hourly figures a
 * reader needs per file, the file churn. A room's chat per hour is kept in the room's month documents
 * (AnalyticsRoomMonthView); every event's counts by type, area and person per hour are in the day
 * documents (AnalyticsDayView). Buckets written before this rule hold every event's counts (a room's
 * chat included: readers add those to the room's month documents, which then hold only later messages).
 */
export const HOURLY_BUCKET_TYPES: ReadonlySet<string> = new Set(['FileCreated', 'DocumentChanged']);

/** Characters inserted, characters removed, and the number of changes, per file and person. */
export interface ChurnCounts {
  inserted: number;
  removed: number;
  changes: number;
}

/**
 * One stream's UTC hour as stored, in its lean form (format 2): only what cannot be worked out from
 * the rest, so that a rebuild holds and serialises fewer objects. The counts by area follow from the
 * counts by type (each type has one area: analytics-areas.ts), the stream from the id, and the counts
 * by person and area are kept only when the hour's events are of more than one area (else each
 * person's events are all of that one area). Readers take the counts with `bucketCounts`
 * (analytics-bucket.ts), which reads the first format (every field always present) as well.
 */
export interface AnalyticsBucketView extends Document {
  /** `<streamId>@<hour>` (bucketDocId). */
  id: string;
  projectId: string;
  /** The UTC hour, `YYYY-MM-DDTHH:00:00.000Z`. */
  hour: string;
  total: number;
  types: Record<string, number>;
  /** By actor id; events without an actor count under `system`. */
  actors: Record<string, number>;
  /** actor id → area → count; only when the hour's events are of more than one area. */
  actorAreas?: Record<string, Record<string, number>>;
  /** fileId → actor id → counts (file streams only; absent when no change was counted). */
  churn?: Record<string, Record<string, ChurnCounts>>;
  /** First responses in a room that were given in this hour (room streams only; absent when none). */
  responses?: ResponseCounts;
  lastPosition: number;
}

/** First responses in a room: how many, their summed and their longest wait. */
export interface ResponseCounts {
  count: number;
  totalMs: number;
  maxMs: number;
}

/** A bucket's counts with every field there, as the answers sum them (`bucketCounts`, analytics-bucket.ts). */
export interface AnalyticsBucketCounts {
  readonly id: string;
  readonly projectId: string;
  readonly streamId: string;
  readonly hour: string;
  readonly total: number;
  readonly types: Readonly<Record<string, number>>;
  readonly areas: Readonly<Record<string, number>>;
  readonly actors: Readonly<Record<string, number>>;
  readonly actorAreas: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly churn: Readonly<Record<string, Readonly<Record<string, ChurnCounts>>>>;
  readonly responses: ResponseCounts;
}

/**
 * The coarse level the timeline reads: one project's counts of one UTC day, kept per UTC hour of
 * the day (`"00"`…`"23"`), so a day or week in any time zone sums exactly what the hourly documents
 * give, from one document per day instead of one per stream and hour. It is written by one writer
 * only (`writer`: the bus partition whose streams it counts, absent for the single-writer runner
 * and rebuild), since with the bus a project's streams are spread over partitions whose consumers
 * must not share a document; a reader sums every writer's document of the day. No churn and no
 * chat responses: the reads that need them use the hourly documents.
 */
export interface AnalyticsDayView extends Document {
  id: string;
  projectId: string;
  /** The UTC day, `YYYY-MM-DDT00:00:00.000Z` (compares like the hourly documents' `hour`). */
  day: string;
  writer: string | null;
  /** hour → events. */
  total: Record<string, number>;
  /** hour → event type → count. */
  types: Record<string, Record<string, number>>;
  /** hour → area → count. */
  areas: Record<string, Record<string, number>>;
  /** hour → actor id → count. */
  actors: Record<string, Record<string, number>>;
  /** hour → actor id → area → count. */
  actorAreas: Record<string, Record<string, Record<string, number>>>;
}

export interface RoomSummary {
  name: string;
  messages: number;
  /** The first message of the current run of messages by one person, which awaits a response from someone else. */
  waiting: { authorId: string; at: string } | null;
  responses: number;
  responseTotalMs: number;
}

/** A room's chat in one UTC hour with events of the room. */
export interface RoomHour {
  messages: number;
  /** Absent when none was given in the hour. */
  responses?: ResponseCounts;
}

export interface AgentSummary {
  agent: string;
  title: string;
  startedBy: string;
  startedAt: string;
  endedAt: string | null;
  status: 'running' | 'completed' | 'failed';
  durationMs: number | null;
}

/** A finding kept for quality trends (objects, not tuples: MongoDB-wire engines such as FerretDB refuse nested arrays). */
export interface FindingKey {
  fingerprint: string;
  linter: string;
  ruleId: string;
}

export interface CheckSummary {
  requestedBy: string;
  requestedAt: string;
  status: 'requested' | 'completed' | 'failed';
  completedAt: string | null;
  score: number | null;
  grade: string | null;
  /** linter → status of its run. */
  linters: Record<string, string>;
  findings: FindingKey[];
}

export interface MilestoneLead {
  milestoneId: string;
  name: string;
  reachedAt: string;
  reachedBy: string | null;
  /** From the project's creation to the milestone. */
  sinceCreatedMs: number;
  /** From the previous milestone (or the creation, for the first). */
  sincePreviousMs: number;
}

export interface ProjectSummary {
  createdAt: string | null;
  milestones: MilestoneLead[];
}

export type StreamKind = 'project' | 'room' | 'agent' | 'check' | 'files' | 'doc' | 'template-run' | 'other';

export interface AnalyticsStreamView extends Document {
  id: string;
  projectId: string;
  kind: StreamKind;
  firstPosition: number;
  lastPosition: number;
  events: number;
  room?: RoomSummary;
  agent?: AgentSummary;
  check?: CheckSummary;
  project?: ProjectSummary;
}

/**
 * A room's chat in one UTC month: one document per room stream and month with an event of the room,
 * so a room's live chat rewrites a bounded document (at most 744 hours) however old the room is.
 */
export interface AnalyticsRoomMonthView extends Document {
  /** `<roomStreamId>|<YYYY-MM>` (roomMonthDocId). */
  id: string;
  projectId: string;
  streamId: string;
  /** The UTC month, `YYYY-MM`. */
  month: string;
  /**
   * The hour in the month (`DDTHH`, hourInMonth: MongoDB refuses field names with a '.', so not the
   * ISO hour) → the messages posted and first responses given, for every hour of the month with an
   * event of the room.
   */
  hours: Record<string, RoomHour>;
}

/** Actor key for events no person caused. */
export const SYSTEM_ACTOR = 'system';

/** The UTC hour of an ISO time; times stamped by the platform are already UTC (`…Z`), others are converted. */
export const hourOf = (occurredAt: string): string =>
  `${(occurredAt.length === 24 && occurredAt.endsWith('Z') ? occurredAt : new Date(occurredAt).toISOString()).slice(0, 13)}:00:00.000Z`;
export const bucketDocId = (streamId: string, hour: string): string => `${streamId}@${hour}`;
/** The UTC month of an hour (`2026-12-04T13:00:00.000Z` → `2026-12`). */
export const monthOfHour = (hour: string): string => hour.slice(0, 7);
export const roomMonthDocId = (streamId: string, month: string): string => `${streamId}|${month}`;
/** A room month document's key for an hour (`2026-12-04T13:00:00.000Z` → `04T13`). */
export const hourInMonth = (hour: string): string => hour.slice(8, 13);
/** The hour a room month document's key names (`2026-12`, `04T13` → `2026-12-04T13:00:00.000Z`). */
export const hourOfMonthKey = (month: string, key: string): string => `${month}-${key}:00:00.000Z`;
/** The UTC day of an hour (`…T13:00:00.000Z` → `…T00:00:00.000Z`). */
export const dayOfHour = (hour: string): string => `${hour.slice(0, 10)}T00:00:00.000Z`;
export const dayDocId = (projectId: string, day: string, writer: string | null): string => `${projectId}@${day.slice(0, 10)}${writer === null ? '' : `@${writer}`}`;
export const streamKindOf = (streamId: string): StreamKind => {
  const prefix = streamId.startsWith('template-run-') ? 'template-run' : streamId.slice(0, streamId.indexOf('-'));
  return (['project', 'room', 'agent', 'check', 'files', 'doc', 'template-run'] as const).find((k) => k === prefix) ?? 'other';
};
