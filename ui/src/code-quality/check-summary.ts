/**
 * How a finished check is summed up on the checker page: a complete check
 * shows its score and grade; a partial one (some linter timed out, crashed,
 * was killed or refused) says "partial" next to both and lists why, so its
 * score is never read as the full picture.
 */

export interface CheckSummaryInput {
  readonly status: string;
  readonly score: number | null;
  readonly grade: string | null;
  /** Absent in checks read from before partial checks existed. */
  readonly incomplete?: readonly { readonly linter: string; readonly reason: string }[];
}

/** Whether the check has a score to show: completed, or partial. */
export const isScored = (check: CheckSummaryInput): boolean => check.status === 'completed' || check.status === 'partial';

export const isPartial = (check: CheckSummaryInput): boolean => check.status === 'partial';

/** The heading of the result, e.g. "Score 92.5 · grade A" or "Partial score 100.0 · grade B (not every linter finished)". */
export function checkHeadline(check: CheckSummaryInput): string {
  if (!isScored(check)) return `Check ${check.status}`;
  const score = `${(check.score ?? 0).toFixed(1)} · grade ${check.grade ?? '—'}`;
  return isPartial(check) ? `Partial score ${score} (not every linter finished)` : `Score ${score}`;
}

/** One line per linter that did not finish cleanly, for a partial check. */
export const partialReasons = (check: CheckSummaryInput): string[] =>
  isPartial(check) ? (check.incomplete ?? []).map((i) => `${i.linter}: ${i.reason}`) : [];
