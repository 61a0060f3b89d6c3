import { applyFilter, compareRuns, filterChoices, trendPoints, type QualityFinding } from './project-quality.js';

const finding = (ruleId: string, uri: string, extra: Partial<QualityFinding> = {}): QualityFinding => ({ tool: 'ruff', ruleId, severity: 'warning', message: `${ruleId} here`, uri, fingerprint: `${ruleId}:${uri}`, ...extra });

describe('the project quality view', () => {
  it('tells new findings since the previous run from fixed ones, by fingerprint', () => {
    const previous = [finding('F401', 'a.py'), finding('E501', 'a.py')];
    const latest = [finding('E501', 'a.py', { region: { startLine: 40 } }), finding('W291', 'b.py')];
    const { added, fixed } = compareRuns(latest, previous);
    expect([added.map((f) => f.ruleId), fixed.map((f) => f.ruleId)]).toEqual([['W291'], ['F401']]);
    expect(compareRuns(latest, null)).toEqual({ added: [], fixed: [] });
  });

  it('filters by severity, rule, file and linter, and offers the values present', () => {
    const all = [finding('F401', 'a.py', { severity: 'error' }), finding('E501', 'b.py'), finding('no-undef', 'c.js', { tool: 'eslint', severity: 'error' })];
    expect(applyFilter(all, { severity: 'error', rule: '', file: '', linter: '' }).map((f) => f.ruleId)).toEqual(['F401', 'no-undef']);
    expect(applyFilter(all, { severity: 'error', rule: '', file: '', linter: 'eslint' }).map((f) => f.ruleId)).toEqual(['no-undef']);
    expect(applyFilter(all, { severity: '', rule: 'E501', file: 'b.py', linter: '' }).map((f) => f.ruleId)).toEqual(['E501']);
    expect(filterChoices(all)).toEqual({ rules: ['E501', 'F401', 'no-undef'], files: ['a.py', 'b.py', 'c.js'], linters: ['eslint', 'ruff'] });
  });

  it('draws the score trend oldest left, 100 at the top', () => {
    expect(trendPoints([50, 100, 0], 200, 100)).toBe('0,50 100,0 200,100');
  });
});
