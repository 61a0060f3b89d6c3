/**
 * The analysts' reads: a project's timeline by type, area or person, contributors, hot files, code
 * quality, chat rooms, agent activities and milestone lead times, and a timeline across projects.
 * Membership-scoped and `?after=`-aware like every read; every answer carries the position it
 * reflects, and each can be had as CSV or NDJSON (`?format=`).
 */
import { Agents, Contributors, CrossProjectTimeline, HotFiles, MilestoneLeadTimes, ProjectTimeline, Quality, RoomActivity, TABULAR_MEDIA_TYPES } from '@resoft/contracts';
import { defineRoute, HttpError, type DocumentedResponse, type RouteSpec } from '@resoft/http-kit';
import { type ReadStore } from '@resoft/ports';
import { ANALYTICS_AREAS, ReadModels, type ProjectMemberView } from '@resoft/projectors';
import { requireMember } from '../auth/membership.js';
import { readGuards } from '../auth/read-guards.js';
import { readYourWrites } from '../consistency/read-your-writes.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { projectParams } from '../query-schemas.js';
import {
  activeContributorsTable, agentsTable, contributorsTable, filesTable, milestonesTable, qualityTables, roomsTable, roomVolumeTable, timelineTable, type Buckets, type HourCounts,
} from './analytics-answers.js';
import { filePaths, loadBuckets, loadRoomHours, loadStream, loadStreams, loadTimelineHours, timelineOmits, usernames } from './analytics-data.js';
import { analyticsPosition } from './analytics-position.js';
import { narrowToPeople } from './people-filter.js';
import {
  agentsQuery, contributorsQuery, crossProjectTimelineQuery, DEFAULT_SPAN_MS, filesQuery, MAX_BUCKETS, milestonesQuery, qualityQuery, roomsQuery, timelineQuery,
} from './analytics-schemas.js';
import { answer } from './tabular-output.js';
import { bucketStarts, localIso, type Interval } from './time-buckets.js';

/** A figures answer: JSON by default, its rows as CSV or NDJSON with `?format=`. */
const figures = (body: DocumentedResponse['body']): DocumentedResponse => ({ description: 'The figures (JSON), or their rows as CSV or NDJSON', body, contentType: TABULAR_MEDIA_TYPES });

const READ = { 400: 'Invalid period, interval, zone or format', 401: 'Not signed in', 404: 'Project not found (or you are not a member)' };

interface PeriodQuery {
  since?: string | undefined;
  until?: string | undefined;
}

/** The period [since, until): until defaults to now, since to `defaultSpan` before it (0: the whole history). */
function period(query: PeriodQuery, defaultSpan: number): { since: number; until: number } {
  const until = query.until ? Date.parse(query.until) : Date.now();
  const since = query.since ? Date.parse(query.since) : defaultSpan === 0 ? 0 : until - defaultSpan;
  if (since >= until) throw new HttpError(400, 'invalid_period', '`since` must be before `until`');
  return { since, until };
}

function buckets(query: PeriodQuery & { interval: Interval; tz: string }): Buckets & { since: number; until: number } {
  const { since, until } = period(query, DEFAULT_SPAN_MS[query.interval]);
  const starts = bucketStarts(since, until, query.interval, query.tz, MAX_BUCKETS);
  if (!starts) throw new HttpError(400, 'too_many_buckets', `The period holds more than ${MAX_BUCKETS} ${query.interval} buckets: shorten it or use a longer interval`);
  // The period begins where the bucket holding `since` begins, so the first bucket is whole.
  return { interval: query.interval, tz: query.tz, starts, since: starts[0] ?? since, until };
}

/** The projects the user is a member of (the 50 joined first), for a cross-project read that names none. */
async function myProjects(deps: QueryServiceDeps, userId: string): Promise<string[]> {
  const memberships = await deps.readStore.find<ProjectMemberView>(ReadModels.projectMembers, { where: { userId } });
  return memberships.sort((a, b) => a.addedAt.localeCompare(b.addedAt)).slice(0, 50).map((m) => m.projectId);
}

/** Which position a project read's answer reflects (the mount has waited for the caller's writes and the guard checked membership). */
async function projectRead(readStore: ReadStore, projectId: string): Promise<{ projectId: string; position: number }> {
  return { projectId, position: await analyticsPosition(readStore) };
}

const periodMeta = (since: number, until: number, tz = 'UTC') => ({ since: localIso(since, tz), until: localIso(until, tz) });
const inPeriod = (since: number, until: number) => (at: string): boolean => {
  const ms = Date.parse(at);
  return ms >= since && ms < until;
};

