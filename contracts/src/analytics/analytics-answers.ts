/**
 * Answers of the analysts' reads (docs/analytics.md): each is a table — its columns in order and one
 * object per row — with the position it reflects and the question it answers (period, interval,
 * zone, grouping). The same rows come as CSV or NDJSON with `?format=` (see `TABULAR_MEDIA_TYPES`).
 */
import { z } from 'zod';
import { Position, Timestamp } from '../http/written.js';

/** The non-JSON forms of a table: `?format=csv` and `?format=ndjson`. */
export const TABULAR_MEDIA_TYPES = ['text/csv', 'application/x-ndjson'] as const;

export const TableCell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type TableCell = z.infer<typeof TableCell>;

/** A row whose columns depend on the question (one per event type, area, person or project). */
export const TableRow = z.record(z.string(), TableCell);

const Nullable = <T extends z.ZodType>(t: T) => t.nullable();
const Int = z.number().int();
const Count = Int.min(0);
const Ms = Int.min(0).describe('Milliseconds');

/** A table answer: what it reflects, the question's parameters, the columns, the rows. */
const tableOf = <R extends z.ZodType, M extends z.ZodRawShape>(row: R, meta: M) =>
  z.object({
    position: Position.describe('The global position the figures reflect (also the Resoft-Position header)'),
    ...meta,
    columns: z.array(z.string()).describe('Column names, in CSV order'),
    rows: z.array(row),
  });

const Period = { since: Timestamp.describe('Start of the period (local to `tz` where the answer has one)'), until: Timestamp.describe('End of the period, exclusive') };
const Bucketed = { interval: z.enum(['hour', 'day', 'week']), tz: z.string().describe('IANA time zone the buckets are cut in'), ...Period };
const Project = { projectId: z.string() };
const Labels = { labels: z.record(z.string(), z.string()).optional().describe('With groupBy=actor: each person column\'s username') };

/** Events per bucket: `bucket`, `total`, then one column per event type, area, person or project (zero when none). */
export const TimelineRow = TableRow;
export const ProjectTimeline = tableOf(TimelineRow, {
  ...Project, ...Bucketed,
  groupBy: z.enum(['type', 'area', 'actor']).nullable(),
  people: z.array(z.string()).nullable().describe('Echoes `?people=`'),
  ...Labels,
});
export const CrossProjectTimeline = tableOf(TimelineRow, {
  projects: z.array(z.string()).describe('The projects counted'),
  ...Bucketed,
  groupBy: z.enum(['project', 'type', 'area', 'actor']),
  ...Labels,
});

/** One row per person (view=people), with a count per area. */
export const ContributorRow = z.object({
  actorId: z.string(), username: Nullable(z.string()), events: Count,
  inserted: Count, removed: Count, activePeriods: Count, firstActive: Timestamp, lastActive: Timestamp,
}).catchall(TableCell).describe('Also one count per area (chat, files, checks, …)');
/** Active contributors per bucket (view=periods). */
export const ActiveContributorsRow = z.object({ bucket: Timestamp, activeContributors: Count });
const contributors = { ...Project, ...Bucketed };
export const Contributors = z.union([
  tableOf(ContributorRow, { ...contributors, view: z.literal('people') }),
  tableOf(ActiveContributorsRow, { ...contributors, view: z.literal('periods') }),
]);

/** Hot files, most churn first: per file (by=file) or per file and person (by=person). */
const churn = { inserted: Count, removed: Count, churn: Count, changes: Count };
export const FileChurnRow = z.object({ fileId: z.string(), path: Nullable(z.string()), people: Count.describe('How many people changed it'), ...churn });
export const PersonFileChurnRow = z.object({ fileId: z.string(), path: Nullable(z.string()), actorId: Nullable(z.string()), username: Nullable(z.string()), ...churn });
export const HotFiles = z.union([
  tableOf(FileChurnRow, { ...Project, ...Period, by: z.literal('file') }),
  tableOf(PersonFileChurnRow, { ...Project, ...Period, by: z.literal('person') }),
]);

/** Code quality over time: each finished check (view=checks; figures null for a failed or partial one), or findings per linter and rule (view=rules). */
export const QualityCheckRow = z.object({
  checkId: z.string(), completedAt: Timestamp, status: z.string(),
  score: Nullable(z.number()), grade: Nullable(z.string()), findings: Nullable(Count), introduced: Nullable(Count), fixed: Nullable(Count),
});
export const QualityRuleRow = z.object({ linter: z.string(), ruleId: z.string(), findings: Count, introduced: Count, fixed: Count });
export const Quality = z.union([
  tableOf(QualityCheckRow, { ...Project, ...Period, view: z.literal('checks') }),
  tableOf(QualityRuleRow, { ...Project, ...Period, view: z.literal('rules') }),
]);

/** Chat per room over the period (view=rooms), or per room and bucket where something was said (view=volume). */
const chat = { roomId: z.string(), name: Nullable(z.string()), messages: Count, responses: Count, averageFirstResponseMs: Nullable(Ms) };
export const RoomRow = z.object({ ...chat, maxFirstResponseMs: Nullable(Ms) });
export const RoomVolumeRow = z.object({ bucket: Timestamp, ...chat });
export const RoomActivity = z.union([
  tableOf(RoomRow, { ...Project, ...Bucketed, view: z.literal('rooms') }),
  tableOf(RoomVolumeRow, { ...Project, ...Bucketed, view: z.literal('volume') }),
]);

/** Agent activities started in the period, per agent. */
export const AgentRow = z.object({
  agent: z.string(), activities: Count, completed: Count, failed: Count, running: Count,
  failureRate: Nullable(z.number().min(0).max(1)).describe('Failed among ended, 0 to 1; null when none ended'),
  averageDurationMs: Nullable(Ms), maxDurationMs: Nullable(Ms),
});
export const Agents = tableOf(AgentRow, { ...Project, ...Period });

/** Milestones reached in the period with their lead times. */
export const MilestoneRow = z.object({
  milestoneId: z.string(), name: z.string(), reachedAt: Timestamp, reachedBy: Nullable(z.string()), username: Nullable(z.string()),
  sinceCreatedMs: Nullable(Int), sincePreviousMs: Nullable(Int),
});
export const MilestoneLeadTimes = tableOf(MilestoneRow, { ...Project, ...Period });

/** `POST …/analytics/sql`: the result's columns with their SQL types, the rows, and whether the row cap cut them. */
export const SqlAnswer = z.object({
  position: Position.describe('The global position the tables reflect'),
  columns: z.array(z.object({ name: z.string(), type: z.string().describe('DuckDB type, e.g. BIGINT, VARCHAR') })),
  rows: z.array(TableRow),
  truncated: z.boolean().describe('True when the rows were cut at maxRows'),
  maxRows: Count,
});
