/**
 * The check runner on a real SQLite event store with real ESLint: two runners
 * never run one check twice, a check requested while no runner ran is
 * resumed, and a check whose runner died is taken over when its lease ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkDecider, checkStreamId, type CheckCommand } from '@resoft/domain';
import { createLogger, newId, SqliteEventStore } from '@resoft/infra';
import { CommandExecutor } from '../command-handling/command-executor.js';
import { stampEvents } from '../command-handling/command-metadata.js';
import { CheckRunner } from './check-runner.js';
import { testEngine } from './code-quality.fixture.js';

const meta = { actor: 'u-1', correlationId: 'test', causationId: null };
const logger = createLogger('silent');

describe('the check runner', () => {
  let dir: string;
  let store: SqliteEventStore;
  const runners: CheckRunner[] = [];

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'resoft-runner-'));
    store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const startRunner = (leaseMs = 60_000): CheckRunner => {
    // Each runner has its own executor, as a separate process would.
    const runner = new CheckRunner(store, new CommandExecutor(store), testEngine(), { workers: 2, leaseMs, scoringVersion: 1 }, logger);
    runners.push(runner);
    runner.start();
    return runner;
  };

  const requestCheck = async (executor = new CommandExecutor(store)): Promise<string> => {
    const checkId = newId();
    const command: CheckCommand = {
      type: 'RequestCheck', checkId, actorId: 'u-1', project: null, source: 'paste', linters: ['eslint'], ignoredFiles: [],
      files: [{ path: 'a.js', content: `const unused${checkId.slice(-4)} = 1;\n`, language: 'javascript' }],
    };
    await executor.execute(checkStreamId(checkId), checkDecider, () => command, meta);
    return checkId;
  };

  const typesOf = async (checkId: string) => (await store.readStream(checkStreamId(checkId))).map((e) => e.type);

  const finished = async (checkIds: readonly string[]): Promise<void> => {
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const last = await Promise.all(checkIds.map(async (id) => (await typesOf(id)).at(-1)));
      if (last.every((type) => type === 'CheckCompleted' || type === 'CheckFailed')) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('checks did not finish');
  };

  it('runs each check exactly once when two runners follow the same log', async () => {
    startRunner();
    startRunner();
    const ids = await Promise.all(Array.from({ length: 8 }, () => requestCheck()));
    await finished(ids);
    for (const id of ids) expect(await typesOf(id)).toEqual(['CheckRequested', 'CheckStarted', 'LinterFinished', 'CheckCompleted']);
  });

  it('resumes checks that were requested while no runner was running', async () => {
    const ids = [await requestCheck(), await requestCheck()];
    expect(await typesOf(ids[0]!)).toEqual(['CheckRequested']);
    startRunner();
    await finished(ids);
    for (const id of ids) expect((await typesOf(id)).at(-1)).toBe('CheckCompleted');
  });

  it('takes over a check whose runner died once its lease has run out, and runs it from the start', async () => {
    const executor = new CommandExecutor(store);
    const id = await requestCheck(executor);
    // A runner claimed it with a lease that has already ended, then died.
    const [requested] = await store.readStream(checkStreamId(id));
    await store.append(checkStreamId(id), stampEvents([{ type: 'CheckStarted', data: { checkId: id, projectId: null, runnerId: 'dead-runner', leaseUntil: Date.now() - 1 } }], meta), requested!.revision);
    const runner = startRunner();
    await finished([id]);
    const events = await store.readStream(checkStreamId(id));
    expect(events.map((e) => e.type)).toEqual(['CheckRequested', 'CheckStarted', 'CheckStarted', 'LinterFinished', 'CheckCompleted']);
    expect((events[2]!.data as { runnerId: string }).runnerId).toBe(runner.runnerId);
  });

  it('leaves a check alone while another runner\'s lease holds', async () => {
    const id = await requestCheck();
    const [requested] = await store.readStream(checkStreamId(id));
    await store.append(checkStreamId(id), stampEvents([{ type: 'CheckStarted', data: { checkId: id, projectId: null, runnerId: 'busy-runner', leaseUntil: Date.now() + 3_600_000 } }], meta), requested!.revision);
    const runner = startRunner();
    const other = await requestCheck();
    await finished([other]);
    expect(await typesOf(id)).toEqual(['CheckRequested', 'CheckStarted']);
    expect(runner.stats()).toMatchObject({ completed: 1, failed: 0 });
  });
});
