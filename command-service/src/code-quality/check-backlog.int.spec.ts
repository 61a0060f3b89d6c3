/**
 * The backlog of open checks as two processes on one SQLite event file see it: a check requested
 * through one is counted by the other once it reads the log, a finished one stops counting, and
 * reservations count a request until its event arrives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkDecider, checkStreamId, type CheckCommand } from '@resoft/domain';
import { createLogger, newId } from '@resoft/infra';
import { SqliteEventStore } from '@resoft/adapter-sqlite';
import { CommandExecutor } from '../command-handling/command-executor.js';
import { CheckBacklog } from './check-backlog.js';

const logger = createLogger('silent');
const meta = { actor: 'ann', correlationId: 'test', causationId: null };

describe('the check backlog', () => {
  let dir: string;
  let writer: SqliteEventStore;
  let reader: SqliteEventStore;
  let backlog: CheckBacklog;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'resoft-backlog-'));
    const file = path.join(dir, 'events.sqlite');
    // Two connections, as two processes: the reader hears of the writer's appends by polling.
    writer = new SqliteEventStore({ file });
    reader = new SqliteEventStore({ file, subscriptionFallbackMs: 20 });
    backlog = new CheckBacklog(reader, logger);
  });

  afterEach(async () => {
    await backlog.stop();
    await writer.close();
    await reader.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const executor = () => new CommandExecutor(writer);

  async function request(requestedBy: string, projectId: string | null = null): Promise<string> {
    const checkId = newId();
    const command: CheckCommand = {
      type: 'RequestCheck', checkId, actorId: requestedBy, source: 'paste', linters: ['eslint'], ignoredFiles: [],
      project: projectId ? { exists: true, projectId, archived: false, members: new Map([[requestedBy, { username: requestedBy, role: 'viewer' as const }]]) } : null,
      files: [{ path: 'a.js', language: 'javascript', sha256: 'a'.repeat(64), bytes: 1, lines: 1 }],
    };
    await executor().execute(checkStreamId(checkId), checkDecider, () => command, { ...meta, actor: requestedBy });
    return checkId;
  }

  async function finish(checkId: string): Promise<void> {
    const runnerId = 'runner-test';
    await executor().execute(checkStreamId(checkId), checkDecider, () => ({ type: 'ClaimCheck' as const, runnerId, now: Date.now(), leaseMs: 60_000 }), meta);
    await executor().execute(checkStreamId(checkId), checkDecider, () => ({ type: 'FailCheck' as const, runnerId, reason: 'test' }), meta);
  }

  it('counts checks requested before it started once it has caught up, and only those still open', async () => {
    const done = await request('ann');
    await finish(done);
    await request('ann');
    await request('bob');
    expect(await backlog.caughtUp(50)).toBe(false);
    backlog.start();
    expect(await backlog.caughtUp(10_000)).toBe(true);
    expect([backlog.openOfUser('ann'), backlog.openOfUser('bob'), backlog.openOfUser('cy')]).toEqual([1, 1, 0]);
  });

  it("counts another process's requests once it reads them, per person and per project, and lets them go when they finish", async () => {
    backlog.start();
    await backlog.caughtUp(10_000);
    const projectId = newId();
    const first = await request('ann', projectId);
    await request('bob', projectId);
    await eventually(() => backlog.openOfProject(projectId) === 2, 'both requests are counted');
    expect(backlog.openOfUser('ann')).toBe(1);
    await finish(first);
    await eventually(() => backlog.openOfUser('ann') === 0, 'the finished check stops counting');
    expect(backlog.openOfProject(projectId)).toBe(1);
  });

  it('counts a reservation until its event arrives, then the check, never both', async () => {
    backlog.start();
    await backlog.caughtUp(10_000);
    const checkId = newId();
    backlog.reserve(checkId, 'ann', null);
    expect(backlog.openOfUser('ann')).toBe(1);
    await executor().execute(checkStreamId(checkId), checkDecider, () => ({
      type: 'RequestCheck' as const, checkId, actorId: 'ann', project: null, source: 'paste' as const, linters: ['eslint' as const], ignoredFiles: [],
      files: [{ path: 'a.js', language: 'javascript' as const, sha256: 'a'.repeat(64), bytes: 1, lines: 1 }],
    }), meta);
    await eventually(() => backlog.get(checkId) !== undefined, 'the event is read');
    expect(backlog.openOfUser('ann')).toBe(1);
    backlog.release(checkId);
    expect(backlog.openOfUser('ann')).toBe(1);

    const failed = newId();
    backlog.reserve(failed, 'ann', null);
    backlog.release(failed);
    expect(backlog.openOfUser('ann')).toBe(1);
  });
});

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting until ${what}`);
}
