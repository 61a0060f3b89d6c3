import { eslintSeverity } from './eslint-severity.js';

describe("ESLint severities, from each rule's own metadata", () => {
  it('makes recommended problems errors and everything else less, instead of every finding an error', () => {
    expect(eslintSeverity({ fatal: false, type: 'problem', recommended: true })).toBe('error');
    expect(eslintSeverity({ fatal: false, type: 'problem', recommended: false })).toBe('warning');
    expect(eslintSeverity({ fatal: false, type: 'suggestion', recommended: true })).toBe('warning');
    expect(eslintSeverity({ fatal: false, type: 'suggestion', recommended: false })).toBe('info');
    expect(eslintSeverity({ fatal: false, type: 'layout', recommended: true })).toBe('info');
  });

  it('makes a parse error an error', () => {
    expect(eslintSeverity({ fatal: true, type: null, recommended: false })).toBe('error');
  });
});
