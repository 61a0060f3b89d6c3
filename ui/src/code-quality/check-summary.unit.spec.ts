import { checkHeadline, partialReasons } from './check-summary.js';

describe('summing up a check', () => {
  it('shows a complete check\'s score and grade', () => {
    expect(checkHeadline({ status: 'completed', score: 92.5, grade: 'A' })).toBe('Score 92.5 · grade A');
    expect(partialReasons({ status: 'completed', score: 92.5, grade: 'A' })).toEqual([]);
  });

  it('marks a partial check\'s score as partial and lists why', () => {
    const partial = { status: 'partial', score: 100, grade: 'B', incomplete: [{ linter: 'pylint', reason: 'timeout: pylint did not finish within 30000 ms and was stopped' }] };
    expect(checkHeadline(partial)).toBe('Partial score 100.0 · grade B (not every linter finished)');
    expect(partialReasons(partial)).toEqual(['pylint: timeout: pylint did not finish within 30000 ms and was stopped']);
  });

  it('says a check that has no score is failed, or still running', () => {
    expect(checkHeadline({ status: 'failed', score: null, grade: null })).toBe('Check failed');
    expect(checkHeadline({ status: 'running', score: null, grade: null })).toBe('Check running');
  });
});
