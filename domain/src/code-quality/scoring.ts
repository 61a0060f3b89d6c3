/**
 * The score of a check, 0–100, and its grade A–E. The formula is versioned
 * data: each completed check records the version that scored it, so a later
 * formula never rewrites an old result.
 *
 * Version 1:
 * - pylint: pylint's own evaluation scaled to 100, i.e.
 *   `10 × max(0, 10 − (5·error + warning + refactor + convention) / statements × 10)`, 0 on a fatal;
 * - mypy, ruff, eslint: `max(0, 100 − 100 × (5·errors + 1·warnings + 0.5·infos) / max(10, code lines))`,
 *   code lines being the non-blank lines of the files the tool read;
 * - the check: the mean of the scores of the tools that ran, rounded to one decimal;
 * - grade: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else E.
 *
 * Version 2 (calibrated on the reference corpus, docs/code-quality.md):
 * - penalty = 5·error + 2·warning + 0.25·info + 1·suppressed, over the findings that remain after duplicates across
 *   linters were merged (one problem reported by ruff and pylint counts once) — a suppression comment hides a finding
 *   from the list but not from the score entirely;
 * - lines = the non-blank lines of the checked files (each file once, however many linters read it), at least 50,
 *   so one remark does not decide a short module's grade;
 * - score = 100 × exp(−k × penalty / lines), k = 1: no native pylint score (its per-statement ratio made a
 *   docstring-only file the worst of any sample), the same curve for every linter, and a curve instead of a line so
 *   one more finding in a dense file costs less than the first in a clean one;
 * - each linter's score in the breakdown uses the same curve over its own findings; grades as in version 1.
 *
 * A partial check (a requested linter timed out, crashed, was killed, was
 * refused or unavailable, or its output was cut) is scored from the tools
 * that finished, says which did not and why, and its grade is at best B:
 * what was not looked at cannot earn an A.
 */
import type { LinterName, SeverityCounts } from './check-model.js';

export type Grade = 'A' | 'B' | 'C' | 'D' | 'E';

export interface ScoringFormula {
  readonly version: number;
  /** 'per-linter-mean' (v1: pylint's native score, a line per other linter, the mean); 'pooled-exponential' (v2). */
  readonly kind: 'per-linter-mean' | 'pooled-exponential';
  /** v2: what each suppressed finding weighs. */
  readonly suppressedWeight: number;
  /** v2: the steepness k of `100 × exp(−k × penalty / lines)`. */
  readonly steepness: number;
  readonly weights: { readonly error: number; readonly warning: number; readonly info: number };
  /** The density formula never divides by fewer lines than this, so a 3-line snippet is not wiped out by one remark. */
  readonly minLines: number;
  /** Lowest score of each grade, best first; anything lower is E. */
  readonly grades: readonly (readonly [Exclude<Grade, 'E'>, number])[];
}

export const SCORING_FORMULAS: Readonly<Record<number, ScoringFormula>> = {
  1: { version: 1, kind: 'per-linter-mean', weights: { error: 5, warning: 1, info: 0.5 }, suppressedWeight: 0, steepness: 0, minLines: 10, grades: [['A', 90], ['B', 80], ['C', 70], ['D', 60]] },
  2: { version: 2, kind: 'pooled-exponential', weights: { error: 5, warning: 2, info: 0.25 }, suppressedWeight: 1, steepness: 1, minLines: 50, grades: [['A', 90], ['B', 80], ['C', 70], ['D', 60]] },
};
export const CURRENT_SCORING_VERSION = 2;

export function scoringFormula(version: number = CURRENT_SCORING_VERSION): ScoringFormula {
  const formula = SCORING_FORMULAS[version];
  if (!formula) throw new Error(`No scoring formula version ${version}`);
  return formula;
}

/** What a tool's run contributes to scoring: counts before any truncation. */
export interface ToolTally {
  readonly linter: LinterName;
  readonly counts: SeverityCounts;
  readonly codeLines: number;
  /** pylint's own score out of 10, when it gave one. */
  readonly nativeScore: number | null;
  /** Findings hidden by inline suppressions (0 when unknown). */
  readonly suppressed?: number;
}

export interface ToolScore {
  readonly linter: LinterName;
  readonly score: number;
  readonly counts: SeverityCounts;
  readonly basis: 'native' | 'density';
}

