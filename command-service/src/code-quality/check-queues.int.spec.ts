/**
 * Bounded queues and the source store, over HTTP on the command service's real routes, event store
 * and source store (SQLite). The runner is not started until a test wants checks to finish, so
 * what is open stays open and the counts are exact: a person, and a project, get 429 with
 * Retry-After beyond their limit; nothing is appended or stored for a refused request; concurrent
 * requests never overshoot; the event names the code by hash, and the same code is stored once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import { checkStreamId } from '@resoft/domain';
import { AccessTokens, createLogger } from '@resoft/infra';
import { SqliteEventStore, SqliteSourceStore } from '@resoft/adapter-sqlite';
import { InProcessEphemeral, type SourceStore } from '@resoft/ports';
import { createHttpApp } from '@resoft/http-kit';
import { loadCommandServiceConfig, type CommandServiceProcessConfig } from '../command-service-config.js';
import { createCommandService } from '../create-command-service.js';

const logger = createLogger('silent');

/** The SQLite source store answering as slowly as a networked one may: requests then overlap between admission and append. */
class SlowSourceStore implements SourceStore {
  delayMs = 0;
  constructor(private readonly inner: SourceStore) {}
  async put(texts: readonly string[]) {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return this.inner.put(texts);
  }
  get(hashes: readonly string[]) {
    return this.inner.get(hashes);
  }
  size() {
    return this.inner.size();
  }
  ping() {
    return this.inner.ping();
  }
  close() {
    return this.inner.close();
  }
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

describe('fair and bounded check queues over HTTP', () => {
  let dir: string;
  let config: CommandServiceProcessConfig;
  let store: SqliteEventStore;
  let sources: SlowSourceStore;
  let service: ReturnType<typeof createCommandService>;
  let server: Server;
  let baseUrl: string;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'resoft-queues-'));
    config = loadCommandServiceConfig({
      RESOFT_DATA_DIR: dir, RESOFT_SCRYPT_COST: '1024', RESOFT_AUTH_RATE_LIMIT: '10000', RESOFT_JWT_SECRET: 'x'.repeat(40),
      RESOFT_CHECK_MAX_OPEN_PER_USER: '2', RESOFT_CHECK_MAX_OPEN_PER_PROJECT: '3', RESOFT_CHECK_WORKERS: '2',
    });
    store = new SqliteEventStore({ file: config.eventStoreFile });
    sources = new SlowSourceStore(new SqliteSourceStore({ file: config.sourceStoreFile }));
    const tokens = new AccessTokens(new TextEncoder().encode(config.jwtSecret!), config.accessTokenTtlSeconds);
    service = createCommandService(config, store, tokens, new InProcessEphemeral(), sources, logger);
    // What open checks there are comes from the log; the runner waits until a test starts it.
    service.deps.checks.backlog.start();
    const app = createHttpApp({ routes: service.routes, tokens, logger, maxBodyBytes: config.maxBodyBytes, readiness: [], info: { title: 'test', version: '0', description: 'test' } });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await service.checkRunner.stop();
    await service.deps.checks.backlog.stop();
    await store.close();
    await sources.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function call(method: string, url: string, token: string | null, body?: unknown): Promise<Answer> {
    const response = await fetch(`${baseUrl}${url}`, {
      method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }

  async function signUp(name: string): Promise<{ id: string; token: string }> {
    const registered = await call('POST', '/api/auth/register', null, { email: `${name}@example.com`, username: name, password: 'correct horse battery' });
    expect(registered.status).toBe(201);
    const signedIn = await call('POST', '/api/auth/login', null, { email: `${name}@example.com`, password: 'correct horse battery' });
    return { id: registered.body.user.id, token: signedIn.body.accessToken };
  }

  const check = (token: string, code: string, projectId?: string) =>
    call('POST', '/api/code-quality/check', token, { code, language: 'javascript', ...(projectId ? { projectId } : {}) });

  const requestedEvents = async () => (await store.readAll({ after: 0 })).filter((e) => e.type === 'CheckRequested');

  it('answers 429 with Retry-After beyond the per-person limit, and stores and appends nothing for it', async () => {
    const ann = await signUp('ann');
    const bob = await signUp('bob');
    expect((await check(ann.token, 'const a = 1;\n')).status).toBe(202);
    expect((await check(ann.token, 'const b = 2;\n')).status).toBe(202);
    const before = { events: await store.headPosition(), sources: await sources.size() };

    const refused = await check(ann.token, 'const c = 3;\n');
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'too_many_checks', message: expect.stringMatching(/You have 2 checks queued or running, and one person may have at most 2 at once: try again when one has finished/) });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await store.headPosition()).toBe(before.events);
    expect(await sources.size()).toEqual(before.sources);

    // Someone else's place is their own.
    expect((await check(bob.token, 'const d = 4;\n')).status).toBe(202);
  });

  it('never admits more than the limit when requests arrive at once', async () => {
    const cyd = await signUp('cyd');
    sources.delayMs = 100;
    const answers = await Promise.all(Array.from({ length: 8 }, (_, n) => check(cyd.token, `const v${n} = ${n};\n`)));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 202, 429, 429, 429, 429, 429, 429]);
    expect((await requestedEvents()).length).toBe(2);
  });

  it("limits a project's open checks whoever asked, and tells a non-member only that the project does not exist", async () => {
    const owner = await signUp('owner');
    const viewer = await signUp('viewer');
    const outsider = await signUp('outsider');
    const projectId = (await call('POST', '/api/projects', owner.token, { name: 'Busy' })).body.id as string;
    expect((await call('POST', `/api/projects/${projectId}/members`, owner.token, { userId: viewer.id, role: 'viewer' })).status).toBe(201);

    expect((await check(owner.token, 'const a = 1;\n', projectId)).status).toBe(202);
    expect((await check(owner.token, 'const b = 1;\n', projectId)).status).toBe(202);
    expect((await check(viewer.token, 'const c = 1;\n', projectId)).status).toBe(202);
    const refused = await check(viewer.token, 'const d = 1;\n', projectId);
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/This project has 3 checks queued or running, and a project may have at most 3 at once/);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);

    expect((await check(outsider.token, 'const e = 1;\n', projectId)).status).toBe(404);
    // The viewer's own place is still free for a personal check.
    expect((await check(viewer.token, 'const f = 1;\n')).status).toBe(202);
  });

  it('gives the place back once a check has finished', async () => {
    const dee = await signUp('dee');
    const first = await check(dee.token, 'const a = 1;\n');
    await check(dee.token, 'const b = 1;\n');
    expect((await check(dee.token, 'const c = 1;\n')).status).toBe(429);
    service.checkRunner.start();
    await eventually(async () => (await store.readStream(checkStreamId(first.body.id))).some((e) => e.type === 'CheckCompleted'), 'the first check completes');
    await eventually(async () => (await check(dee.token, 'const d = 1;\n')).status === 202, 'a new check is admitted');
  }, 60_000);

  it('records the code by hash and size, not the code: the event stays small, and the same code is stored once', async () => {
    const eve = await signUp('eve');
    const code = Array.from({ length: 3_500 }, (_, n) => `export const value${n} = ${n} * 2; // a line of about sixty characters`).join('\n');
    expect(Buffer.byteLength(code)).toBeGreaterThan(200 * 1024);
    expect((await check(eve.token, code)).status).toBe(202);
    expect((await check(eve.token, code)).status).toBe(202);

    const events = await requestedEvents();
    expect(events).toHaveLength(2);
    for (const event of events) {
      expect(JSON.stringify(event.data).length).toBeLessThan(600);
      // Schema 2 recorded check files by hash; later schemas (3: sealed personal data) keep that.
      expect(event.metadata.schema).toBeGreaterThanOrEqual(2);
      expect((event.data as { files: unknown[] }).files).toEqual([{ path: 'snippet.js', language: 'javascript', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: Buffer.byteLength(code), lines: 3_500 }]);
    }
    expect(await sources.size()).toEqual({ count: 1, bytes: Buffer.byteLength(code) });
  });
});

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting until ${what}`);
}
