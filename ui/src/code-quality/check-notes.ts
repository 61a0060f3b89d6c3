/**
 * What the checker page says about findings that are not listed as findings: those an inline
 * suppression comment hid (honoured, counted, weighed at 1 in formula v2), those merged into another
 * linter's finding of the same problem, and third-party modules the check could not resolve (never
 * weighed; declared or not in the requirements the check came with). See docs/code-quality.md.
 */

export interface LinterNotesInput {
  readonly linter: string;
  readonly suppressed?: number;
  readonly merged?: number;
  readonly notInstalled?: readonly { readonly module: string; readonly declared: boolean | null }[];
}

export interface FindingToolsInput {
  readonly tool: string;
  readonly ruleId: string;
  readonly alsoReportedBy?: readonly { readonly tool: string; readonly ruleId: string }[];
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** One line per kind of unlisted finding in one linter's result; empty when there is nothing to say. */
export function linterNotes(result: LinterNotesInput): string[] {
  const notes: string[] = [];
  if (result.suppressed) notes.push(`${plural(result.suppressed, 'finding', 'findings')} hidden by inline suppression comments (not listed; each still weighs in the score)`);
  if (result.merged) notes.push(`${plural(result.merged, 'finding', 'findings')} merged into another linter's finding of the same problem`);
  const missing = result.notInstalled ?? [];
  if (missing.length > 0) {
    const described = missing.map((m) => `${m.module}${m.declared === true ? ' (declared in the requirements)' : m.declared === false ? ' (not in the requirements)' : ''}`);
    notes.push(`Not installed where the check ran, so not resolved (never weighed): ${described.join(', ')}`);
  }
  return notes;
}

/** The check's total of suppressed findings, for its summary line. */
export const suppressedTotal = (results: readonly LinterNotesInput[]): number => results.reduce((sum, r) => sum + (r.suppressed ?? 0), 0);

/** "also reported by ruff F401" for a finding other linters reported too; null when only one did. */
export function alsoReportedText(finding: FindingToolsInput): string | null {
  const others = finding.alsoReportedBy ?? [];
  return others.length === 0 ? null : `also reported by ${others.map((o) => `${o.tool} ${o.ruleId}`).join(', ')}`;
}
