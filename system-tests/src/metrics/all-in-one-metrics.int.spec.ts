import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '@resoft/testkit';
import { followServerLog, spawnCli } from '@resoft/testkit/processes';

/** The value of the sample of `name` whose labels include every one of `labels`, or undefined. */
function sample(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of exposition.split('\n')) {
    const match = /^([\w:]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const own = new Map([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k!, v!]));
    if (Object.entries(labels).every(([k, v]) => own.get(k) === v)) return Number(match[3]);
  }
  return undefined;
}

describe('the all-in-one\'s /metrics', () => {
  let child: ChildProcess;
  let dataDir: string;
  let api: ApiClient;
  let metricsUrl: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-all-in-one-metrics-'));
    child = spawnCli(['start'], { PORT: '0', HOST: '127.0.0.1', RESOFT_METRICS_PORT: '0', RESOFT_DATA_DIR: dataDir, RESOFT_SCRYPT_COST: '1024', RESOFT_AUTH_RATE_LIMIT: '10000' });
    const server = followServerLog(child);
    api = new ApiClient(`http://127.0.0.1:${await server.port}`);
    metricsUrl = `http://127.0.0.1:${/"metricsPort":(\d+)/.exec(server.log())![1]}/metrics`;
  }, 60_000);

  afterAll(async () => {
    if (child.exitCode === null) await new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts requests by route template and status, read-your-writes waits, appends and projection lag, on a listener apart from the API', async () => {
    const gil = await api.signUp('metrics_gil');
    const created = await api.post('/api/projects', { name: 'Counted' }, gil.accessToken);
    expect(created.status).toBe(201);
    expect((await api.get(`/api/projects/${created.body.id}?after=${created.body.position}`, gil.accessToken)).status).toBe(200);
    expect((await api.get('/api/projects/not-a-project', gil.accessToken)).status).toBe(400);

    const text = await (await fetch(metricsUrl)).text();
    const route = { service: 'all-in-one', http_request_method: 'POST', http_route: '/api/projects', http_response_status_code: '201' };
    expect(sample(text, 'http_server_request_duration_seconds_count', route)).toBe(1);
    expect(sample(text, 'http_server_request_duration_seconds_count', { http_request_method: 'GET', http_route: '/api/projects/:projectId', http_response_status_code: '200' })).toBe(1);
    expect(sample(text, 'http_server_request_duration_seconds_count', { http_route: '/api/projects/:projectId', http_response_status_code: '400' })).toBe(1);
    expect(sample(text, 'resoft_read_your_writes_wait_seconds_count', { outcome: 'fresh' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'resoft_event_store_append_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'resoft_projection_lag_events', { projection: 'projects' })).toEqual(expect.any(Number));
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toEqual(expect.any(Number));

    // The API neither serves nor documents it (the UI site may answer its own "page" there, never the exposition).
    const onApi = await api.get('/metrics');
    expect(String(onApi.body)).not.toContain('http_server_request_duration_seconds');
    expect(onApi.headers.get('content-type') ?? '').not.toMatch(/^text\/plain/);
    expect(Object.keys((await api.get('/api/openapi.json')).body.paths)).not.toContain('/metrics');
  });
});
