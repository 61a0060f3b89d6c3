import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '../testing/api-client.js';
import { spawnCli } from '../testing/run-cli.js';

/** Starts `resoft serve <service>` and resolves with its port once it logs that it listens. */
function serve(service: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawnCli(['serve', service], env);
  let log = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const match = /"port":(\d+)[^\n]*service is listening/.exec(log);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.once('exit', (code) => reject(new Error(`${service} exited with ${code}: ${log}`)));
  });
}

/** Writes go to a command process, reads to a query process, as a proxy would route them. */
class RoutedClient extends ApiClient {
  constructor(private readonly writes: ApiClient, private readonly reads: ApiClient) {
    super(writes.baseUrl);
  }

  override request<T = any>(method: string, urlPath: string, options: Parameters<ApiClient['request']>[2] = {}) {
    return (method === 'GET' ? this.reads : this.writes).request<T>(method, urlPath, options);
  }
}

describe('one service per process on shared embedded stores', () => {
  const children: ChildProcess[] = [];
  let dataDir: string;
  let commandA: ApiClient;
  let commandB: ApiClient;
  let query: ApiClient;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-services-'));
    const env = { PORT: '0', HOST: '127.0.0.1', RESOFT_DATA_DIR: dataDir, RESOFT_SCRYPT_COST: '1024', RESOFT_AUTH_RATE_LIMIT: '10000', RESOFT_EVENT_POLL_MS: '20' };
    // The first process creates the signing key; the others read it.
    const a = await serve('command', env);
    const started = await Promise.all([serve('command', env), serve('query', env), serve('projectors', env)]);
    children.push(a.child, ...started.map((s) => s.child));
    commandA = new ApiClient(`http://127.0.0.1:${a.port}`);
    commandB = new ApiClient(`http://127.0.0.1:${started[0].port}`);
    query = new ApiClient(`http://127.0.0.1:${started[1].port}`);
    expect((await new ApiClient(`http://127.0.0.1:${started[2].port}`).get('/readyz')).status).toBe(200);
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => new Promise((resolve) => {
      c.once('exit', resolve);
      c.kill('SIGTERM');
    })));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves a write on a command process and the read of it, with ?after=, on the query process', async () => {
    const api = new RoutedClient(commandA, query);
    const ann = await api.signUp('ann');
    const created = await api.post('/api/projects', { name: 'Split' }, ann.accessToken);
    expect(created.status).toBe(201);
    const projects = await api.get(`/api/projects?after=${created.body.position}`, ann.accessToken);
    expect(projects.headers.get('resoft-consistency')).toBe('fresh');
    expect(projects.body.items.map((p: { name: string }) => p.name)).toEqual(['Split']);
  });

  it('gives the same result with two command processes writing to one room at once as with one', async () => {
    const bob = await new RoutedClient(commandA, query).signUp('bob');
    const projectId = (await commandA.post('/api/projects', { name: 'Busy' }, bob.accessToken)).body.id;
    const roomId = (await commandB.post('/api/collaboration/rooms', { projectId, name: 'Both' }, bob.accessToken)).body.id;
    expect((await commandA.post(`/api/collaboration/rooms/${roomId}/join`, {}, bob.accessToken)).status).toBe(200);
    const posts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? commandA : commandB).post('/api/collaboration/chat', { roomId, text: `message ${i}` }, bob.accessToken)),
    );
    expect(posts.map((p) => p.status)).toEqual(Array(30).fill(201));
    const last = Math.max(...posts.map((p) => p.body.position as number));
    const history = await query.get(`/api/collaboration/chat/${roomId}/history?limit=100&after=${last}`, bob.accessToken);
    expect(history.body.messages.map((m: { text: string }) => m.text).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `message ${i}`).sort());
    const audit = await query.get(`/api/audit/verify?projectId=${projectId}`, bob.accessToken);
    expect(audit.body).toMatchObject({ ok: true, events: 33 });
  });
});