/** A requested linter whose findings are missing or incomplete, and why. */
export interface IncompleteLinter {
  readonly linter: LinterName;
  readonly reason: string;
}

export interface CheckScore {
  readonly score: number;
  readonly grade: Grade;
  readonly formulaVersion: number;
  readonly breakdown: readonly ToolScore[];
  readonly counts: SeverityCounts;
  /** Not empty for a partial check. Absent from checks completed before partial checks existed (they read as complete). */
  readonly incomplete?: readonly IncompleteLinter[];
}

/** The best grade a partial check can have. */
export const PARTIAL_GRADE_CAP: Grade = 'B';

const GRADE_ORDER: readonly Grade[] = ['A', 'B', 'C', 'D', 'E'];
const atBest = (grade: Grade, cap: Grade): Grade => (GRADE_ORDER.indexOf(grade) < GRADE_ORDER.indexOf(cap) ? cap : grade);

const round1 = (value: number): number => Math.round(value * 10) / 10;
const clamp = (value: number): number => Math.min(100, Math.max(0, value));

const penaltyOf = (tally: ToolTally, formula: ScoringFormula): number =>
  formula.weights.error * tally.counts.error + formula.weights.warning * tally.counts.warning + formula.weights.info * tally.counts.info
  + formula.suppressedWeight * (tally.suppressed ?? 0);

const exponentialScore = (penalty: number, lines: number, formula: ScoringFormula): number =>
  round1(clamp(100 * Math.exp((-formula.steepness * penalty) / Math.max(formula.minLines, lines))));

/** Lines of the checked files, each counted once: the Python linters read the same files, so their largest count. */
function pooledLines(tallies: readonly ToolTally[]): number {
  const python = tallies.filter((t) => t.linter !== 'eslint').reduce((most, t) => Math.max(most, t.codeLines), 0);
  const script = tallies.filter((t) => t.linter === 'eslint').reduce((most, t) => Math.max(most, t.codeLines), 0);
  return python + script;
}

export function scoreTool(tally: ToolTally, formula: ScoringFormula = scoringFormula()): ToolScore {
  if (formula.kind === 'pooled-exponential') {
    return { linter: tally.linter, score: exponentialScore(penaltyOf(tally, formula), tally.codeLines, formula), counts: tally.counts, basis: 'density' };
  }
  if (tally.linter === 'pylint' && tally.nativeScore !== null) {
    return { linter: tally.linter, score: round1(clamp(tally.nativeScore * 10)), counts: tally.counts, basis: 'native' };
  }
  const { weights } = formula;
  const penalty = weights.error * tally.counts.error + weights.warning * tally.counts.warning + weights.info * tally.counts.info;
  const score = clamp(100 - (100 * penalty) / Math.max(formula.minLines, tally.codeLines));
  return { linter: tally.linter, score: round1(score), counts: tally.counts, basis: 'density' };
}

export function gradeOf(score: number, formula: ScoringFormula = scoringFormula()): Grade {
  for (const [grade, lowest] of formula.grades) if (score >= lowest) return grade;
  return 'E';
}

/** Scores a check from the tools that ran; null when none did. With `incomplete` linters the check is partial: grade at best B. */
export function scoreCheck(tallies: readonly ToolTally[], formula: ScoringFormula = scoringFormula(), incomplete: readonly IncompleteLinter[] = []): CheckScore | null {
  if (tallies.length === 0) return null;
  const breakdown = tallies.map((tally) => scoreTool(tally, formula));
  const score = formula.kind === 'pooled-exponential'
    ? exponentialScore(tallies.reduce((sum, t) => sum + penaltyOf(t, formula), 0), pooledLines(tallies), formula)
    : round1(breakdown.reduce((sum, tool) => sum + tool.score, 0) / breakdown.length);
  const counts = tallies.reduce((sum, t) => ({ error: sum.error + t.counts.error, warning: sum.warning + t.counts.warning, info: sum.info + t.counts.info }), { error: 0, warning: 0, info: 0 });
  const grade = incomplete.length > 0 ? atBest(gradeOf(score, formula), PARTIAL_GRADE_CAP) : gradeOf(score, formula);
  return { score, grade, formulaVersion: formula.version, breakdown, counts, incomplete: [...incomplete] };
}
