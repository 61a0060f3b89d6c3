import { fold } from '../shared/decider.js';
import { given } from '../shared/given-when-then.js';
import { PROJECT_ID, VIC, ZED, apollo, apolloArchived, noProject } from '../shared/project-fixture.js';
import type { LinterResult } from './check-decider.js';
import { checkDecider, type CheckCommand, type CheckEvent } from './check-decider.js';

const CHECK_ID = 'c-1';
const files = [{ path: 'app.py', language: 'python' as const, sha256: 'a'.repeat(64), bytes: 6, lines: 1 }];
const ofCheck = { checkId: CHECK_ID, projectId: PROJECT_ID };

const request = (actorId = VIC, project = apollo()): Extract<CheckCommand, { type: 'RequestCheck' }> => ({
  type: 'RequestCheck', checkId: CHECK_ID, actorId, project, source: 'upload', linters: ['pylint', 'ruff'], files, ignoredFiles: [],
});
const requested: CheckEvent = {
  type: 'CheckRequested',
  data: { ...ofCheck, requestedBy: VIC, source: 'upload', linters: ['pylint', 'ruff'], files, ignoredFiles: [] },
};
const started = (runnerId = 'r-1', leaseUntil = 2000): CheckEvent => ({ type: 'CheckStarted', data: { ...ofCheck, runnerId, leaseUntil } });
const result = (linter: 'pylint' | 'ruff', over: Partial<LinterResult> = {}): LinterResult => ({
  linter, status: 'ok', version: '1', durationMs: 5, message: null, findings: [], counts: { error: 0, warning: 2, info: 0 }, codeLines: 20,
  nativeScore: linter === 'pylint' ? 8.5 : null, truncated: { findingsDropped: 0, outputCapped: false }, ...over,
});
const finished = (r: LinterResult): CheckEvent => ({ type: 'LinterFinished', data: { ...ofCheck, ...r } });
const check = (...history: CheckEvent[]) => given(checkDecider, history);

describe('requesting a check', () => {
  it('lets any member of the project, even a viewer, request a check', () => {
    check().when(request()).thenEmits([requested]);
  });

  it('records a personal check, outside any project, with a null project', () => {
    check().when({ ...request(ZED), project: null }).thenEmits([{
      type: 'CheckRequested', data: { ...requested.data as object, projectId: null, requestedBy: ZED } as never,
    }]);
  });

  it('answers "not found" to a non-member, or for a project that does not exist', () => {
    check().when(request(ZED)).thenRejects('not_found', 'project_not_found');
    check().when(request(VIC, noProject)).thenRejects('not_found', 'project_not_found');
  });

  it('is refused on an archived project', () => {
    check().when(request(VIC, apollo(apolloArchived))).thenRejects('conflict', 'project_archived');
  });

  it('refuses a check with nothing to lint, or no linter for it', () => {
    check().when({ ...request(), files: [] }).thenRejects('invalid', 'no_files');
    check().when({ ...request(), linters: [] }).thenRejects('invalid', 'no_linters');
  });

  it('refuses a check id that is taken', () => {
    check(requested).when(request()).thenRejects('conflict', 'check_exists');
  });
});

describe('claiming a check', () => {
  const claim = (runnerId: string, now: number): CheckCommand => ({ type: 'ClaimCheck', runnerId, now, leaseMs: 1000 });

  it('gives a requested check to the first runner, for the lease', () => {
    check(requested).when(claim('r-1', 1000)).thenEmits([started('r-1', 2000)]);
  });

  it('refuses a second runner while the lease holds', () => {
    check(requested, started('r-1', 2000)).when(claim('r-2', 1999)).thenRejects('conflict', 'check_claimed');
  });

  it('lets another runner take a check over once the lease ran out (its runner died)', () => {
    check(requested, started('r-1', 2000), finished(result('pylint'))).when(claim('r-2', 2000)).thenEmits([started('r-2', 3000)]);
  });

  it('refuses to claim a finished check, or one never requested', () => {
    check(requested, started(), { type: 'CheckFailed', data: { ...ofCheck, reason: 'x' } }).when(claim('r-2', 9999)).thenRejects('conflict', 'check_finished');
    check().when(claim('r-1', 0)).thenRejects('not_found', 'check_not_found');
  });
});

