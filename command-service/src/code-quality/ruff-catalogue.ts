/**
 * ruff's own rule catalogue (`ruff rule --all --output-format json`) and the
 * rule selection it really runs (`ruff check --isolated --show-settings`), read
 * once per process from the installed ruff: severities follow each rule's
 * catalogue entry, not its code's prefix, and the selection shown to users is
 * the one that runs (ruff 0.17's default selects some 400 rules, not the
 * "E4, E7, E9, F" of older releases).
 */
import type { Severity } from '@resoft/domain';

export interface RuffRuleEntry {
  readonly code: string;
  readonly linter: string;
  /** ruff's category: correctness, suspicious, security, performance, complexity, style, pedantic, formatting, restriction. */
  readonly category: string;
}

export interface RuffSelection {
  readonly rules: number;
  readonly linters: readonly string[];
}

/**
 * ruff's linters whose purpose is style, modernisation or simplification, not defects: their rules are info
 * whatever their category (pyupgrade files "remove quotes from an annotation" under correctness and
 * "use `list` instead of `typing.List`" under suspicious; neither is a defect).
 */
export const STYLE_LINTERS: ReadonlySet<string> = new Set([
  'pyupgrade', 'isort', 'pydocstyle', 'flynt', 'refurb', 'pep8-naming', 'flake8-quotes', 'flake8-commas', 'flake8-annotations',
  'flake8-future-annotations', 'flake8-type-checking', 'flake8-implicit-str-concat', 'flake8-use-pathlib', 'flake8-comprehensions',
  'flake8-return', 'Perflint',
]);

/**
 * Severity from the catalogue: the rule's linter first (a style or modernisation linter's rules are info;
 * rules ported from pylint, PLE/PLW/PLR/PLC, keep pylint's own category so the same rule weighs the same from
 * either tool), then ruff's category, which says how sure a finding is to be a defect (correctness: wrong
 * code → error; suspicious and security: likely wrong → warning; the rest are complexity, style or
 * pedantry → info). A finding without a code is a syntax error.
 */
export function ruffSeverity(code: string | null, entry: RuffRuleEntry | undefined): Severity {
  if (code === null) return 'error';
  if (entry && STYLE_LINTERS.has(entry.linter)) return 'info';
  if (entry?.linter === 'Pylint') {
    const letter = code.slice(2, 3);
    return letter === 'E' ? 'error' : letter === 'W' ? 'warning' : 'info';
  }
  switch (entry?.category) {
    case 'correctness': return 'error';
    case 'suspicious':
    case 'security': return 'warning';
    case undefined: return 'warning'; // a code this ruff's catalogue does not list: neither dismissed nor inflated
    default: return 'info';
  }
}

/** Parses `ruff rule --all --output-format json`. */
export function parseRuffCatalogue(json: string): Map<string, RuffRuleEntry> {
  const rules = JSON.parse(json) as { code?: string | null; linter?: string | null; category?: string | null }[];
  const catalogue = new Map<string, RuffRuleEntry>();
  for (const rule of rules) {
    if (rule.code) catalogue.set(rule.code, { code: rule.code, linter: rule.linter ?? 'unknown', category: rule.category ?? 'unknown' });
  }
  return catalogue;
}

/** Reads `linter.rules.enabled = [ name (CODE), … ]` of `ruff check --show-settings`, naming each rule's linter from the catalogue. */
export function parseRuffSelection(settings: string, catalogue: ReadonlyMap<string, RuffRuleEntry>): RuffSelection {
  const start = settings.indexOf('linter.rules.enabled = [');
  if (start < 0) return { rules: 0, linters: [] };
  const block = settings.slice(start, settings.indexOf(']', start));
  const codes = [...block.matchAll(/\(([A-Z]+[0-9]+)\)/g)].map((m) => m[1]!);
  const linters = [...new Set(codes.map((code) => catalogue.get(code)?.linter ?? 'unknown'))].sort();
  return { rules: codes.length, linters };
}
