/**
 * The check runner on a real SQLite event store and source store with real
 * ESLint: two runners never run one check twice, a check requested while no
 * runner ran is resumed, a check whose runner died is taken over when its
 * lease ends, one person's backlog does not hold up another's check, and the
 * code is read from the source store (or inline, for checks recorded before).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkDecider, checkedFile, checkStreamId, type CheckCommand } from '@resoft/domain';
import { createLogger, newId } from '@resoft/infra';
import { SqliteEventStore, SqliteSourceStore } from '@resoft/adapter-sqlite';
import { CommandExecutor } from '../command-handling/command-executor.js';
import { stampEvents } from '../command-handling/command-metadata.js';
import { CheckBacklog } from './check-backlog.js';
import { CheckRunner } from './check-runner.js';
import { describeWithPythonTools, testEngine } from './code-quality.fixture.js';

const meta = { actor: 'u-1', correlationId: 'test', causationId: null };
const logger = createLogger('silent');

describe('the check runner', () => {
  let dir: string;
  let store: SqliteEventStore;
  let sources: SqliteSourceStore;
  const runners: CheckRunner[] = [];

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'resoft-runner-'));
    store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    sources = new SqliteSourceStore({ file: path.join(dir, 'sources.sqlite') });
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await store.close();
    await sources.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const startRunner = (leaseMs = 60_000, workers = 2): CheckRunner => {
    // Each runner has its own executor and backlog, as a separate process would.
    const runner = new CheckRunner(store, new CommandExecutor(store), testEngine(), { workers, leaseMs, scoringVersion: 1 }, logger, new CheckBacklog(store, logger), sources);
    runners.push(runner);
    runner.start();
    return runner;
  };

  const requestCheck = async (executor = new CommandExecutor(store), requestedBy = 'u-1', code?: string): Promise<string> => {
    const checkId = newId();
    const content = code ?? `const unused${checkId.slice(-4)} = 1;\n`;
    const [stored] = await sources.put([content]);
    const command: CheckCommand = {
      type: 'RequestCheck', checkId, actorId: requestedBy, project: null, source: 'paste', linters: ['eslint'], ignoredFiles: [],
      files: [checkedFile({ path: 'a.js', content, language: 'javascript' }, stored!)],
    };
    await executor.execute(checkStreamId(checkId), checkDecider, () => command, { ...meta, actor: requestedBy });
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

  it("starts another person's check after at most one check of someone with a backlog of twelve", async () => {
    const executor = new CommandExecutor(store);
    const backlog: string[] = [];
    for (let n = 0; n < 12; n += 1) backlog.push(await requestCheck(executor, 'ann'));
    const bobs = await requestCheck(executor, 'bob');
    startRunner(60_000, 1);
    await finished([...backlog, bobs]);
    // First come is first served (ann), then bob, then the rest of ann's: first in, first out would start bob 13th.
    expect((await startsInOrder()).map((s) => (s.checkId === bobs ? 'bob' : 'ann'))).toEqual(['ann', 'bob', ...Array(11).fill('ann')]);
  }, 120_000);

  describeWithPythonTools('with a check arriving while the backlog runs')('fairness', () => {
    it("starts the newcomer's check after at most one more of the backlog's", async () => {
      const executor = new CommandExecutor(store);
      const requestPython = async (requestedBy: string, content: string): Promise<string> => {
        const checkId = newId();
        const [stored] = await sources.put([content]);
        await executor.execute(checkStreamId(checkId), checkDecider, () => ({
          type: 'RequestCheck' as const, checkId, actorId: requestedBy, project: null, source: 'paste' as const, linters: ['ruff' as const], ignoredFiles: [],
          files: [checkedFile({ path: 'big.py', content, language: 'python' }, stored!)],
        }), { ...meta, actor: requestedBy });
        return checkId;
      };
      // ruff runs as a child process, so this test's timers run while the runner works.
      const heavy = (n: number) => Array.from({ length: 5_000 }, (_, line) => `value_${n}_${line} = undefined_name_${line % 11} + ${line}`).join('\n');
      const backlog: string[] = [];
      for (let n = 0; n < 12; n += 1) backlog.push(await requestPython('ann', heavy(n)));
      startRunner(60_000, 1);
      await waitFor(async () => (await startsInOrder()).length > 0, "the first of ann's checks starts");
      const bobs = await requestPython('bob', 'print("hello")\n');
      const bobRequestedAt = (await store.readStream(checkStreamId(bobs)))[0]!.position;
      await finished([...backlog, bobs]);

      const starts = await startsInOrder();
      const bobStart = starts.find((s) => s.checkId === bobs)!;
      const annStartsBetween = starts.filter((s) => s.checkId !== bobs && s.position > bobRequestedAt && s.position < bobStart.position);
      const annNotStarted = starts.filter((s) => s.checkId !== bobs && s.position > bobRequestedAt);
      // ann still had at least two checks waiting when bob asked (else the test proves nothing), and bob waited for at most one.
      expect(annNotStarted.length).toBeGreaterThanOrEqual(2);
      expect(annStartsBetween.length).toBeLessThanOrEqual(1);
    }, 120_000);
  });

  it('lints the code the source store holds under the recorded hash', async () => {
    const id = await requestCheck(undefined, 'u-1', 'export const a = 1;\nexport const b = 2;\nconst unusedThing = 3;\n');
    startRunner();
    await finished([id]);
    const events = await store.readStream(checkStreamId(id));
    expect(events.map((e) => e.type)).toEqual(['CheckRequested', 'CheckStarted', 'LinterFinished', 'CheckCompleted']);
    const findings = (events[2]!.data as { findings: { ruleId: string; uri: string; region: { startLine: number } }[] }).findings;
    expect(findings.map((f) => [f.uri, f.ruleId, f.region.startLine])).toContainEqual(['a.js', 'no-unused-vars', 3]);
  });

  it('fails a check whose code is missing from the source store, saying so', async () => {
    const id = newId();
    const command: CheckCommand = {
      type: 'RequestCheck', checkId: id, actorId: 'u-1', project: null, source: 'paste', linters: ['eslint'], ignoredFiles: [],
      files: [{ path: 'lost.js', language: 'javascript', sha256: 'f'.repeat(64), bytes: 10, lines: 1 }],
    };
    await new CommandExecutor(store).execute(checkStreamId(id), checkDecider, () => command, meta);
    startRunner();
    await finished([id]);
    const events = await store.readStream(checkStreamId(id));
    expect(events.map((e) => e.type)).toEqual(['CheckRequested', 'CheckStarted', 'CheckFailed']);
    expect((events[2]!.data as { reason: string }).reason).toMatch(/lost\.js is missing from the source store/);
  });

  it('runs a check recorded before the code left the log, from the code inline in its event', async () => {
    const id = newId();
    const schemaOne = stampEvents([{ type: 'CheckRequested', data: {
      checkId: id, projectId: null, requestedBy: 'u-1', source: 'paste', linters: ['eslint'], ignoredFiles: [],
      files: [{ path: 'old.js', content: 'var old = 1;\n', language: 'javascript' }],
    } }], meta).map((event) => ({ ...event, metadata: { ...event.metadata, schema: 1 } }));
    await store.append(checkStreamId(id), schemaOne, 'no_stream');
    startRunner();
    await finished([id]);
    const events = await store.readStream(checkStreamId(id));
    expect(events.map((e) => e.type)).toEqual(['CheckRequested', 'CheckStarted', 'LinterFinished', 'CheckCompleted']);
    expect((events[2]!.data as { findings: { uri: string }[] }).findings.map((f) => f.uri)).toContain('old.js');
    expect(await sources.size()).toEqual({ count: 0, bytes: 0 });
  });

  /** Every `CheckStarted` in the log, in log order. */
  async function startsInOrder(): Promise<{ checkId: string; position: number }[]> {
    const starts: { checkId: string; position: number }[] = [];
    for (const event of await store.readAll({ after: 0 })) {
      if (event.type === 'CheckStarted') starts.push({ checkId: (event.data as { checkId: string }).checkId, position: event.position });
    }
    return starts;
  }

  async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
    for (let attempt = 0; attempt < 1200; attempt += 1) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`timed out waiting until ${what}`);
  }
});
