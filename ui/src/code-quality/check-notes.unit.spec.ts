import { alsoReportedText, linterNotes, suppressedTotal } from './check-notes.js';

describe('what the checker says about findings it does not list', () => {
  it('counts suppressed and merged findings per linter, and says nothing when there are none', () => {
    expect(linterNotes({ linter: 'ruff' })).toEqual([]);
    expect(linterNotes({ linter: 'ruff', suppressed: 0, merged: 0, notInstalled: [] })).toEqual([]);
    expect(linterNotes({ linter: 'pylint', suppressed: 1, merged: 3 })).toEqual([
      '1 finding hidden by inline suppression comments (not listed; each still weighs in the score)',
      "3 findings merged into another linter's finding of the same problem",
    ]);
  });

  it('names modules that were not installed, with whether the requirements declare them', () => {
    expect(linterNotes({ linter: 'pylint', notInstalled: [{ module: 'requests', declared: true }, { module: 'yaml', declared: false }, { module: 'numpy', declared: null }] })).toEqual([
      'Not installed where the check ran, so not resolved (never weighed): requests (declared in the requirements), yaml (not in the requirements), numpy',
    ]);
  });

  it('adds up suppressed findings over the linters, results from before suppressions were counted included', () => {
    expect(suppressedTotal([{ linter: 'pylint', suppressed: 2 }, { linter: 'ruff' }, { linter: 'mypy', suppressed: 1 }])).toBe(3);
  });

  it('names the other linters that reported a merged finding', () => {
    expect(alsoReportedText({ tool: 'pylint', ruleId: 'W0611' })).toBeNull();
    expect(alsoReportedText({ tool: 'pylint', ruleId: 'W0611', alsoReportedBy: [{ tool: 'ruff', ruleId: 'F401' }] })).toBe('also reported by ruff F401');
  });
});
