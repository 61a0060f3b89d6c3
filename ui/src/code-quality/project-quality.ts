/** What the project quality page computes from two check reports: findings new since the previous run and those fixed by the latest, and the filters' choices. */

export interface QualityFinding {
  readonly tool: string;
  readonly ruleId: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly uri: string;
  readonly region?: { readonly startLine: number };
  /** Rule + file + normalised line text (the API's): the same finding keeps it when lines move. */
  readonly fingerprint?: string;
}

export interface FindingFilter {
  readonly severity: string;
  readonly rule: string;
  readonly file: string;
  readonly linter: string;
}

export const NO_FILTER: FindingFilter = { severity: '', rule: '', file: '', linter: '' };

const keyOf = (f: QualityFinding): string => f.fingerprint ?? `${f.tool}|${f.ruleId}|${f.uri}|${f.message}`;

/** Findings of `latest` that `previous` did not have, and those of `previous` that are gone. */
export function compareRuns(latest: readonly QualityFinding[], previous: readonly QualityFinding[] | null): { added: QualityFinding[]; fixed: QualityFinding[] } {
  if (!previous) return { added: [], fixed: [] };
  const before = new Set(previous.map(keyOf));
  const now = new Set(latest.map(keyOf));
  return { added: latest.filter((f) => !before.has(keyOf(f))), fixed: previous.filter((f) => !now.has(keyOf(f))) };
}

export function applyFilter(findings: readonly QualityFinding[], filter: FindingFilter): QualityFinding[] {
  return findings.filter((f) => (!filter.severity || f.severity === filter.severity) && (!filter.rule || f.ruleId === filter.rule) && (!filter.file || f.uri === filter.file) && (!filter.linter || f.tool === filter.linter));
}

/** The distinct values each filter can take, sorted. */
export function filterChoices(findings: readonly QualityFinding[]): { rules: string[]; files: string[]; linters: string[] } {
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  return { rules: sorted(findings.map((f) => f.ruleId)), files: sorted(findings.map((f) => f.uri)), linters: sorted(findings.map((f) => f.tool)) };
}

/** Points of a score line in a `width`×`height` box (scores 0–100, oldest left). */
export function trendPoints(scores: readonly number[], width: number, height: number): string {
  if (scores.length === 0) return '';
  const step = scores.length === 1 ? 0 : width / (scores.length - 1);
  return scores.map((s, i) => `${Math.round(i * step * 10) / 10},${Math.round((height - (Math.max(0, Math.min(100, s)) / 100) * height) * 10) / 10}`).join(' ');
}
