/**
 * `POST /api/projects/:projectId/analytics/sql`: one read-only SQL query over the project's events
 * and read models, run in a fresh sandboxed database (see `SqlSandbox`) within the configured time,
 * memory and row bounds. Any member may ask: members already read every event of their project
 * (activity feed, audit view), and nothing of another project is loaded. Refusals are 400s that
 * say why, and nothing runs.
 */
import { SqlAnswer, TABULAR_MEDIA_TYPES } from '@resoft/contracts';
import { SqlLimitError, SqlRefusedError, type CellValue, type SqlResult } from '@resoft/ports';
import { defineRoute, HttpError, type RouteSpec } from '@resoft/http-kit';
import { z } from 'zod';
import { readYourWrites } from '../consistency/read-your-writes.js';
import { readGuards } from '../auth/read-guards.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { consistentQuery, projectParams } from '../query-schemas.js';
import { analyticsPosition } from './analytics-position.js';
import { formatSchema } from './analytics-schemas.js';
import { tablesFor } from './sql-tables.js';
import { answer, type Row } from './tabular-output.js';

export const sqlBody = z.strictObject({ query: z.string().min(1, 'write a query').max(100_000).describe('One SELECT (or WITH … SELECT) over the tables in docs/analytics.md') });
const sqlQuery = consistentQuery.extend({ format: formatSchema });

/** Queries one process runs at once: each has its own database and memory limit, so this bounds their sum. */
export const MAX_CONCURRENT_SQL = 2;
let running = 0;

/** Runs `sql` over the project's tables as of `upTo`; refusals and exceeded bounds become 400s, a full process 429. */
export async function runProjectSql(deps: QueryServiceDeps, projectId: string, upTo: number, sql: string): Promise<SqlResult> {
  if (running >= MAX_CONCURRENT_SQL) throw new HttpError(429, 'sql_busy', `${MAX_CONCURRENT_SQL} queries are running on this server; try again in a moment`, undefined, { 'Retry-After': '1' });
  running += 1;
  let release = (): void => {
    running -= 1;
    release = () => undefined;
  };
  try {
    const result = await deps.sqlSandbox.query(tablesFor(deps, projectId, upTo, sql), sql, deps.sqlLimits);
    // The slot is free once the rows are read to the end, or the result closed, whichever comes first.
    async function* rows(): AsyncIterable<readonly CellValue[]> {
      try {
        yield* result.rows;
      } finally {
        release();
      }
    }
    return { columns: result.columns, rows: rows(), truncated: result.truncated, close: () => { result.close(); release(); } };
  } catch (error) {
    release();
    if (error instanceof SqlRefusedError || error instanceof SqlLimitError) throw new HttpError(400, error.code, error.message);
    throw error;
  }
}

async function* asRows(result: SqlResult): AsyncIterable<Row> {
  const names = result.columns.map((c) => c.name);
  try {
    for await (const cells of result.rows) yield Object.fromEntries(names.map((n, i) => [n, cells[i] ?? null]));
  } catch (error) {
    if (error instanceof SqlRefusedError || error instanceof SqlLimitError) throw new HttpError(400, error.code, error.message);
    throw error;
  } finally {
    result.close();
  }
}

export function sqlQueries(deps: QueryServiceDeps): RouteSpec[] {
  const afterWrites = readYourWrites(deps);
  const { projectMember } = readGuards(deps);
  return [
    defineRoute({
      consistency: afterWrites, guard: projectMember('projectId'),
      method: 'post', path: '/api/projects/:projectId/analytics/sql', summary: "Run one read-only SQL query over the project's events and read models (DuckDB dialect, sandboxed, bounded)", tags: ['analytics'], auth: 'user',
      params: projectParams, query: sqlQuery, body: sqlBody,
      responses: {
        200: { description: 'Columns (name and type) and rows, cut at the row cap (`truncated`); or the rows as CSV or NDJSON', body: SqlAnswer, contentType: TABULAR_MEDIA_TYPES },
        400: 'Invalid body, SQL that does not parse, a statement other than SELECT, file or database access, a query that is too long, or one that exceeded the time or memory bound',
        401: 'Not signed in', 404: 'Project not found (or you are not a member)', 429: 'Too many queries running on this server at once',
      },
      handler: async (ctx) => {
        const { projectId } = ctx.params;
        const position = await analyticsPosition(deps.readStore);
        const result = await runProjectSql(deps, projectId, position, ctx.body.query);
        const columns = result.columns.map((c) => c.name);
        if (ctx.query.format !== 'json') return answer(ctx.res, ctx.query.format, 'query', position, {}, { columns, rows: asRows(result) });
        const rows: Row[] = [];
        for await (const row of asRows(result)) rows.push(row);
        return { body: { position, columns: result.columns, rows, truncated: result.truncated(), maxRows: deps.sqlLimits.maxRows }, headers: { 'Resoft-Position': String(position) } };
      },
    }),
  ];
}
