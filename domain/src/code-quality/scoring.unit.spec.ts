import { gradeOf, scoreCheck, scoreTool, scoringFormula, type ToolTally } from './scoring.js';

const tally = (linter: ToolTally['linter'], error: number, warning: number, info: number, codeLines: number, nativeScore: number | null = null): ToolTally =>
  ({ linter, counts: { error, warning, info }, codeLines, nativeScore });

const v1 = scoringFormula(1);

describe('the scoring formula, version 1', () => {
  it('scales pylint\'s own score to 100', () => {
    expect(scoreTool(tally('pylint', 1, 2, 3, 40, 7.25), v1)).toMatchObject({ score: 72.5, basis: 'native' });
    expect(scoreTool(tally('pylint', 0, 0, 0, 40, 10), v1)).toMatchObject({ score: 100 });
    expect(scoreTool(tally('pylint', 9, 0, 0, 40, 0), v1)).toMatchObject({ score: 0 });
  });

  it('scores other tools by weighted findings per code line: 100 − 100 × (5·errors + warnings + 0.5·infos) / lines', () => {
    // 5·1 + 2 + 0.5·2 = 8 over 100 lines → 92.
    expect(scoreTool(tally('ruff', 1, 2, 2, 100), v1)).toMatchObject({ score: 92, basis: 'density' });
    expect(scoreTool(tally('eslint', 0, 0, 0, 100), v1)).toMatchObject({ score: 100 });
    expect(scoreTool(tally('mypy', 3, 0, 0, 200), v1)).toMatchObject({ score: 92.5 });
  });

  it('never divides by fewer than 10 lines, so a snippet is not wiped out by one remark', () => {
    expect(scoreTool(tally('ruff', 0, 1, 0, 2), v1)).toMatchObject({ score: 90 });
  });

  it('never goes below 0', () => {
    expect(scoreTool(tally('mypy', 100, 0, 0, 10), v1)).toMatchObject({ score: 0 });
  });

  it('uses the density formula for pylint when pylint gave no score (its output was cut)', () => {
    expect(scoreTool(tally('pylint', 0, 5, 0, 100, null), v1)).toMatchObject({ score: 95, basis: 'density' });
  });

  it('averages the tools that ran, to one decimal, and records the version', () => {
    const score = scoreCheck([tally('pylint', 0, 0, 1, 30, 9.33), tally('ruff', 0, 1, 0, 30), tally('mypy', 1, 0, 0, 30)], v1)!;
    // 93.3, 96.7 (100 − 100/30), 83.3 (100 − 500/30) → 91.1
    expect(score.breakdown.map((t) => t.score)).toEqual([93.3, 96.7, 83.3]);
    expect(score).toMatchObject({ score: 91.1, grade: 'A', formulaVersion: 1, counts: { error: 1, warning: 1, info: 1 } });
  });

  it('has no score when no tool ran', () => {
    expect(scoreCheck([])).toBeNull();
  });

  it.each([
    [100, 'A'], [90, 'A'], [89.9, 'B'], [80, 'B'], [79.9, 'C'], [70, 'C'], [69.9, 'D'], [60, 'D'], [59.9, 'E'], [0, 'E'],
  ] as const)('grades %d as %s', (score, grade) => {
    expect(gradeOf(score, v1)).toBe(grade);
  });

  it('refuses a formula version that does not exist', () => {
    expect(() => scoringFormula(3)).toThrow(/No scoring formula version 3/);
  });

  it('grades a partial check at best B, keeping its score, and says which linters are missing', () => {
    const missing = [{ linter: 'pylint' as const, reason: 'timeout: pylint did not finish within 30000 ms and was stopped' }];
    expect(scoreCheck([tally('ruff', 0, 0, 0, 50)], scoringFormula(1), missing)).toMatchObject({ score: 100, grade: 'B', incomplete: missing });
    // A partial grade below B stays what it is.
    expect(scoreCheck([tally('ruff', 3, 0, 0, 50)], scoringFormula(1), missing)).toMatchObject({ score: 70, grade: 'C' });
    expect(scoreCheck([tally('ruff', 0, 0, 0, 50)], v1)).toMatchObject({ grade: 'A', incomplete: [] });
  });
});

describe('the scoring formula, version 2', () => {
  const v2 = scoringFormula(2);

  it('is the current formula, and version 1 stays readable for stored checks', () => {
    expect(scoringFormula().version).toBe(2);
    expect(scoreCheck([tally('ruff', 0, 1, 0, 30)], v1)).toMatchObject({ formulaVersion: 1, score: 96.7 });
  });

  it('pools every linter\'s findings over the checked lines, each file\'s lines counted once: 100 × exp(−penalty / lines)', () => {
    // penalty 5·3 + 2·1 + 0.25·4 = 18 over 100 lines → 100 × e^−0.18 = 83.5
    const score = scoreCheck([tally('pylint', 3, 0, 2, 100, 2), tally('ruff', 0, 1, 2, 100), tally('mypy', 0, 0, 0, 100)], v2)!;
    expect(score).toMatchObject({ score: 83.5, grade: 'B', formulaVersion: 2 });
    // ESLint's lines add to the Python files' lines: 18 over 200 → 91.4
    expect(scoreCheck([tally('pylint', 3, 0, 2, 100), tally('ruff', 0, 1, 2, 100), tally('eslint', 0, 0, 0, 100)], v2)!.score).toBe(91.4);
  });

  it('judges a short file as if it had 50 lines, so one remark does not decide its grade', () => {
    expect(scoreCheck([tally('eslint', 1, 0, 0, 10)], v2)!).toMatchObject({ score: 90.5, grade: 'A' });
  });

  it('ignores pylint\'s native per-statement score, so a docstring-only file is not wiped out', () => {
    // pylint says 5/10 (one convention over two statements); v2 sees one info finding in a short file.
    const score = scoreCheck([tally('pylint', 0, 0, 1, 4, 5), tally('ruff', 0, 0, 0, 4), tally('mypy', 0, 0, 0, 4)], v2)!;
    expect(score.score).toBe(99.5);
    expect(scoreCheck([tally('pylint', 0, 0, 1, 4, 5)], v1)!.score).toBe(50);
  });

  it('weighs suppressed findings, so suppressing everything does not turn E into A', () => {
    const clean = scoreCheck([{ ...tally('ruff', 0, 0, 0, 40), suppressed: 0 }], v2)!;
    const hidden = scoreCheck([{ ...tally('ruff', 0, 0, 0, 40), suppressed: 40 }], v2)!;
    expect(clean.grade).toBe('A');
    expect(hidden.score).toBeLessThan(60);
  });
});
