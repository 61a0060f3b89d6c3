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
 * Severity from the catalogue: ruff's category says how sure a finding is to be a defect (correctness: wrong
 * code → error; suspicious and security: likely wrong → warning; the rest are style, simplification or
 * pedantry → info). Rules ported from pylint (PLE/PLW/PLR/PLC) keep pylint's own category instead, so the
 * same rule weighs the same from either tool. A finding without a code is a syntax error.
 */
export function ruffSeverity(code: string | null, entry: RuffRuleEntry | undefined): Severity {
  if (code === null) return 'error';
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
