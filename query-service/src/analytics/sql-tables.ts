/**
 * The tables an analyst's SQL sees: the project's raw events and its read models, nothing of any
 * other project (every row is read by this project's id). Only the tables a query names are
 * loaded, since each query gets a fresh database. docs/analytics.md lists them.
 */
import type { CellValue, RowChunks, TableColumn, TableData } from '@resoft/ports';
import {
  AnalyticsReadModels, ReadModels,
  type ActivityView, type AnalyticsBucketView, type AnalyticsStreamView, type ProjectFileView, type ProjectMemberView,
} from '@resoft/projectors';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { EVENT_COLUMNS } from './event-columns.js';
import { MAX_EVENTS, cachedProjectHistory } from './project-history-cache.js';
import { projectHistoryToLoad } from './project-history.js';

const col = (name: string, type: TableColumn['type']): TableColumn => ({ name, type });

interface TableSource {
  readonly columns: readonly TableColumn[];
  /** Cells in `columns` order; a source may leave a column it was told is not wanted as null. */
  rows(deps: QueryServiceDeps, projectId: string, upTo: number, wanted: ReadonlySet<string>): AsyncIterable<readonly CellValue[]> | RowChunks;
}

async function* streamsOf(deps: QueryServiceDeps, projectId: string, kind: AnalyticsStreamView['kind']): AsyncIterable<AnalyticsStreamView> {
  yield* await deps.readStore.find<AnalyticsStreamView>(AnalyticsReadModels.streams, { where: { projectId, kind } });
}

const idOf = (streamId: string): string => streamId.slice(streamId.indexOf('-') + 1);

export const SQL_TABLES: Readonly<Record<string, TableSource>> = {
  events: {
    columns: EVENT_COLUMNS,
    rows(deps, projectId, upTo, wanted) {
      // `data` (whole Automerge changes) is most of a row's cost and memory: the history kept between
      // queries leaves it out, and a query that names it reads the history again (whole, in batches of
      // streams, up to the size the cache keeps; page by page beyond).
      if (wanted.has('data')) return { chunks: projectHistoryToLoad(deps, projectId, { upTo }, MAX_EVENTS) };
      return { chunks: (async function* () {
        yield await cachedProjectHistory(deps, projectId, upTo);
      })() };
    },
  },
  activity: {
    columns: [col('position', 'BIGINT'), col('occurred_at', 'TIMESTAMPTZ'), col('type', 'VARCHAR'), col('actor_id', 'VARCHAR'), col('stream_id', 'VARCHAR'), col('summary', 'VARCHAR')],
    async *rows(deps, projectId, upTo) {
      for (const a of await deps.readStore.find<ActivityView>(ReadModels.activity, { where: { projectId, position: { $lte: upTo } }, orderBy: [{ field: 'position', direction: 'asc' }] })) {
        yield [a.position, a.occurredAt, a.type, a.actorId, a.streamId, a.summary];
      }
    },
  },
  members: {
    columns: [col('user_id', 'VARCHAR'), col('username', 'VARCHAR'), col('role', 'VARCHAR'), col('added_at', 'TIMESTAMPTZ')],
    async *rows(deps, projectId) {
      for (const m of await deps.readStore.find<ProjectMemberView>(ReadModels.projectMembers, { where: { projectId } })) yield [m.userId, m.username, m.role, m.addedAt];
    },
  },
  files: {
    columns: [col('file_id', 'VARCHAR'), col('path', 'VARCHAR'), col('deleted', 'BOOLEAN'), col('version', 'BIGINT'), col('size', 'BIGINT'), col('created_by', 'VARCHAR'), col('created_at', 'TIMESTAMPTZ'), col('updated_by', 'VARCHAR'), col('updated_at', 'TIMESTAMPTZ')],
    async *rows(deps, projectId) {
      for (const f of await deps.readStore.find<ProjectFileView>(ReadModels.projectFiles, { where: { projectId } })) {
        yield [f.id, f.path, f.deleted, f.version, f.size, f.createdBy, f.createdAt, f.updatedBy, f.updatedAt];
      }
    },
  },
  file_churn: {
    columns: [col('hour', 'TIMESTAMPTZ'), col('file_id', 'VARCHAR'), col('actor_id', 'VARCHAR'), col('inserted', 'BIGINT'), col('removed', 'BIGINT'), col('changes', 'BIGINT')],
    async *rows(deps, projectId) {
      for (const b of await deps.readStore.find<AnalyticsBucketView>(AnalyticsReadModels.buckets, { where: { projectId } })) {
        // Only file streams' buckets have churn (absent from the others since the lean format).
        if (b.churn) for (const [fileId, byActor] of Object.entries(b.churn)) for (const [actor, c] of Object.entries(byActor)) yield [b.hour, fileId, actor, c.inserted, c.removed, c.changes];
      }
    },
  },
  checks: {
    columns: [col('check_id', 'VARCHAR'), col('requested_by', 'VARCHAR'), col('requested_at', 'TIMESTAMPTZ'), col('status', 'VARCHAR'), col('completed_at', 'TIMESTAMPTZ'), col('score', 'DOUBLE'), col('grade', 'VARCHAR')],
    async *rows(deps, projectId) {
      for await (const s of streamsOf(deps, projectId, 'check')) if (s.check) yield [idOf(s.id), s.check.requestedBy, s.check.requestedAt, s.check.status, s.check.completedAt, s.check.score, s.check.grade];
    },
  },
  findings: {
    columns: [col('check_id', 'VARCHAR'), col('linter', 'VARCHAR'), col('rule_id', 'VARCHAR'), col('fingerprint', 'VARCHAR')],
    async *rows(deps, projectId) {
      for await (const s of streamsOf(deps, projectId, 'check')) for (const f of s.check?.findings ?? []) yield [idOf(s.id), f.linter, f.ruleId, f.fingerprint];
    },
  },
  agent_activities: {
    columns: [col('activity_id', 'VARCHAR'), col('agent', 'VARCHAR'), col('title', 'VARCHAR'), col('status', 'VARCHAR'), col('started_by', 'VARCHAR'), col('started_at', 'TIMESTAMPTZ'), col('ended_at', 'TIMESTAMPTZ'), col('duration_ms', 'BIGINT')],
    async *rows(deps, projectId) {
      for await (const s of streamsOf(deps, projectId, 'agent')) if (s.agent) yield [idOf(s.id), s.agent.agent, s.agent.title, s.agent.status, s.agent.startedBy, s.agent.startedAt, s.agent.endedAt, s.agent.durationMs];
    },
  },
  rooms: {
    columns: [col('room_id', 'VARCHAR'), col('name', 'VARCHAR'), col('messages', 'BIGINT'), col('first_responses', 'BIGINT'), col('first_response_total_ms', 'BIGINT')],
    async *rows(deps, projectId) {
      for await (const s of streamsOf(deps, projectId, 'room')) if (s.room) yield [idOf(s.id), s.room.name, s.room.messages, s.room.responses, s.room.responseTotalMs];
    },
  },
  milestones: {
    columns: [col('milestone_id', 'VARCHAR'), col('name', 'VARCHAR'), col('reached_at', 'TIMESTAMPTZ'), col('reached_by', 'VARCHAR'), col('since_created_ms', 'BIGINT'), col('since_previous_ms', 'BIGINT')],
    async *rows(deps, projectId) {
      const project = await deps.readStore.get<AnalyticsStreamView>(AnalyticsReadModels.streams, `project-${projectId}`);
      for (const m of project?.project?.milestones ?? []) yield [m.milestoneId, m.name, m.reachedAt, m.reachedBy, m.sinceCreatedMs, m.sincePreviousMs];
    },
  },
};

