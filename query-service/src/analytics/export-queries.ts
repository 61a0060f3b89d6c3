/**
 * Downloads of a project's history: the raw event history (CSV, NDJSON or Parquet) and the filtered
 * activity feed (CSV or NDJSON), streamed as they are read. Each says, in `Resoft-Position`, the
 * position it reflects: the history holds every event of the project up to there.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ACTIVITY_EXPORT_MEDIA_TYPES } from '@resoft/contracts';
import { afterPositionSchema, defineRoute, uuidSchema, type RouteSpec } from '@resoft/http-kit';
import type { EventColumnValues } from '@resoft/ports';
import { ReadModels, type ActivityView } from '@resoft/projectors';
import { z } from 'zod';
import { readYourWrites } from '../consistency/read-your-writes.js';
import { readGuards } from '../auth/read-guards.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { projectParams } from '../query-schemas.js';
import { analyticsPosition } from './analytics-position.js';
import { projectHistory, projectHistoryPages } from './project-history.js';
import { DATA_CELL, EVENT_COLUMNS } from './event-columns.js';
import { streamTable, type Row } from './tabular-output.js';

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });
const typeFilter = z.string().regex(/^[A-Za-z]{1,60}$/).optional().describe('Only events of this type');

const eventsExportQuery = z.object({
  after: afterPositionSchema,
  format: z.enum(['csv', 'ndjson', 'parquet']).default('ndjson'),
  type: typeFilter,
  since: isoTime.optional(),
  until: isoTime.optional(),
});

const activityExportQuery = z.object({
  after: afterPositionSchema,
  format: z.enum(['csv', 'ndjson']).default('csv'),
  type: typeFilter,
  actorId: uuidSchema.optional().describe('Only what this user did'),
  since: isoTime.optional(),
  until: isoTime.optional(),
});

async function* eventRows(events: AsyncIterable<EventColumnValues>, asObjects: boolean): AsyncIterable<Row> {
  for await (const cells of events) {
    const row: Row = Object.fromEntries(EVENT_COLUMNS.map((c, i) => [c.name, cells[i] ?? null]));
    // NDJSON gives `data` as an object, so that one format parses it.
    yield asObjects ? ({ ...row, data: JSON.parse(cells[DATA_CELL]!) as never }) : row;
  }
}

const ACTIVITY_COLUMNS = ['position', 'occurredAt', 'type', 'actorId', 'streamId', 'summary'] as const;
const ACTIVITY_PAGE = 1000;

/** The filtered activity feed, oldest first, read a page at a time. */
async function* activityRows(deps: QueryServiceDeps, projectId: string, query: z.output<typeof activityExportQuery>, upTo: number): AsyncIterable<Row> {
  const occurredAt = query.since || query.until ? { ...(query.since ? { $gte: new Date(query.since).toISOString() } : {}), ...(query.until ? { $lt: new Date(query.until).toISOString() } : {}) } : undefined;
  let after = 0;
  for (;;) {
    const page = await deps.readStore.find<ActivityView>(ReadModels.activity, {
      where: { projectId, position: { $gt: after, $lte: upTo }, ...(query.type ? { type: query.type } : {}), ...(query.actorId ? { actorId: query.actorId } : {}), ...(occurredAt ? { occurredAt } : {}) },
      orderBy: [{ field: 'position', direction: 'asc' }],
      limit: ACTIVITY_PAGE,
    });
    for (const entry of page) yield Object.fromEntries(ACTIVITY_COLUMNS.map((c) => [c, (entry[c] ?? null) as Row[string]]));
    if (page.length < ACTIVITY_PAGE) return;
    after = page[page.length - 1]!.position;
  }
}

export function exportQueries(deps: QueryServiceDeps): RouteSpec[] {
  const afterWrites = readYourWrites(deps);
  const { projectMember } = readGuards(deps);
  const READ = { 400: 'Invalid filter or format', 401: 'Not signed in', 404: 'Project not found (or you are not a member)' };
  return [
    defineRoute({
      consistency: afterWrites, guard: projectMember('projectId'),
      method: 'get', path: '/api/projects/:projectId/events/export', summary: "Download a project's raw event history (every stream of the project, in log order) as NDJSON, CSV or Parquet", tags: ['analytics'], auth: 'user',
      params: projectParams, query: eventsExportQuery, responses: { 200: { description: 'The events, streamed; Resoft-Position says up to which position', contentType: ['application/x-ndjson', 'text/csv', 'application/vnd.apache.parquet'] }, ...READ },
      handler: async (ctx) => {
        const { projectId } = ctx.params;
        const upTo = await analyticsPosition(deps.readStore);
        const { format, type, since, until } = ctx.query;
        const filter = { upTo, type, since: since ? Date.parse(since) : undefined, until: until ? Date.parse(until) : undefined };
        if (format !== 'parquet') {
          await streamTable(ctx.res, format, { columns: EVENT_COLUMNS.map((c) => c.name), rows: eventRows(projectHistory(deps, projectId, filter), format === 'ndjson') }, `events-${projectId}`, upTo);
          return {};
        }
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-export-'));
        try {
          const file = path.join(dir, 'events.parquet');
          await deps.columnarFiles.writeParquet(file, { name: 'events', columns: EVENT_COLUMNS, rows: { chunks: projectHistoryPages(deps, projectId, filter) } });
          ctx.res.status(200);
          ctx.res.setHeader('Content-Type', 'application/vnd.apache.parquet');
          ctx.res.setHeader('Content-Disposition', `attachment; filename="events-${projectId}.parquet"`);
          ctx.res.setHeader('Content-Length', String(fs.statSync(file).size));
          ctx.res.setHeader('Resoft-Position', String(upTo));
          await pipeline(fs.createReadStream(file), ctx.res);
          return {};
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    }),
    defineRoute({
      consistency: afterWrites, guard: projectMember('projectId'),
      method: 'get', path: '/api/projects/:projectId/activity/export', summary: "Download a project's activity feed, filtered like the feed, oldest first, as CSV or NDJSON", tags: ['analytics'], auth: 'user',
      params: projectParams, query: activityExportQuery, responses: { 200: { description: 'The entries, streamed; Resoft-Position says up to which position', contentType: ACTIVITY_EXPORT_MEDIA_TYPES }, ...READ },
      handler: async (ctx) => {
        const { projectId } = ctx.params;
        // The feed has its own checkpoint; the export reflects what the analytics have reached too.
        const upTo = Math.min(await analyticsPosition(deps.readStore), await deps.readStore.getCheckpoint('activity')) || (await analyticsPosition(deps.readStore));
        await streamTable(ctx.res, ctx.query.format, { columns: ACTIVITY_COLUMNS, rows: activityRows(deps, projectId, ctx.query, upTo) }, `activity-${projectId}`, upTo);
        return {};
      },
    }),
  ];
}
