/**
 * Duplicates across linters: pylint, ruff and mypy overlap (ruff ports many
 * pylint and pyflakes rules, mypy and pylint both see undefined names), so
 * one problem can be reported two or three times. The table below is the
 * maintained list of rules that mean the same thing; a finding of a later
 * linter (in `MERGE_ORDER`) at the same file and line as an equivalent
 * finding of an earlier one is merged into it: one finding, every tool named
 * in `alsoReportedBy`, the higher severity, counted once. Add a row when two
 * tools are seen reporting the same problem (docs/code-quality.md lists it).
 */
import { SARIF_LEVEL, type Finding, type LinterName, type LinterResult, type Severity } from '@resoft/domain';

/** Each row: one problem, as `tool:rule` for every linter that reports it (pylint by message id, ruff by code, mypy by error code). */
export const EQUIVALENT_RULES: readonly (readonly string[])[] = [
  ['ruff:UP032', 'pylint:C0209'], // f-string instead of format
  ['ruff:B018', 'pylint:W0104'], // useless expression / pointless statement
  ['ruff:PLR1704', 'pylint:R1704'], // redefined argument from local
  ['ruff:F401', 'pylint:W0611'], // unused import
  ['ruff:F841', 'pylint:W0612'], // unused variable
  ['ruff:F821', 'pylint:E0602', 'mypy:name-defined'], // undefined name
  ['ruff:F811', 'pylint:W0404'], // reimported / redefined while unused
  ['ruff:F403', 'pylint:W0401'], // wildcard import
  ['ruff:F541', 'pylint:W1309'], // f-string without placeholders
  ['ruff:F632', 'pylint:R0123'], // is-literal / literal comparison
  ['ruff:F706', 'pylint:E0104'], // return outside function
  ['ruff:F704', 'pylint:E0105'], // yield outside function
  ['ruff:F701', 'pylint:E0103'], // break outside loop
  ['ruff:F702', 'pylint:E0103'], // continue outside loop
  ['ruff:E501', 'pylint:C0301'], // line too long
  ['ruff:E711', 'pylint:C0121'], // comparison to None
  ['ruff:E712', 'pylint:C0121'], // comparison to True/False
  ['ruff:E722', 'pylint:W0702'], // bare except
  ['ruff:E731', 'pylint:C3001'], // lambda assigned to a name
  ['ruff:B006', 'pylint:W0102'], // mutable default argument
  ['ruff:B904', 'pylint:W0707'], // raise without from inside except
  ['ruff:B012', 'pylint:W0150'], // return/break in finally
  ['ruff:BLE001', 'pylint:W0718'], // broad exception caught
  ['ruff:SIM115', 'pylint:R1732'], // open without a context manager
  ['ruff:S307', 'pylint:W0123'], // eval
  ['ruff:S102', 'pylint:W0122'], // exec
  ['ruff:PLW0603', 'pylint:W0603'], // global statement
  ['ruff:PLW0602', 'pylint:W0602'], // global variable not assigned
  ['ruff:PLW0120', 'pylint:W0120'], // else on a loop without break
  ['ruff:PLW0127', 'pylint:W0127'], // self-assigning variable
  ['ruff:PLR0124', 'pylint:R0124'], // comparison with itself
  ['ruff:PLR0911', 'pylint:R0911'], // too many return statements
  ['ruff:PLR0912', 'pylint:R0912'], // too many branches
  ['ruff:PLR0913', 'pylint:R0913'], // too many arguments
  ['ruff:PLR0915', 'pylint:R0915'], // too many statements
  ['ruff:PLC0415', 'pylint:C0415'], // import outside top level
  ['ruff:PLE0101', 'pylint:E0101'], // return in __init__
  ['ruff:PLE0102', 'pylint:E0102'], // function redefined
  ['ruff:PLE0116', 'pylint:E0116'], // continue in finally
  ['ruff:PLW1510', 'pylint:W1510'], // subprocess.run without check
  ['ruff:PLW1514', 'pylint:W1514'], // open without encoding
  ['ruff:PLW2901', 'pylint:R1704'], // loop variable overwritten (pylint reports it as redefined argument when it is one)
  ['ruff:UP008', 'pylint:R1725'], // super() with arguments
  ['ruff:UP004', 'pylint:R0205'], // useless object inheritance
  ['ruff:RET505', 'pylint:R1705'], // else after return
  ['ruff:RET506', 'pylint:R1720'], // else after raise
  ['ruff:RET507', 'pylint:R1724'], // else after continue
  ['ruff:RET508', 'pylint:R1723'], // else after break
  ['ruff:SIM108', 'pylint:R1706'], // ternary instead of and/or
  ['ruff:C408', 'pylint:R1735'], // dict() instead of {}
  ['ruff:E999', 'pylint:E0001', 'mypy:syntax'], // syntax error
  ['ruff:syntax-error', 'pylint:E0001', 'mypy:syntax'],
  ['pylint:E1101', 'mypy:attr-defined'], // no such attribute
  ['pylint:E1120', 'mypy:call-arg'], // missing / unexpected argument
  ['pylint:E1121', 'mypy:call-arg'],
  ['pylint:E1123', 'mypy:call-arg'],
  ['pylint:E1102', 'mypy:operator'], // not callable
  ['pylint:E0102', 'mypy:no-redef'], // redefinition
  ['pylint:W0101', 'mypy:unreachable'], // unreachable code
];

