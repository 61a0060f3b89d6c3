import type { Finding, LinterName, LinterResult, Severity } from '@resoft/domain';
import { EQUIVALENT_RULES, mergeEquivalentFindings } from './rule-equivalence.js';

const finding = (tool: LinterName, ruleId: string, line: number, severity: Severity, uri = 'a.py'): Finding => ({
  tool, ruleId, severity, level: severity === 'info' ? 'note' : severity, message: `${ruleId} message`, uri,
  region: { startLine: line, startColumn: 1, endLine: line, endColumn: 2 }, helpUri: null, fixes: [], fingerprint: `${tool}${ruleId}${line}`,
});
const result = (linter: LinterName, findings: Finding[]): LinterResult => ({
  linter, status: 'ok', version: '1', durationMs: 1, message: null, findings, codeLines: 10, nativeScore: null,
  counts: { error: findings.filter((f) => f.severity === 'error').length, warning: findings.filter((f) => f.severity === 'warning').length, info: findings.filter((f) => f.severity === 'info').length },
  truncated: { findingsDropped: 0, outputCapped: false },
});

describe('merging duplicates across linters', () => {
  it.each([
    ['UP032', 'C0209/consider-using-f-string'],
    ['B018', 'W0104/pointless-statement'],
    ['PLR1704', 'R1704/redefined-argument-from-local'],
  ])('merges ruff %s and pylint %s on the same line into one finding naming both tools', (ruffRule, pylintRule) => {
    const [pylint, ruff] = mergeEquivalentFindings([
      result('pylint', [finding('pylint', pylintRule, 4, 'info'), finding('pylint', 'C0114/missing-module-docstring', 1, 'info')]),
      result('ruff', [finding('ruff', ruffRule, 4, 'info')]),
    ]);
    expect(ruff!.findings).toEqual([expect.objectContaining({ tool: 'ruff', ruleId: ruffRule, alsoReportedBy: [{ tool: 'pylint', ruleId: pylintRule }] })]);
    expect(pylint!.findings.map((f) => f.ruleId)).toEqual(['C0114/missing-module-docstring']);
    expect(pylint).toMatchObject({ merged: 1, counts: { error: 0, warning: 0, info: 1 } });
    expect(ruff).toMatchObject({ merged: 0, counts: { info: 1 } });
  });

  it('merges three tools reporting an undefined name, keeping the highest severity', () => {
    const [pylint, mypy, ruff] = mergeEquivalentFindings([
      result('pylint', [finding('pylint', 'E0602/undefined-variable', 7, 'error')]),
      result('mypy', [finding('mypy', 'name-defined', 7, 'error')]),
      result('ruff', [finding('ruff', 'F821', 7, 'warning')]),
    ]);
    expect(ruff!.findings[0]).toMatchObject({ severity: 'error', level: 'error', alsoReportedBy: [{ tool: 'pylint', ruleId: 'E0602/undefined-variable' }, { tool: 'mypy', ruleId: 'name-defined' }] });
    expect(ruff!.counts).toEqual({ error: 1, warning: 0, info: 0 });
    expect([pylint!.findings, mypy!.findings]).toEqual([[], []]);
    expect([pylint!.counts.error, mypy!.counts.error]).toEqual([0, 0]);
  });

  it('keeps findings apart on other lines, in other files, or of rules that mean different things', () => {
    const merged = mergeEquivalentFindings([
      result('ruff', [finding('ruff', 'F401', 1, 'warning'), finding('ruff', 'E501', 3, 'info')]),
      result('pylint', [finding('pylint', 'W0611/unused-import', 2, 'warning'), finding('pylint', 'W0611/unused-import', 1, 'warning', 'b.py'), finding('pylint', 'C0114/missing-module-docstring', 3, 'info')]),
    ]);
    expect(merged.map((r) => r.findings.length)).toEqual([2, 3]);
  });

  it('leaves the results of linters that did not finish alone', () => {
    const failed: LinterResult = { ...result('mypy', []), status: 'error', message: 'mypy stopped' };
    expect(mergeEquivalentFindings([failed, result('ruff', [finding('ruff', 'F821', 1, 'error')])])[0]).toEqual(failed);
  });

  it('names each rule as its tool does (pylint by message id, ruff by code, mypy by error code)', () => {
    for (const row of EQUIVALENT_RULES) for (const rule of row) expect(rule).toMatch(/^(ruff:([A-Z]+[0-9]+|syntax-error)|pylint:[CRWEFI][0-9]{4}|mypy:[a-z-]+|eslint:.+)$/);
  });
});
