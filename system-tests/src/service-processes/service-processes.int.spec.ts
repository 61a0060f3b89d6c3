import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RoutedClient, serve, stopAll, type ServiceProcess } from '@resoft/testkit/processes';

describe('one service per process on shared embedded stores', () => {
  const processes: ServiceProcess[] = [];
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-services-'));
    const env = { PORT: '0', HOST: '127.0.0.1', RESOFT_DATA_DIR: dataDir, RESOFT_SCRYPT_COST: '1024', RESOFT_AUTH_RATE_LIMIT: '10000', RESOFT_EVENT_POLL_MS: '20' };
    // The first process creates the signing key; the others read it.
    processes.push(await serve('command', env));
    processes.push(...(await Promise.all([serve('command', env), serve('query', env), serve('projectors', env)])));
    expect((await processes[3]!.client.get('/readyz')).status).toBe(200);
  });

  afterAll(async () => {
    await stopAll(processes);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves a write on a command process and the read of it, with ?after=, on the query process', async () => {
    const api = new RoutedClient(processes[0]!.client, processes[2]!.client);
    const ann = await api.signUp('ann');
    const created = await api.post('/api/projects', { name: 'Split' }, ann.accessToken);
    expect(created.status).toBe(201);
    const projects = await api.get(`/api/projects?after=${created.body.position}`, ann.accessToken);
    expect(projects.headers.get('resoft-consistency')).toBe('fresh');
    expect(projects.body.items.map((p: { name: string }) => p.name)).toEqual(['Split']);
  });

  it('gives the same result with two command processes writing to one room at once as with one', async () => {
    const [commandA, commandB, query] = [processes[0]!.client, processes[1]!.client, processes[2]!.client];
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

  it('answers 60 concurrent ?after= reads of a fresh write all fresh, through the one watcher of the query process', async () => {
    const [command, query] = [processes[0]!.client, processes[2]!.client];
    const cara = await new RoutedClient(command, query).signUp('cara');
    const created = await command.post('/api/projects', { name: 'Crowded' }, cara.accessToken);
    const started = Date.now();
    const reads = await Promise.all(Array.from({ length: 60 }, () => query.get(`/api/projects?after=${created.body.position}`, cara.accessToken)));
    expect(reads.map((read) => read.headers.get('resoft-consistency'))).toEqual(Array(60).fill('fresh'));
    expect(reads.every((read) => read.body.items.some((p: { name: string }) => p.name === 'Crowded'))).toBe(true);
    // Well inside RESOFT_READ_WAIT_MS (2 s) even on a loaded machine; the issue saw 3.9 s medians with six readers.
    expect(Date.now() - started).toBeLessThan(2_000 + 3_000);
  });
});
