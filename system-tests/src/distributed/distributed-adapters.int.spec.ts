import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { MongoReadStore } from '@resoft/adapter-mongodb';
import { rebuildCommand } from '@resoft/cli';
import { ApiClient, snapshotReadModels, seedActivity, startTestServer } from '@resoft/testkit';

const mongoUrl = process.env['MONGO_URL'];
const redisUrl = process.env['REDIS_URL'];
const ready = Boolean(mongoUrl && redisUrl);
if (!ready) console.warn('distributed adapter tests skipped: set MONGO_URL and REDIS_URL (infra/engines/ferretdb.sh and redis.sh start print them)');
const describeWithEngines = ready ? describe : describe.skip;
const quiet = { write: () => true } as unknown as NodeJS.WriteStream;
const redisScript = path.join(process.cwd(), 'infra', 'engines', 'redis.sh');

describeWithEngines('the server on MongoDB read models and Redis ephemeral state', () => {
  it('serves the team flow from MongoDB, and a rebuild there equals the live read models', async () => {
    const database = `resoft_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const env = { MONGO_URL: mongoUrl!, RESOFT_MONGO_DATABASE: database, REDIS_URL: redisUrl! };
    const server = await startTestServer(env);
    const api = new ApiClient(server.baseUrl);
    try {
      const { position, roomId } = await seedActivity(api, 'm');
      const reader = await api.signUp('mreader');
      const history = await api.get(`/api/collaboration/chat/${roomId}/history?after=${position}`, reader.accessToken);
      expect(history.status).toBe(404); // not a member: the membership check holds on MongoDB too
      const ready = await api.get('/readyz');
      expect(ready.body).toMatchObject({ status: 'ready', checks: { readStore: 'ok', ephemeral: 'ok' } });
      await server.stop({ keepData: true });

      const store = await MongoReadStore.connect({ url: mongoUrl!, database });
      try {
        const live = await snapshotReadModels(store);
        expect(live['chat_messages']).toHaveLength(12);
        await rebuildCommand([], server.env, quiet);
        expect(await snapshotReadModels(store)).toEqual(live);
      } finally {
        await store.database.dropDatabase();
        await store.close();
      }
    } finally {
      await server.stop().catch(() => undefined);
    }
  });

  it('goes on serving writes and reads when Redis stops, and says it is degraded', async () => {
    const port = String(16500 + Math.floor(Math.random() * 400));
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-redis-outage-'));
    const redisEnv = { ...process.env, REDIS_PORT: port, REDIS_RUN_DIR: runDir };
    execFileSync('bash', [redisScript, 'start'], { env: redisEnv, stdio: 'ignore' });
    const server = await startTestServer({ REDIS_URL: `redis://127.0.0.1:${port}`, RESOFT_AUTH_RATE_LIMIT: '1000' });
    const api = new ApiClient(server.baseUrl);
    try {
      const ann = await api.signUp('redisann');
      expect((await api.get('/readyz')).body.status).toBe('ready');

      execFileSync('bash', [redisScript, 'stop'], { env: redisEnv, stdio: 'ignore' });
      const created = await api.post('/api/projects', { name: 'Without Redis' }, ann.accessToken);
      expect(created.status).toBe(201);
      const login = await api.post('/api/auth/login', { email: ann.email, password: 'correct horse battery' });
      expect(login.status).toBe(200); // the rate limit lets it through rather than failing
      const projects = await api.get(`/api/projects?after=${created.body.position}`, ann.accessToken);
      expect(projects.body.items.map((p: { name: string }) => p.name)).toEqual(['Without Redis']);
      const readiness = await api.get('/readyz');
      expect(readiness.status).toBe(200);
      expect(readiness.body.status).toBe('degraded');
      expect(readiness.body.checks.ephemeral).not.toBe('ok');
    } finally {
      await server.stop();
      try {
        execFileSync('bash', [redisScript, 'stop'], { env: redisEnv, stdio: 'ignore' });
      } catch {
        // Already stopped by the test.
      }
      fs.rmSync(runDir, { recursive: true, force: true });
    }
  });
});