describe('recording linter results', () => {
  const record = (r: LinterResult, runnerId = 'r-1'): CheckCommand => ({ type: 'RecordLinterResult', runnerId, result: r });

  it('records one result per requested linter from the runner holding the check', () => {
    check(requested, started()).when(record(result('ruff'))).thenEmits([finished(result('ruff'))]);
  });

  it('refuses a result from a runner that does not hold the check', () => {
    check(requested, started('r-1')).when(record(result('ruff'), 'r-2')).thenRejects('conflict', 'check_not_claimed');
    check(requested).when(record(result('ruff'))).thenRejects('conflict', 'check_not_claimed');
  });

  it('refuses a second result of a linter, or one that was not requested', () => {
    check(requested, started(), finished(result('ruff'))).when(record(result('ruff'))).thenRejects('conflict', 'linter_finished');
    check(requested, started()).when(record({ ...result('ruff'), linter: 'mypy' })).thenRejects('invalid', 'linter_not_requested');
  });

  it('forgets the results of a runner whose check was taken over', () => {
    check(requested, started('r-1', 2000), finished(result('ruff')), started('r-2', 5000)).when(record(result('ruff'), 'r-2')).thenEmits([finished(result('ruff'))]);
  });
});

describe('completing a check', () => {
  const complete: CheckCommand = { type: 'CompleteCheck', runnerId: 'r-1', formulaVersion: 1 };

  it('scores the linters that ran with the formula version it records', () => {
    // pylint 8.5/10 → 85; ruff 2 warnings over 20 code lines → 100 − 100·2/20 = 90; mean 87.5 → B.
    check(requested, started(), finished(result('pylint')), finished(result('ruff'))).when(complete).thenEmits([{
      type: 'CheckCompleted',
      data: {
        ...ofCheck, score: 87.5, grade: 'B', formulaVersion: 1, counts: { error: 0, warning: 4, info: 0 },
        breakdown: [
          { linter: 'pylint', score: 85, counts: { error: 0, warning: 2, info: 0 }, basis: 'native' },
          { linter: 'ruff', score: 90, counts: { error: 0, warning: 2, info: 0 }, basis: 'density' },
        ],
        incomplete: [],
      },
    }]);
  });

  it('makes the check partial when a linter could not run: scored from the others, the reason on that linter, never an A', () => {
    const unavailable = result('pylint', { status: 'unavailable', nativeScore: null, message: 'unavailable: no sandbox' });
    check(requested, started(), finished(unavailable), finished(result('ruff'))).when(complete).thenEmits([{
      type: 'CheckCompleted',
      data: {
        ...ofCheck, score: 90, grade: 'B', formulaVersion: 1, counts: { error: 0, warning: 2, info: 0 }, breakdown: [{ linter: 'ruff', score: 90, counts: { error: 0, warning: 2, info: 0 }, basis: 'density' }],
        incomplete: [{ linter: 'pylint', reason: 'unavailable: unavailable: no sandbox' }],
      },
    }]);
  });

  it.each([
    ['timed out', { status: 'timeout' as const, message: 'pylint did not finish within 30000 ms and was stopped' }, 'timeout: pylint did not finish within 30000 ms and was stopped'],
    ['crashed or was killed', { status: 'error' as const, message: 'pylint was killed (SIGKILL): it reached a CPU-time, memory or process limit' }, 'error: pylint was killed (SIGKILL): it reached a CPU-time, memory or process limit'],
    ['had its output cut', { truncated: { findingsDropped: 0, outputCapped: true } }, 'output cut at the cap: findings incomplete'],
  ])('makes a clean check partial, at best B, when a linter %s', (_how, over, reason) => {
    const clean = { counts: { error: 0, warning: 0, info: 0 }, nativeScore: null };
    const history = [requested, started(), finished(result('pylint', { ...clean, ...over })), finished(result('ruff', clean))];
    const emitted = checkDecider.decide(complete, fold(checkDecider, history));
    expect(emitted).toEqual([expect.objectContaining({ type: 'CheckCompleted', data: expect.objectContaining({ grade: 'B', incomplete: [{ linter: 'pylint', reason }] }) })]);
    expect((emitted[0]!.data as { score: number }).score).toBe(100);
  });

  it('fails the check when no linter could run', () => {
    check(requested, started(), finished(result('pylint', { status: 'unavailable' })), finished(result('ruff', { status: 'timeout' }))).when(complete)
      .thenEmits([{ type: 'CheckFailed', data: { ...ofCheck, reason: 'No linter could run (pylint: unavailable, ruff: timeout)' } }]);
  });

  it('waits for every requested linter', () => {
    check(requested, started(), finished(result('pylint'))).when(complete).thenRejects('conflict', 'linters_running');
  });

  it('lets the runner fail a check with a reason, once', () => {
    check(requested, started()).when({ type: 'FailCheck', runnerId: 'r-1', reason: 'disk full' }).thenEmits([{ type: 'CheckFailed', data: { ...ofCheck, reason: 'disk full' } }]);
    check(requested, started(), { type: 'CheckFailed', data: { ...ofCheck, reason: 'x' } }).when({ type: 'FailCheck', runnerId: 'r-1', reason: 'again' }).thenRejects('conflict', 'check_finished');
  });
});