/** The order in which linters keep a merged finding: ruff's carry fixes, pylint's are more specific than mypy's. */
export const MERGE_ORDER: readonly LinterName[] = ['ruff', 'pylint', 'mypy', 'eslint'];

/** A finding's rule as the table writes it: pylint's message id without its symbol. */
const tableRule = (finding: Pick<Finding, 'tool' | 'ruleId'>): string => `${finding.tool}:${finding.tool === 'pylint' ? finding.ruleId.split('/')[0] : finding.ruleId}`;

/** Rule → the rows (problems) it belongs to (pylint E0103 is both break and continue outside a loop). */
const PROBLEMS_OF: ReadonlyMap<string, readonly number[]> = (() => {
  const map = new Map<string, number[]>();
  EQUIVALENT_RULES.forEach((row, index) => {
    for (const rule of row) map.set(rule, [...(map.get(rule) ?? []), index]);
  });
  return map;
})();

const RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

/**
 * Merges equivalent findings across the results of linters that finished `ok`. Each result's counts lose the
 * findings merged away (`merged` says how many); a kept finding takes the higher severity of the two.
 */
export function mergeEquivalentFindings(results: readonly LinterResult[]): LinterResult[] {
  const ordered = [...results].sort((a, b) => MERGE_ORDER.indexOf(a.linter) - MERGE_ORDER.indexOf(b.linter));
  const keptAt = new Map<string, { result: number; finding: number }>();
  const out = ordered.map((r) => ({ ...r, findings: [...r.findings], counts: { ...r.counts }, merged: r.merged ?? 0 }));
  out.forEach((result, r) => {
    if (result.status !== 'ok') return;
    const keep: Finding[] = [];
    for (const finding of result.findings) {
      const problems = PROBLEMS_OF.get(tableRule(finding)) ?? [];
      const keys = problems.map((p) => `${p}\u0000${finding.uri}\u0000${finding.region.startLine}`);
      const earlier = keys.map((key) => keptAt.get(key)).find((at) => at !== undefined && at.result !== r);
      if (!earlier) {
        for (const key of keys) if (!keptAt.has(key)) keptAt.set(key, { result: r, finding: keep.length });
        keep.push(finding);
        continue;
      }
      const owner = out[earlier.result]!;
      const kept = owner.findings[earlier.finding]!;
      const severity = RANK[finding.severity] > RANK[kept.severity] ? finding.severity : kept.severity;
      if (severity !== kept.severity) {
        owner.counts[kept.severity] -= 1;
        owner.counts[severity] += 1;
      }
      owner.findings[earlier.finding] = { ...kept, severity, level: SARIF_LEVEL[severity], alsoReportedBy: [...(kept.alsoReportedBy ?? []), { tool: finding.tool, ruleId: finding.ruleId }] };
      result.counts[finding.severity] = Math.max(0, result.counts[finding.severity] - 1);
      result.merged += 1;
    }
    result.findings = keep;
  });
  // Back in the order the linters were given.
  return results.map((original) => (original.status === 'ok' ? out.find((r) => r.linter === original.linter)! : original));
}
