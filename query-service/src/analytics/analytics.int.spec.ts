/**
 * The analytics API against the real all-in-one: a generated history (two projects, every kind of
 * event, across the March daylight-saving change) is appended to the server's event store, and
 * each answer is compared with a direct count over the same events; CSV and NDJSON read back equal
 * the JSON; membership and bad input are refused.
 */
import path from 'node:path';
import type { RecordedEvent } from '@resoft/domain';
import fs from 'node:fs';
import os from 'node:os';
import { SqliteEventStore } from '@resoft/adapter-sqlite';
import { DuckDbColumnarFiles } from '@resoft/adapter-duckdb';
import { areaOf, generateHistory } from '@resoft/projectors';
import { ApiClient, type Session, startTestServer, type TestServer } from '@resoft/testkit';

/** RFC 4180 CSV: quoted cells may hold commas, quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

const localDate = (ms: number, tz: string): string => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
const projectOf = (e: RecordedEvent): string | null => {
  const projectId = (e.data as { projectId?: unknown }).projectId;
  return typeof projectId === 'string' && areaOf(e.type) ? projectId : null;
};
type Tally = Record<string, number>;
const add = (t: Tally, key: string, by = 1): void => {
  t[key] = (t[key] ?? 0) + by;
};

describe('the analytics API', () => {
  let server: TestServer;
  let api: ApiClient;
  let ann: Session;
  let bob: Session;
  let events: RecordedEvent[];
  let projects: string[];
  let head: number;
  const get = (url: string, who: Session = ann) => api.get(url, who.accessToken);

  beforeAll(async () => {
    server = await startTestServer({ RESOFT_SQL_TIMEOUT_MS: '3000', RESOFT_SQL_MAX_ROWS: '500' });
    api = new ApiClient(server.baseUrl);
    ann = await api.signUp('ann');
    bob = await api.signUp('bob');
    const store = new SqliteEventStore({ file: path.join(server.config.dataDir, 'events.sqlite') });
    try {
      for (const { streamId, event } of generateHistory({ seed: 14, projects: 2, events: 600, owner: ann.userId })) await store.append(streamId, [event], 'any');
      events = await store.readAll();
    } finally {
      await store.close();
    }
    head = events[events.length - 1]!.position;
    projects = events.filter((e) => e.type === 'ProjectCreated').map((e) => (e.data as { projectId: string }).projectId);
    const fresh = await api.readWhenFresh(`/api/projects/${projects[0]}/analytics/timeline`, head, ann.accessToken);
    expect(fresh.headers.get('resoft-consistency')).toBe('fresh');
  }, 120_000);
  afterAll(() => server.stop());

  const period = 'since=2026-03-20T00:00:00Z&until=2026-05-01T00:00:00Z';
  const ofProject = (projectId: string) => events.filter((e) => projectOf(e) === projectId);

  it('counts events per local day and type as a direct count does, across the daylight-saving change', async () => {
    const [projectId] = projects as [string];
    const expected: Tally = {};
    for (const e of ofProject(projectId)) add(expected, `${localDate(Date.parse(e.metadata.occurredAt), 'Europe/Berlin')}|${e.type}`);
    const { status, body } = await get(`/api/projects/${projectId}/analytics/timeline?interval=day&tz=Europe/Berlin&groupBy=type&${period}`);
    expect(status).toBe(200);
    const actual: Tally = {};
    for (const row of body.rows) for (const type of body.columns.slice(2)) if (row[type] > 0) actual[`${row.bucket.slice(0, 10)}|${type}`] = row[type];
    expect(actual).toEqual(expected);
    expect(body.position).toBeGreaterThanOrEqual(head);
    // Days start at local midnight: +01:00 before 29 March, +02:00 after.
    expect(body.rows.map((r: { bucket: string }) => r.bucket)).toEqual(expect.arrayContaining(['2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00']));
    expect(body.rows.every((r: Record<string, number>) => r['total'] === body.columns.slice(2).reduce((sum: number, c: string) => sum + r[c]!, 0))).toBe(true);
  });

  it('counts per UTC hour, per week by area, and per person as a direct count does', async () => {
    const [projectId] = projects as [string];
    const hourly: Tally = {};
    const weekly: Tally = {};
    const people: Tally = {};
    for (const e of ofProject(projectId)) {
      const ms = Date.parse(e.metadata.occurredAt);
      add(hourly, `${e.metadata.occurredAt.slice(0, 13)}:00:00Z`);
      const day = new Date(`${localDate(ms, 'UTC')}T00:00:00Z`);
      const monday = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
      add(weekly, `${monday}|${areaOf(e.type)}`);
      add(people, e.metadata.actor ?? 'system');
    }
    const hours = await get(`/api/projects/${projectId}/analytics/timeline?interval=hour&since=2026-03-27T00:00:00Z&until=2026-04-20T00:00:00Z`);
    expect(Object.fromEntries(hours.body.rows.filter((r: { total: number }) => r.total > 0).map((r: { bucket: string; total: number }) => [r.bucket, r.total]))).toEqual(hourly);
    const weeks = await get(`/api/projects/${projectId}/analytics/timeline?interval=week&groupBy=area&${period}`);
    const actualWeeks: Tally = {};
    for (const row of weeks.body.rows) for (const area of weeks.body.columns.slice(2)) if (row[area] > 0) actualWeeks[`${row.bucket.slice(0, 10)}|${area}`] = row[area];
    expect(actualWeeks).toEqual(weekly);
    const byActor = await get(`/api/projects/${projectId}/analytics/timeline?interval=week&groupBy=actor&${period}`);
    const actualPeople: Tally = {};
    for (const row of byActor.body.rows) for (const actor of byActor.body.columns.slice(2)) if (row[actor] > 0) add(actualPeople, actor, row[actor]);
    expect(actualPeople).toEqual(people);
    expect(byActor.body.labels[ann.userId]).toBe('ann');
    const contributors = await get(`/api/projects/${projectId}/analytics/contributors?interval=week&${period}`);
    expect(Object.fromEntries(contributors.body.rows.map((r: { actorId: string; events: number }) => [r.actorId, r.events]))).toEqual(people);
  });

  it('sums file churn per file as the version history of each file does', async () => {
    const [projectId] = projects as [string];
    const { body } = await get(`/api/projects/${projectId}/analytics/files?limit=1000`);
    expect(body.rows.length).toBeGreaterThan(3);
    for (const row of body.rows) {
      const versions = await get(`/api/projects/${projectId}/files/${row.fileId}/versions`);
      const sum = versions.body.versions ?? versions.body.items ?? versions.body;
      const inserted = sum.reduce((n: number, v: { inserted: number }) => n + v.inserted, 0);
      const removed = sum.reduce((n: number, v: { removed: number }) => n + v.removed, 0);
      expect([row.fileId, row.inserted, row.removed, row.changes]).toEqual([row.fileId, inserted, removed, sum.length]);
      expect(row.path).toMatch(/^src\//);
    }
    const churn = body.rows.map((r: { churn: number }) => r.churn);
    expect(churn).toEqual([...churn].sort((a, b) => b - a));
  });

  it('reports agent outcomes, checks, rooms and milestones as the events say', async () => {
    const [projectId] = projects as [string];
    const mine = ofProject(projectId);
    const agents: Tally = {};
    for (const e of mine) {
      const agent = (e.data as { agent?: string }).agent;
      if (e.type === 'AgentActivityStarted') add(agents, `${agent}|activities`);
    }
    const started = new Map(mine.filter((e) => e.type === 'AgentActivityStarted').map((e) => [e.streamId, (e.data as { agent: string }).agent]));
    for (const e of mine) if (e.type === 'AgentActivityFailed') add(agents, `${started.get(e.streamId)}|failed`);
    const agentAnswer = await get(`/api/projects/${projectId}/analytics/agents`);
    const actualAgents: Tally = {};
    for (const r of agentAnswer.body.rows) {
      actualAgents[`${r.agent}|activities`] = r.activities;
      if (r.failed) actualAgents[`${r.agent}|failed`] = r.failed;
      expect(r.failureRate).toBe(r.completed + r.failed ? Math.round((r.failed / (r.completed + r.failed)) * 10_000) / 10_000 : null);
    }
    expect(actualAgents).toEqual(agents);

    const completed = mine.filter((e) => e.type === 'CheckCompleted').map((e) => (e.data as { score: number }).score);
    const quality = await get(`/api/projects/${projectId}/analytics/quality`);
    expect(quality.body.rows.filter((r: { status: string }) => r.status === 'completed').map((r: { score: number }) => r.score)).toEqual(completed);
    const first = quality.body.rows.find((r: { status: string }) => r.status === 'completed');
    expect([first.introduced, first.fixed]).toEqual([first.findings, 0]);
    const rules = await get(`/api/projects/${projectId}/analytics/quality?view=rules`);
    expect(rules.body.rows.reduce((n: number, r: { introduced: number }) => n + r.introduced, 0)).toBe(quality.body.rows.reduce((n: number, r: { introduced: number | null }) => n + (r.introduced ?? 0), 0));

    const messages = mine.filter((e) => e.type === 'ChatMessagePosted').length;
    const rooms = await get(`/api/projects/${projectId}/analytics/rooms?interval=week&${period}`);
    expect(rooms.body.rows.reduce((n: number, r: { messages: number }) => n + r.messages, 0)).toBe(messages);
    expect(rooms.body.rows.every((r: { responses: number; messages: number }) => r.responses < Math.max(1, r.messages))).toBe(true);

    const milestones = await get(`/api/projects/${projectId}/analytics/milestones`);
    const reached = mine.filter((e) => e.type === 'MilestoneReached');
    expect(milestones.body.rows.map((r: { name: string; sinceCreatedMs: number }) => r.name)).toEqual(reached.map((e) => (e.data as { name: string }).name));
    const created = Date.parse(mine[0]!.metadata.occurredAt);
    expect(milestones.body.rows.map((r: { sinceCreatedMs: number }) => r.sinceCreatedMs)).toEqual(reached.map((e) => Date.parse(e.metadata.occurredAt) - created));
  });

  it('adds projects up across the projects you belong to, and refuses one you do not', async () => {
    const both = await get(`/api/analytics/timeline?projects=${projects.join(',')}&interval=day&${period}`);
    expect(both.status).toBe(200);
    const total = both.body.rows.reduce((n: number, r: { total: number }) => n + r.total, 0);
    expect(total).toBe(events.filter((e) => projects.includes(projectOf(e) ?? '')).length);
    for (const projectId of projects) expect(both.body.rows.reduce((n: number, r: Record<string, number>) => n + r[projectId]!, 0)).toBe(ofProject(projectId).length);
    const mine = await get(`/api/analytics/timeline?interval=day&${period}`);
    expect([mine.body.projects, mine.body.rows]).toEqual([projects, both.body.rows]);
    const refused = await get(`/api/analytics/timeline?projects=${projects.join(',')}`, bob);
    expect([refused.status, refused.body.error.code]).toEqual([404, 'project_not_found']);
    expect((await get(`/api/projects/${projects[0]}/analytics/contributors`, bob)).status).toBe(404);
  });

  it('gives every answer as CSV and NDJSON that read back equal to the JSON, with the position', async () => {
    const [projectId] = projects as [string];
    const urls = [
      `/api/projects/${projectId}/analytics/timeline?interval=day&groupBy=area&tz=America/New_York&${period}`,
      `/api/projects/${projectId}/analytics/contributors?${period}`,
      `/api/projects/${projectId}/analytics/contributors?view=periods&interval=week&${period}`,
      `/api/projects/${projectId}/analytics/files?by=person`,
      `/api/projects/${projectId}/analytics/quality`,
      `/api/projects/${projectId}/analytics/quality?view=rules`,
      `/api/projects/${projectId}/analytics/rooms?${period}`,
      `/api/projects/${projectId}/analytics/rooms?view=volume&${period}`,
      `/api/projects/${projectId}/analytics/agents`,
      `/api/projects/${projectId}/analytics/milestones`,
      `/api/analytics/timeline?projects=${projects.join(',')}&${period}`,
    ];
    const withFormat = (url: string, format: string) => `${server.baseUrl}${url}${url.includes('?') ? '&' : '?'}format=${format}`;
    for (const url of urls) {
      const json = await get(url);
      expect([url, json.status]).toEqual([url, 200]);
      expect(json.body.rows.length).toBeGreaterThan(0);
      const csv = await fetch(withFormat(url, 'csv'), { headers: { authorization: `Bearer ${ann.accessToken}` } });
      expect([url, csv.status, csv.headers.get('content-type')]).toEqual([url, 200, expect.stringMatching(/^text\/csv/)]);
      expect(Number(csv.headers.get('resoft-position'))).toBe(json.body.position);
      const [header, ...lines] = parseCsv(await csv.text());
      expect(header).toEqual(json.body.columns);
      expect(lines).toEqual(json.body.rows.map((r: Record<string, unknown>) => json.body.columns.map((c: string) => (r[c] === null ? '' : String(r[c])))));
      const ndjson = await fetch(withFormat(url, 'ndjson'), { headers: { authorization: `Bearer ${ann.accessToken}` } });
      expect((await ndjson.text()).trim().split('\n').map((line) => JSON.parse(line))).toEqual(json.body.rows);
    }
  });

  it('exports the raw event history as NDJSON, CSV and Parquet that read back equal, in log order', async () => {
    const [projectId] = projects as [string];
    const expected = ofProject(projectId);
    const download = async (format: string) => {
      const response = await fetch(`${server.baseUrl}/api/projects/${projectId}/events/export?format=${format}`, { headers: { authorization: `Bearer ${ann.accessToken}` } });
      expect([format, response.status]).toEqual([format, 200]);
      expect(Number(response.headers.get('resoft-position'))).toBeGreaterThanOrEqual(head);
      return response;
    };
    const ndjson = (await (await download('ndjson')).text()).trim().split('\n').map((line) => JSON.parse(line));
    expect(ndjson.map((e) => [e.position, e.type, e.stream_id, e.occurred_at, e.actor_id])).toEqual(expected.map((e) => [e.position, e.type, e.streamId, e.metadata.occurredAt, e.metadata.actor]));
    expect(ndjson.map((e) => e.data)).toEqual(expected.map((e) => e.data));

    const [header, ...lines] = parseCsv(await (await download('csv')).text());
    expect(header).toEqual(['position', 'stream_id', 'revision', 'type', 'occurred_at', 'actor_id', 'correlation_id', 'data']);
    const asCells = (e: Record<string, unknown>) => [String(e['position']), e['stream_id'], String(e['revision']), e['type'], e['occurred_at'], e['actor_id'] ?? '', e['correlation_id'], JSON.stringify(e['data'])];
    expect(lines).toEqual(ndjson.map(asCells));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-parquet-test-'));
    try {
      const file = path.join(dir, 'events.parquet');
      fs.writeFileSync(file, Buffer.from(await (await download('parquet')).arrayBuffer()));
      const parquet = await new DuckDbColumnarFiles().readParquet(file);
      expect(parquet.columns).toEqual(header);
      expect(parquet.rows).toEqual(ndjson.map((e) => [e.position, e.stream_id, e.revision, e.type, e.occurred_at, e.actor_id, e.correlation_id, JSON.stringify(e.data)]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const chat = await fetch(`${server.baseUrl}/api/projects/${projectId}/events/export?type=ChatMessagePosted&since=2026-03-29T00:00:00Z`, { headers: { authorization: `Bearer ${ann.accessToken}` } });
    expect((await chat.text()).trim().split('\n').map((l) => JSON.parse(l).position)).toEqual(expected.filter((e) => e.type === 'ChatMessagePosted' && e.metadata.occurredAt >= '2026-03-29T00:00:00').map((e) => e.position));
    expect((await fetch(`${server.baseUrl}/api/projects/${projectId}/events/export`, { headers: { authorization: `Bearer ${bob.accessToken}` } })).status).toBe(404);
  });

  it('exports the filtered activity feed oldest first, equal to the feed itself', async () => {
    const [projectId] = projects as [string];
    const feed: Record<string, unknown>[] = [];
    for (let before = ''; ; ) {
      const page = await get(`/api/projects/${projectId}/activity?type=ChatMessagePosted&limit=200${before}`);
      feed.push(...page.body.items);
      if (!page.body.nextCursor) break;
      before = `&before=${page.body.nextCursor}`;
    }
    const response = await fetch(`${server.baseUrl}/api/projects/${projectId}/activity/export?type=ChatMessagePosted`, { headers: { authorization: `Bearer ${ann.accessToken}` } });
    const [header, ...lines] = parseCsv(await response.text());
    expect(header).toEqual(['position', 'occurredAt', 'type', 'actorId', 'streamId', 'summary']);
    expect(lines).toEqual(feed.reverse().map((e) => header!.map((c) => String(e[c] ?? ''))));
    expect(lines.length).toBeGreaterThan(10);
  });

  it('answers SQL over the project\'s events and read models, as a direct count does', async () => {
    const [projectId] = projects as [string];
    const sql = (query: string, who: Session = ann, format = '') => api.post(`/api/projects/${projectId}/analytics/sql${format}`, { query }, who.accessToken);
    const expected: Tally = {};
    for (const e of ofProject(projectId)) add(expected, e.type);
    const { status, body } = await sql('SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY type');
    expect(status).toBe(200);
    expect(body.columns).toEqual([{ name: 'type', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }]);
    expect(Object.fromEntries(body.rows.map((r: { type: string; n: number }) => [r.type, r.n]))).toEqual(expected);
    expect([body.truncated, body.position >= head]).toEqual([false, true]);

    const joined = await sql(`WITH churn AS (SELECT actor_id, sum(inserted) AS inserted FROM file_churn GROUP BY actor_id)
      SELECT m.username, c.inserted FROM churn c JOIN members m ON m.user_id = c.actor_id ORDER BY c.inserted DESC`);
    const files = await get(`/api/projects/${projectId}/analytics/files?limit=1000`);
    expect(joined.status).toBe(200);
    expect(joined.body.rows.map((r: { username: string }) => r.username)).toContain('owner0');
    expect(joined.body.rows.reduce((n: number, r: { inserted: number }) => n + r.inserted, 0)).toBe(files.body.rows.reduce((n: number, r: { inserted: number }) => n + r.inserted, 0));
    const capped = await sql('SELECT * FROM events');
    expect([capped.body.rows.length, capped.body.truncated]).toEqual([Math.min(500, ofProject(projectId).length), ofProject(projectId).length > 500]);
    const csv = await fetch(`${server.baseUrl}/api/projects/${projectId}/analytics/sql?format=csv`, { method: 'POST', headers: { authorization: `Bearer ${ann.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY type' }) });
    expect(parseCsv(await csv.text())).toEqual([['type', 'n'], ...body.rows.map((r: { type: string; n: number }) => [r.type, String(r.n)])]);
    // Two queries run at once per process; a third waits for neither and is told to come back.
    // Five-way cartesian product with a sum over every row: no plan shortcut, far beyond the 3 s bound on any machine.
    const slow = 'SELECT sum(a.position + b.position + c.position + d.position + e.position) FROM events a, events b, events c, events d, events e';
    const answers = await Promise.all([sql(slow), sql(slow), sql(slow)]);
    expect(answers.map((a) => a.status).sort()).toEqual([400, 400, 429]);
    expect(answers.find((a) => a.status === 429)!.headers.get('retry-after')).toBe('1');
    expect((await sql('SELECT 1 AS one')).body.rows).toEqual([{ one: 1 }]);
    const refusedCsv = await fetch(`${server.baseUrl}/api/projects/${projectId}/analytics/sql?format=csv`, { method: 'POST', headers: { authorization: `Bearer ${ann.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: "SELECT CAST(type AS INTEGER) FROM events" }) });
    expect([refusedCsv.status, refusedCsv.headers.get('content-disposition'), ((await refusedCsv.json()) as { error: { code: string } }).error.code]).toEqual([400, null, 'invalid_sql']);
  });

  it('shows no row of another project in any table', async () => {
    const [projectId, other] = projects as [string, string];
    const tables = ['events', 'activity', 'members', 'files', 'file_churn', 'checks', 'findings', 'agent_activities', 'rooms', 'milestones'];
    for (const table of tables) {
      const { status, body } = await api.post(`/api/projects/${projectId}/analytics/sql`, { query: `WITH r AS (SELECT * FROM ${table}) SELECT count(*) AS n, count(*) FILTER (WHERE CAST(r AS VARCHAR) LIKE '%${other}%') AS leaked FROM r` }, ann.accessToken);
      expect([table, status, body.rows[0].leaked]).toEqual([table, 200, 0]);
      if (['events', 'activity', 'members', 'files'].includes(table)) expect([table, body.rows[0].n > 0]).toEqual([table, true]);
    }
    const ids = await api.post(`/api/projects/${projectId}/analytics/sql`, { query: "SELECT DISTINCT json_extract_string(data, '$.projectId') AS project FROM events" }, ann.accessToken);
    expect(ids.body.rows).toEqual([{ project: projectId }]);
    expect((await api.post(`/api/projects/${projectId}/analytics/sql`, { query: 'SELECT 1' }, bob.accessToken)).status).toBe(404);
  });

  it.each([
    ["COPY events TO '/tmp/leak.csv'", 'forbidden_sql'],
    ["ATTACH '/tmp/other.db' AS other", 'forbidden_sql'],
    ["SELECT * FROM read_csv('/etc/passwd')", 'forbidden_sql'],
    ['INSTALL httpfs', 'forbidden_sql'],
    ['LOAD httpfs', 'forbidden_sql'],
    ['PRAGMA database_list', 'forbidden_sql'],
    ["SET memory_limit = '8GB'", 'forbidden_sql'],
    ['SELECT 1; DROP TABLE events', 'forbidden_sql'],
    ['SELECT FROM WHERE', 'invalid_sql'],
    ['a query of 12,000 characters', 'query_too_long'],
    ['SELECT count(*) FROM events a, events b, events c, events d, events e', 'query_timeout'],
  ])('refuses %s with 400 %s', async (text, code) => {
    const query = text.startsWith('a query of') ? `SELECT ${'1 + '.repeat(3000)}1` : text;
    const { status, body } = await api.post(`/api/projects/${projects[0]}/analytics/sql`, { query }, ann.accessToken);
    expect([status, body.error.code]).toEqual([400, code]);
    expect(body.error.message.length).toBeGreaterThan(10);
  });

  it('runs every saved example query of docs/analytics.md', async () => {
    const doc = fs.readFileSync(path.resolve('docs/analytics.md'), 'utf8');
    const queries = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(queries.length).toBeGreaterThanOrEqual(5);
    for (const query of queries) {
      const { status, body } = await api.post(`/api/projects/${projects[0]}/analytics/sql`, { query }, ann.accessToken);
      expect([query.slice(0, 60), status, body.error]).toEqual([query.slice(0, 60), 200, undefined]);
      expect(body.rows.length).toBeGreaterThan(0);
    }
  });

  it('declares every analytics route in the OpenAPI document with its parameters and body', async () => {
    const { body } = await api.get('/api/openapi.json');
    const params = (path: string, method = 'get') => Object.fromEntries((body.paths[path][method].parameters as { name: string; in: string; schema: { enum?: string[] } }[]).map((p) => [p.name, p.schema.enum ?? p.in]));
    expect(params('/api/projects/{projectId}/analytics/timeline')).toEqual({
      projectId: 'path', after: 'query', since: 'query', until: 'query', tz: 'query', format: ['json', 'csv', 'ndjson'], interval: ['hour', 'day', 'week'], groupBy: ['type', 'area', 'actor'], people: 'query',
    });
    expect(params('/api/analytics/timeline')['groupBy']).toEqual(['project', 'type', 'area', 'actor']);
    expect(params('/api/projects/{projectId}/events/export')['format']).toEqual(['csv', 'ndjson', 'parquet']);
    for (const path of ['contributors', 'files', 'quality', 'rooms', 'agents', 'milestones']) expect(body.paths[`/api/projects/{projectId}/analytics/${path}`].get.security).toEqual([{ bearerAuth: [] }]);
    const sql = body.paths['/api/projects/{projectId}/analytics/sql'].post;
    expect(sql.requestBody.content['application/json'].schema).toEqual(expect.objectContaining({ required: ['query'], additionalProperties: false }));
    expect(Object.keys(sql.responses).sort()).toEqual(['200', '400', '401', '404', '413', '415', '429']);
  });

  it('narrows the timeline to the named people (by area and by person) as a direct count does, and refuses people with groupBy=type', async () => {
    const [projectId] = projects as [string];
    const chosen = ['system', ann.userId];
    const expected: Tally = {};
    for (const e of ofProject(projectId)) if (chosen.includes(e.metadata.actor ?? 'system')) add(expected, `${e.metadata.occurredAt.slice(0, 10)}|${areaOf(e.type)}`);
    const byArea = await get(`/api/projects/${projectId}/analytics/timeline?interval=day&groupBy=area&people=${chosen.join(',')}&${period}`);
    expect(byArea.body.people).toEqual(chosen);
    const actual: Tally = {};
    for (const row of byArea.body.rows) for (const area of byArea.body.columns.slice(2)) if (row[area] > 0) actual[`${row.bucket.slice(0, 10)}|${area}`] = row[area];
    expect(actual).toEqual(Object.fromEntries(Object.entries(expected).filter(([key]) => key >= '2026-03-20' && key < '2026-05-01')));
    const byActor = await get(`/api/projects/${projectId}/analytics/timeline?interval=week&groupBy=actor&people=${ann.userId}&${period}`);
    expect(byActor.body.columns).toEqual(['bucket', 'total', ann.userId]);
    const refused = await Promise.all([get(`/api/projects/${projectId}/analytics/timeline?groupBy=type&people=${ann.userId}`), get(`/api/projects/${projectId}/analytics/timeline?people=a;b`)]);
    expect(refused.map((a) => `${a.status} ${a.body.error.code}`)).toEqual(['400 unsupported_filter', '400 validation_failed']);
  });

  it('refuses an unknown zone, a reversed period and a period of too many buckets with a clear 400', async () => {
    const base = `/api/projects/${projects[0]}/analytics/timeline`;
    const answers = await Promise.all([
      get(`${base}?tz=Mars/Olympus`), get(`${base}?since=2026-04-02T00:00:00Z&until=2026-04-01T00:00:00Z`), get(`${base}?interval=hour&since=2020-01-01T00:00:00Z&until=2026-01-01T00:00:00Z`),
      get(`${base}?groupBy=colour`), get(`/api/analytics/timeline?projects=a,,b`),
    ]);
    expect(answers.map((a) => `${a.status} ${a.body.error.code}`)).toEqual(['400 validation_failed', '400 invalid_period', '400 too_many_buckets', '400 validation_failed', '400 validation_failed']);
    expect(answers[2]!.body.error.message).toMatch(/more than 2000 hour buckets/);
  });
});
