/** Query-string schemas of the analytics reads: period, interval, zone, grouping and output format. */
import { z } from 'zod';
import { afterPositionSchema, uuidSchema } from '@resoft/http-kit';
import { isTimeZone } from './time-buckets.js';

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

export const formatSchema = z.enum(['json', 'csv', 'ndjson']).default('json').describe('json (default), csv or ndjson (both streamed; the position is in the Resoft-Position header)');
export type OutputFormat = z.infer<typeof formatSchema>;

const period = {
  after: afterPositionSchema,
  since: isoTime.optional().describe('Start of the period (default: the interval’s default span before `until`); counted from the UTC hour that holds it'),
  until: isoTime.optional().describe('End of the period, exclusive (default: now)'),
  format: formatSchema,
};

const bucketed = {
  ...period,
  interval: z.enum(['hour', 'day', 'week']).default('day'),
  tz: z.string().regex(/^[A-Za-z0-9_+\-/]{1,64}$/, 'must be an IANA time zone such as Europe/Berlin').refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin').default('UTC').describe('Time zone in which days and weeks start (IANA name)'),
};

/** `people=<id>,<id>`: user ids (or `system`), at most 50. */
const peopleSchema = z
  .string()
  .regex(/^[0-9A-Za-z-]{1,36}(,[0-9A-Za-z-]{1,36}){0,49}$/, 'must be user ids (or system) separated by commas (at most 50)')
  .transform((text) => [...new Set(text.split(','))])
  .optional()
  .describe('Count only these people\'s events: comma-separated user ids, `system` for events without an actor (not with groupBy=type)');

export const timelineQuery = z.object({ ...bucketed, groupBy: z.enum(['type', 'area', 'actor']).optional().describe('One column per event type, area or person'), people: peopleSchema });

export const crossProjectTimelineQuery = z.object({
  ...bucketed,
  projects: z
    .string()
    .regex(/^[0-9A-Fa-f-]{1,36}(,[0-9A-Fa-f-]{1,36}){0,49}$/, 'must be project ids separated by commas (at most 50)')
    .transform((text) => [...new Set(text.split(',').map((id) => id.trim()).filter(Boolean))])
    .pipe(z.array(uuidSchema).min(1, 'name at least one project').max(50, 'at most 50 projects'))
    .optional()
    .describe('Comma-separated project ids, each one you are a member of (default: every project you are a member of, at most 50)'),
  groupBy: z.enum(['project', 'type', 'area', 'actor']).default('project'),
});

export const contributorsQuery = z.object({ ...bucketed, view: z.enum(['people', 'periods']).default('people').describe('people: one row per person; periods: active contributors per bucket') });
export const filesQuery = z.object({ ...period, by: z.enum(['file', 'person']).default('file'), limit: z.coerce.number().int().min(1).max(1000).default(100) });
export const qualityQuery = z.object({ ...period, view: z.enum(['checks', 'rules']).default('checks').describe('checks: score, findings introduced and fixed per check; rules: the same per linter and rule') });
export const roomsQuery = z.object({ ...bucketed, view: z.enum(['rooms', 'volume']).default('rooms').describe('rooms: one row per room; volume: messages and first responses per room and bucket') });
export const agentsQuery = z.object({ ...period });
export const milestonesQuery = z.object({ ...period });

/** Default span of a period per interval, when `since` is not given. */
export const DEFAULT_SPAN_MS: Readonly<Record<'hour' | 'day' | 'week', number>> = { hour: 2 * 86_400_000, day: 30 * 86_400_000, week: 26 * 7 * 86_400_000 };
/** Default span for reads without an interval: a year. */
export const DEFAULT_PERIOD_MS = 365 * 86_400_000;
/** Most buckets one answer may hold. */
export const MAX_BUCKETS = 2000;
