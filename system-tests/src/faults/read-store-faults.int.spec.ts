/**
 * A read store that stops answering (issue 15: FerretDB froze and `/readyz` of query and projectors
 * hung): command, projectors and query as processes on a FerretDB of the test's own, frozen with
 * SIGSTOP and thawed with SIGCONT. Readiness must answer 503 with the reason within 1 s, reads must
 * answer by their bounds, and everything must be ready and fresh again once the engine answers.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { serve, stopAll, RoutedClient, type ServiceProcess } from '@resoft/testkit/processes';

// MONGO_URL only says that FerretDB can run here (CI sets it after `infra/engines/ferretdb.sh start`);
// the test freezes an engine of its own, on another port, so no other suite sees the freeze.
const canRunFerretDb = Boolean(process.env['MONGO_URL']);
if (!canRunFerretDb) console.warn('read-store fault tests skipped: MONGO_URL not set (they start their own FerretDB with infra/engines/ferretdb.sh; set it once the engine is installed here)');
const describeWithFerretDb = canRunFerretDb ? describe : describe.skip;
const PORT = Number(process.env['RESOFT_FAULT_FERRETDB_PORT'] ?? 27317);
const SCRIPT = path.join(process.cwd(), 'infra', 'engines', 'ferretdb.sh');

function ferretdb(command: 'start' | 'stop', runDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [SCRIPT, command], { env: { ...process.env, FERRETDB_PORT: String(PORT), FERRETDB_RUN_DIR: runDir }, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`ferretdb.sh ${command} failed: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

async function timedReadiness(process: ServiceProcess): Promise<{ status: number; body: { checks: Record<string, string> }; ms: number }> {
  const started = Date.now();
  const answer = await process.client.get('/readyz');
  return { status: answer.status, body: answer.body, ms: Date.now() - started };
}

describeWithFerretDb('a read store that stops answering (command, projectors and query processes on a FerretDB of their own)', () => {
  let runDir: string;
  let dataDir: string;
  let pid: number;
  let processes: ServiceProcess[] = [];

  beforeAll(async () => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-fault-ferretdb-'));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-fault-read-store-'));
    const started = await ferretdb('start', runDir);
    const url = /MONGO_URL=(\S+)/.exec(started)?.[1];
    if (!url) throw new Error(`ferretdb.sh start printed no MONGO_URL: ${started}`);
    pid = Number(fs.readFileSync(path.join(runDir, 'ferretdb.pid'), 'utf8').trim());
    const env = {
      PORT: '0', HOST: '127.0.0.1', RESOFT_DATA_DIR: dataDir, RESOFT_SCRYPT_COST: '1024', RESOFT_AUTH_RATE_LIMIT: '10000', RESOFT_EVENT_POLL_MS: '20',
      RESOFT_JWT_SECRET: `secret-${randomUUID()}`, MONGO_URL: url, RESOFT_MONGO_DATABASE: `resoft_fault_${randomUUID().slice(0, 8)}`,
      RESOFT_READ_WAIT_MS: '1000', RESOFT_ENGINE_TIMEOUT_MS: '2000',
    };
    const command = await serve('command', env);
    processes = [command, ...(await Promise.all([serve('projectors', env), serve('query', env)]))];
  }, 120_000);

  afterAll(async () => {
    if (pid) process.kill(pid, 'SIGCONT');
    await stopAll(processes);
    await ferretdb('stop', runDir).catch(() => undefined);
    fs.rmSync(runDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('says 503 with the reason within 1 s while the engine is frozen, answers reads by their bounds, and is ready and fresh again once it answers', async () => {
    const [command, projectors, query] = processes as [ServiceProcess, ServiceProcess, ServiceProcess];
    const api = new RoutedClient(command.client, query.client);
    const alice = await api.signUp('frozen_alice');
    expect((await api.readWhenFresh('/api/auth/me', alice.position, alice.accessToken, 60_000)).headers.get('resoft-consistency')).toBe('fresh');

    process.kill(pid, 'SIGSTOP');
    try {
      for (const reader of [query, projectors]) {
        const readiness = await timedReadiness(reader);
        expect(readiness.status).toBe(503);
        expect(readiness.body.checks['readStore']).not.toBe('ok');
        expect(readiness.ms).toBeLessThan(1_500); // the 1 s the issue asks for, with room for a loaded machine
      }
      // Writes go to the event store only; a read waiting for them answers by its bounds (wait 1 s, engine 2 s), not never.
      const project = await api.post('/api/projects', { name: 'while frozen' }, alice.accessToken);
      expect(project.status).toBe(201);
      const started = Date.now();
      const read = await api.get(`/api/projects?after=${project.body.position}`, alice.accessToken);
      expect(read.status).toBeGreaterThanOrEqual(500);
      expect(Date.now() - started).toBeLessThan(1_000 + 2_000 + 3_000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }

    const deadline = Date.now() + 60_000;
    let states = await Promise.all(processes.map((p) => p.client.get('/readyz')));
    while (states.some((state) => state.status !== 200) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      states = await Promise.all(processes.map((p) => p.client.get('/readyz')));
    }
    expect(states.map((state) => state.status)).toEqual([200, 200, 200]);
    const last = await api.post('/api/projects', { name: 'after the thaw' }, alice.accessToken);
    const projects = await api.readWhenFresh('/api/projects', last.body.position, alice.accessToken, 60_000);
    expect(projects.headers.get('resoft-consistency')).toBe('fresh');
    expect(projects.body.items.map((p: { name: string }) => p.name).sort()).toEqual(['after the thaw', 'while frozen']);
  }, 240_000);
});