export function analyticsQueries(deps: QueryServiceDeps): RouteSpec[] {
  const afterWrites = readYourWrites(deps);
  const { projectMember } = readGuards(deps);
  const { readStore } = deps;
  const base = '/api/projects/:projectId/analytics';
  const tags = ['analytics'];
  // The per-project routes list their `consistency` and `guard` after the handler; the mount still runs them first.
  return [
    defineRoute({
      method: 'get', path: `${base}/timeline`, summary: 'Events per time bucket, in total and per event type, area or person', tags, auth: 'user', params: projectParams, query: timelineQuery, responses: { 200: figures(ProjectTimeline), ...READ },
      handler: async (ctx) => {
        const { people } = ctx.query;
        if (people && ctx.query.groupBy === 'type') throw new HttpError(400, 'unsupported_filter', 'Counts by event type are not kept per person: use groupBy=area or actor with `people`');
        const { projectId, position } = await projectRead(readStore, ctx.params.projectId);
        const b = buckets(ctx.query);
        const all = await loadTimelineHours(readStore, projectId, b.since, b.until, timelineOmits(ctx.query.groupBy, Boolean(people)));
        const docs = people ? narrowToPeople(all, people) : all;
        const table = timelineTable(docs, b, ctx.query.groupBy, ctx.query.groupBy === 'area' ? ANALYTICS_AREAS : ctx.query.groupBy === 'actor' && people ? people : []);
        const labels = ctx.query.groupBy === 'actor' ? Object.fromEntries(await usernames(readStore, table.columns.slice(2))) : undefined;
        return answer(ctx.res, ctx.query.format, 'timeline', position, { projectId, interval: b.interval, tz: b.tz, ...periodMeta(b.since, b.until, b.tz), groupBy: ctx.query.groupBy ?? null, people: people ?? null, ...(labels ? { labels } : {}) }, table);
      },
      consistency: afterWrites, guard: projectMember('projectId'),
    }),
    defineRoute({
      consistency: afterWrites,
      method: 'get', path: '/api/analytics/timeline', summary: 'Events per time bucket across several of your projects', tags, auth: 'user', query: crossProjectTimelineQuery,
      responses: { 200: figures(CrossProjectTimeline), ...READ, 404: 'A named project was not found (or you are not a member)' },
      handler: async (ctx) => {
        const { groupBy } = ctx.query;
        const projects = ctx.query.projects ?? (await myProjects(deps, ctx.user.id));
        for (const projectId of projects) await requireMember(deps, projectId, ctx.user.id);
        const position = await analyticsPosition(readStore);
        const b = buckets(ctx.query);
        const docs: HourCounts[] = [];
        for (const projectId of projects) docs.push(...(await loadTimelineHours(readStore, projectId, b.since, b.until, timelineOmits(groupBy, false))));
        const table = timelineTable(docs, b, groupBy, groupBy === 'project' ? projects : groupBy === 'area' ? ANALYTICS_AREAS : []);
        const labels = groupBy === 'actor' ? Object.fromEntries(await usernames(readStore, table.columns.slice(2))) : undefined;
        return answer(ctx.res, ctx.query.format, 'timeline', position, { projects, interval: b.interval, tz: b.tz, ...periodMeta(b.since, b.until, b.tz), groupBy, ...(labels ? { labels } : {}) }, table);
      },
    }),
    defineRoute({
      method: 'get', path: `${base}/contributors`, summary: 'Who contributed what (events by area, file churn), or active contributors per bucket', tags, auth: 'user', params: projectParams, query: contributorsQuery, responses: { 200: figures(Contributors), ...READ },
      handler: async (ctx) => {
        const { projectId, position } = await projectRead(readStore, ctx.params.projectId);
        const b = buckets(ctx.query);
        // Every event's counts by person come from the day level; the file churn from the hour buckets.
        const meta = { projectId, interval: b.interval, tz: b.tz, ...periodMeta(b.since, b.until, b.tz), view: ctx.query.view };
        if (ctx.query.view === 'periods') {
          const hours = await loadTimelineHours(readStore, projectId, b.since, b.until, ['types', 'areas', 'actorAreas']);
          return answer(ctx.res, ctx.query.format, 'active-contributors', position, meta, activeContributorsTable(hours, b));
        }
        const [hours, churn] = await Promise.all([
          loadTimelineHours(readStore, projectId, b.since, b.until, ['types', 'areas']),
          loadBuckets(readStore, projectId, b.since, b.until, ['types', 'areas', 'actors', 'actorAreas', 'responses']),
        ]);
        const names = await usernames(readStore, hours.flatMap((d) => Object.keys(d.actors)));
        return answer(ctx.res, ctx.query.format, 'contributors', position, meta, contributorsTable(hours, churn, b, names, ANALYTICS_AREAS));
      },
      consistency: afterWrites, guard: projectMember('projectId'),
    }),
    defineRoute({
      method: 'get', path: `${base}/files`, summary: 'Hot files: characters inserted and removed per file, or per file and person', tags, auth: 'user', params: projectParams, query: filesQuery, responses: { 200: figures(HotFiles), ...READ },
      handler: async (ctx) => {
        const { projectId, position } = await projectRead(readStore, ctx.params.projectId);
        const { since, until } = period(ctx.query, 0);
        const docs = await loadBuckets(readStore, projectId, since, until);
        const fileIds = docs.flatMap((d) => Object.keys(d.churn));
        const [paths, names] = await Promise.all([filePaths(readStore, projectId, fileIds), usernames(readStore, docs.flatMap((d) => Object.values(d.churn).flatMap((a) => Object.keys(a))))]);
        return answer(ctx.res, ctx.query.format, 'files', position, { projectId, ...periodMeta(since, until), by: ctx.query.by }, filesTable(docs, paths, names, ctx.query.by, ctx.query.limit));
      },
      consistency: afterWrites, guard: projectMember('projectId'),
    }),
    defineRoute({
      method: 'get', path: `${base}/quality`, summary: 'Code quality over time: scores per check and findings introduced and fixed, by linter and rule', tags, auth: 'user', params: projectParams, query: qualityQuery, responses: { 200: figures(Quality), ...READ },
      handler: async (ctx) => {
        const { projectId, position } = await projectRead(readStore, ctx.params.projectId);
        const { since, until } = period(ctx.query, 0);
        const tables = qualityTables(await loadStreams(readStore, projectId, 'check'), inPeriod(since, until));
        return answer(ctx.res, ctx.query.format, `quality-${ctx.query.view}`, position, { projectId, ...periodMeta(since, until), view: ctx.query.view }, tables[ctx.query.view]);
      },
      consistency: afterWrites, guard: projectMember('projectId'),
    }),
    defineRoute({
      method: 'get', path: `${base}/rooms`, summary: 'Chat volume and first-response times per room, or per room and bucket', tags, auth: 'user', params: projectParams, query: roomsQuery, responses: { 200: figures(RoomActivity), ...READ },
      handler: async (ctx) => {
        const { projectId, position } = await projectRead(readStore, ctx.params.projectId);
        const b = buckets(ctx.query);
        const rooms = await loadStreams(readStore, projectId, 'room');
        const docs = await loadRoomHours(readStore, projectId, b.since, b.until, rooms);
        const meta = { projectId, interval: b.interval, tz: b.tz, ...periodMeta(b.since, b.until, b.tz), view: ctx.query.view };
        return answer(ctx.res, ctx.query.format, `rooms-${ctx.query.view}`, position, meta, ctx.query.view === 'rooms' ? roomsTable(docs, rooms) : roomVolumeTable(docs, b, rooms));
      },
      consistency: afterWrites, guard: projectMember('projectId'),
    }),
    defineRoute({
      method: 'get', path: `${base}/agents`, summary: 'Agent activities started in the period, per agent: count, outcome, failure rate, duration', tags, auth: 'user', params: projectParams, query: agentsQuery, responses: { 200: figures(Agents), ...READ },
      handler: async (ctx) => {
        const { projectId, position } = await projectRead(readStore, ctx.params.projectId);
        const { since, until } = period(ctx.query, 0);
        const started = inPeriod(since, until);
        const activities = (await loadStreams(readStore, projectId, 'agent')).filter((s) => s.agent && started(s.agent.startedAt));
        return answer(ctx.res, ctx.query.format, 'agents', position, { projectId, ...periodMeta(since, until) }, agentsTable(activities));
      },
      consistency: afterWrites, guard: projectMember('projectId'),
    }),
    defineRoute({
      method: 'get', path: `${base}/milestones`, summary: 'Milestones reached in the period with their lead times (since the project began, since the previous milestone)', tags, auth: 'user', params: projectParams, query: milestonesQuery, responses: { 200: figures(MilestoneLeadTimes), ...READ },
      handler: async (ctx) => {
        const { projectId, position } = await projectRead(readStore, ctx.params.projectId);
        const { since, until } = period(ctx.query, 0);
        const project = await loadStream(readStore, `project-${projectId}`);
        const names = await usernames(readStore, (project?.project?.milestones ?? []).flatMap((m) => (m.reachedBy ? [m.reachedBy] : [])));
        return answer(ctx.res, ctx.query.format, 'milestones', position, { projectId, ...periodMeta(since, until) }, milestonesTable(project, inPeriod(since, until), names));
      },
      consistency: afterWrites, guard: projectMember('projectId'),
    }),
  ];
}
