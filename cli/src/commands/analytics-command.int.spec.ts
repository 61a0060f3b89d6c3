/**
 * `resoft analytics export` and `resoft analytics sql` over a data directory a server filled: the
 * files read back equal the events of the project, in log order, and the query answers as the
 * events say; bad arguments get clear errors.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { RecordedEvent } from '@resoft/domain';
import { SqliteEventStore } from '@resoft/adapter-sqlite';
import { DuckDbColumnarFiles } from '@resoft/adapter-duckdb';
import { areaOf, generateHistory } from '@resoft/projectors';
import { ApiClient, startTestServer } from '@resoft/testkit';
import { analyticsExportCommand, analyticsSqlCommand } from './analytics-command.js';

const sink = () => {
  let text = '';
  return { stream: new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } }), text: () => text };
};
const quiet = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;

describe('resoft analytics', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let events: RecordedEvent[];
  let projectId: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-analytics-cli-'));
    const server = await startTestServer({}, dir);
    const api = new ApiClient(server.baseUrl);
    const ann = await api.signUp('ann');
    const store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    for (const { streamId, event } of generateHistory({ seed: 5, projects: 2, events: 300, owner: ann.userId })) await store.append(streamId, [event], 'any');
    const all = await store.readAll();
    await store.close();
    projectId = (all.find((e) => e.type === 'ProjectCreated')!.data as { projectId: string }).projectId;
    events = all.filter((e) => (e.data as { projectId?: unknown }).projectId === projectId && areaOf(e.type));
    const fresh = await api.readWhenFresh(`/api/projects/${projectId}`, all[all.length - 1]!.position, ann.accessToken);
    expect(fresh.headers.get('resoft-consistency')).toBe('fresh');
    await server.stop({ keepData: true });
    env = { RESOFT_DATA_DIR: dir, LOG_LEVEL: 'silent' };
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exports the project history to Parquet, CSV and NDJSON that read back equal to the events', async () => {
    const out = sink();
    const parquet = path.join(dir, 'history.parquet');
    expect(await analyticsExportCommand({ project: projectId, format: 'parquet', out: parquet }, env, out.stream, quiet)).toBe(events.length);
    expect(out.text()).toMatch(new RegExp(`exported ${events.length} events`));
    const back = await new DuckDbColumnarFiles().readParquet(parquet);
    expect(back.rows.map((r) => [r[0], r[1], r[3], r[4], JSON.parse(String(r[7]))])).toEqual(events.map((e) => [e.position, e.streamId, e.type, e.metadata.occurredAt, e.data]));

    const ndjson = path.join(dir, 'history.ndjson');
    await analyticsExportCommand({ project: projectId, format: 'ndjson', out: ndjson }, env, sink().stream, quiet);
    const lines = fs.readFileSync(ndjson, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.position, l.type, l.data])).toEqual(events.map((e) => [e.position, e.type, e.data]));

    const csv = path.join(dir, 'history.csv');
    await analyticsExportCommand({ project: projectId, format: 'csv', out: csv }, env, sink().stream, quiet);
    const text = fs.readFileSync(csv, 'utf8');
    expect(text.split('\r\n')[0]).toBe('position,stream_id,revision,type,occurred_at,actor_id,correlation_id,data');
    expect(text.trim().split('\r\n').length).toBe(events.length + 1);
  }, 60_000);

  it('runs one query with the server\'s sandbox and prints it as a table, CSV or JSON', async () => {
    const out = sink();
    await analyticsSqlCommand('SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY n DESC, type', { project: projectId, format: 'json' }, env, out.stream);
    const answer = JSON.parse(out.text());
    const expected: Record<string, number> = {};
    for (const e of events) expected[e.type] = (expected[e.type] ?? 0) + 1;
    expect(Object.fromEntries(answer.rows.map((r: { type: string; n: number }) => [r.type, r.n]))).toEqual(expected);
    const table = sink();
    await analyticsSqlCommand('SELECT count(*) AS n FROM events', { project: projectId, format: 'table' }, env, table.stream);
    expect(table.text()).toBe(`n\n---\n${events.length}\n`);
    await expect(analyticsSqlCommand("COPY events TO '/tmp/x.csv'", { project: projectId, format: 'table' }, env, sink().stream)).rejects.toThrow(/Only SELECT/);
  });

  it('refuses an unknown project or format with a clear message', async () => {
    await expect(analyticsExportCommand({ project: 'nope', format: 'csv', out: path.join(dir, 'x') }, env, sink().stream, quiet)).rejects.toThrow(/must be a project id/);
    await expect(analyticsExportCommand({ project: '01a22454-0000-7000-8000-000000000000', format: 'csv', out: path.join(dir, 'x') }, env, sink().stream, quiet)).rejects.toThrow(/No project/);
    await expect(analyticsExportCommand({ project: projectId, format: 'xlsx' as never, out: path.join(dir, 'x') }, env, sink().stream, quiet)).rejects.toThrow(/--format/);
  });
});