/** Forms that use columns without naming them: `SELECT *`, `t.*`, `EXCLUDE`/`REPLACE`, `COLUMNS(…)`, `NATURAL` joins. */
const ALL_COLUMNS = /(\bselect\s+(distinct\s+)?|,\s*)\*|\.\*|\bexclude\b|\breplace\b|\bcolumns\s*\(|\bnatural\b/i;

const pickFrom = (indexes: readonly number[]) => (row: readonly CellValue[]): CellValue[] => indexes.map((i) => row[i] ?? null);

/** The rows with only the cells at `indexes`, in the shape they came in. */
function pick(rows: AsyncIterable<readonly CellValue[]> | RowChunks, indexes: readonly number[]): AsyncIterable<readonly CellValue[]> | RowChunks {
  const cells = pickFrom(indexes);
  if ('chunks' in rows) {
    const { chunks } = rows;
    return { chunks: (async function* () {
      for await (const chunk of chunks) yield chunk.map(cells);
    })() };
  }
  return (async function* () {
    for await (const row of rows) yield cells(row);
  })();
}

/**
 * The tables a query names (a word equal to a table's name), loaded for this project only, with
 * the columns it names (all of them for `*` and the like; the first alone when it names none, so
 * `count(*)` still counts rows). A column left out cannot be named, so leaving it out changes no answer.
 */
export function tablesFor(deps: QueryServiceDeps, projectId: string, upTo: number, sql: string): TableData[] {
  const words = new Set(sql.toLowerCase().match(/[a-z_]+/g) ?? []);
  const all = ALL_COLUMNS.test(sql);
  return Object.entries(SQL_TABLES)
    .filter(([name]) => words.has(name))
    .map(([name, source]) => {
      const named = source.columns.map((c, i) => [c, i] as const).filter(([c]) => all || words.has(c.name));
      const kept = named.length > 0 ? named : [[source.columns[0]!, 0] as const];
      const wanted = new Set(kept.map(([c]) => c.name));
      const rows = source.rows(deps, projectId, upTo, wanted);
      return { name, columns: kept.map(([c]) => c), rows: kept.length === source.columns.length ? rows : pick(rows, kept.map(([, i]) => i)) };
    });
}
