import type { CheckEvent, LinterResult } from './check-decider.js';
import type { Finding } from './check-model.js';
import { toMarkdown, toSarif } from './check-exports.js';
import { foldCheckReport, newSince, type CheckReport } from './check-report.js';

const finding = (ruleId: string, line: number, fingerprint: string, over: Partial<Finding> = {}): Finding => ({
  tool: 'ruff', ruleId, level: 'warning', severity: 'warning', message: `${ruleId} here`, uri: 'app.py',
  region: { startLine: line, startColumn: 1, endLine: line, endColumn: 5 }, helpUri: `https://docs.example/${ruleId}`, fixes: [], fingerprint, ...over,
});
const result = (findings: Finding[], over: Partial<LinterResult> = {}): LinterResult => ({
  linter: 'ruff', status: 'ok', version: '0.17.6', durationMs: 3, message: null, findings, counts: { error: 0, warning: findings.length, info: 0 },
  codeLines: 10, nativeScore: null, truncated: { findingsDropped: 0, outputCapped: false }, ...over,
});
const ofCheck = { checkId: 'c-1', projectId: 'p-1' };
const timed = (events: CheckEvent[]) => events.map((event, i) => ({ event, occurredAt: `2026-11-29T00:00:0${i}Z`, position: 10 + i }));
const requested: CheckEvent = {
  type: 'CheckRequested',
  data: { ...ofCheck, requestedBy: 'u-1', source: 'paste', linters: ['ruff'], files: [{ path: 'app.py', language: 'python', sha256: 'a'.repeat(64), bytes: 16, lines: 2 }], ignoredFiles: [{ path: '.pylintrc', reason: 'tool configuration is ignored: checks run with their own' }] },
};
const F401 = finding('F401', 1, 'fp-a', { fixes: [{ description: 'Remove it', replacements: [{ region: { startLine: 1, startColumn: 1, endLine: 2, endColumn: 1 }, insertedText: '' }] }] });
const completed: CheckEvent = { type: 'CheckCompleted', data: { ...ofCheck, score: 90, grade: 'A', formulaVersion: 1, counts: { error: 0, warning: 1, info: 0 }, breakdown: [{ linter: 'ruff', score: 90, counts: { error: 0, warning: 1, info: 0 }, basis: 'density' }] } };

const report = (events: CheckEvent[]): CheckReport => foldCheckReport(timed(events))!;

describe('a check report', () => {
  it('folds a completed check: files with line counts, each linter with its score, the findings and the score', () => {
    const r = report([requested, { type: 'CheckStarted', data: { ...ofCheck, runnerId: 'r', leaseUntil: 1 } }, { type: 'LinterFinished', data: { ...ofCheck, ...result([F401]) } }, completed]);
    expect(r).toMatchObject({
      id: 'c-1', projectId: 'p-1', status: 'completed', files: [{ path: 'app.py', language: 'python', lines: 2 }], score: 90, grade: 'A', formulaVersion: 1,
      requestedAt: '2026-11-29T00:00:00Z', finishedAt: '2026-11-29T00:00:03Z', position: 13,
    });
    expect(r.results).toEqual([expect.objectContaining({ linter: 'ruff', status: 'ok', score: 90 })]);
    expect(r.findings).toEqual([F401]);
  });

  it('reads a check completed before partial checks existed as complete, and a partial one as partial with its reasons', () => {
    const running = [requested, { type: 'CheckStarted', data: { ...ofCheck, runnerId: 'r', leaseUntil: 1 } } as CheckEvent, { type: 'LinterFinished', data: { ...ofCheck, ...result([F401]) } } as CheckEvent];
    expect(report([...running, completed])).toMatchObject({ status: 'completed', grade: 'A', incomplete: [] });
    const incomplete = [{ linter: 'pylint' as const, reason: 'timeout: pylint did not finish within 30000 ms and was stopped' }];
    const partial: CheckEvent = { type: 'CheckCompleted', data: { ...(completed.data as object), grade: 'B', incomplete } as never };
    const r = report([...running, partial]);
    expect(r).toMatchObject({ status: 'partial', score: 90, grade: 'B', incomplete });
    expect(toMarkdown(r)).toContain('**Partial score 90 / 100, grade B**');
    expect(toMarkdown(r)).toContain('- pylint: timeout: pylint did not finish');
  });

  it('drops the results of a runner whose check was taken over', () => {
    const r = report([
      requested, { type: 'CheckStarted', data: { ...ofCheck, runnerId: 'dead', leaseUntil: 1 } }, { type: 'LinterFinished', data: { ...ofCheck, ...result([F401]) } },
      { type: 'CheckStarted', data: { ...ofCheck, runnerId: 'alive', leaseUntil: 2 } },
    ]);
    expect(r).toMatchObject({ status: 'running', results: [], findings: [] });
  });

  it('tells findings new since a previous run by fingerprint only', () => {
    const moved = finding('F401', 7, 'fp-a');
    const fresh = finding('F841', 2, 'fp-b');
    expect(newSince([moved, fresh], [F401])).toEqual([fresh]);
  });

  it('exports SARIF 2.1.0: a run per linter with its rules, regions, fingerprints and fixes', () => {
    const sarif = toSarif(report([requested, { type: 'CheckStarted', data: { ...ofCheck, runnerId: 'r', leaseUntil: 1 } }, { type: 'LinterFinished', data: { ...ofCheck, ...result([F401]) } }, completed]));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0]!.tool.driver).toEqual({ name: 'ruff', version: '0.17.6', informationUri: 'https://docs.astral.sh/ruff/', rules: [{ id: 'F401', helpUri: 'https://docs.example/F401' }] });
    expect(sarif.runs[0]!.results[0]).toEqual({
      ruleId: 'F401', level: 'warning', message: { text: 'F401 here' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'app.py' }, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 5 } } }],
      partialFingerprints: { 'resoft/v1': 'fp-a' },
      fixes: [{ description: { text: 'Remove it' }, artifactChanges: [{ artifactLocation: { uri: 'app.py' }, replacements: [{ deletedRegion: { startLine: 1, startColumn: 1, endLine: 2, endColumn: 1 }, insertedContent: { text: '' } }] }] }],
      properties: { severity: 'warning' },
    });
  });

  it('exports a Markdown report with the score, the linters, the findings per file and what was not checked', () => {
    const markdown = toMarkdown(report([requested, { type: 'CheckStarted', data: { ...ofCheck, runnerId: 'r', leaseUntil: 1 } }, { type: 'LinterFinished', data: { ...ofCheck, ...result([F401]) } }, completed]));
    expect(markdown).toContain('**Score 90 / 100, grade A** (formula v1)');
    expect(markdown).toContain('| ruff | 0.17.6 | ok | 90 | 0 | 1 | 0 |  |');
    expect(markdown).toContain('| 1:1 | warning | ruff | [F401](https://docs.example/F401) | F401 here |');
    expect(markdown).toContain('- .pylintrc: tool configuration is ignored: checks run with their own');
  });

  it('says why a failed check failed', () => {
    expect(toMarkdown(report([requested, { type: 'CheckFailed', data: { ...ofCheck, reason: 'No linter could run' } }]))).toContain('**Failed:** No linter could run');
  });
});
