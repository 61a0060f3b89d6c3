/**
 * The vocabulary of code-quality checks: languages, linters, and the one
 * finding record every tool's output is turned into (SARIF 2.1.0 shaped:
 * rule id, level, message, region, rule documentation, fixes, fingerprint).
 */
import { z } from 'zod';

export const languageSchema = z.enum(['python', 'javascript', 'typescript']);
export type Language = z.infer<typeof languageSchema>;

export const linterNameSchema = z.enum(['pylint', 'mypy', 'ruff', 'eslint']);
export type LinterName = z.infer<typeof linterNameSchema>;

/** Which linters read which language, and so which run when none are named. */
export const LINTERS_BY_LANGUAGE: Readonly<Record<Language, readonly LinterName[]>> = {
  python: ['pylint', 'mypy', 'ruff'],
  javascript: ['eslint'],
  typescript: ['eslint'],
};

export const languagesOfLinter = (linter: LinterName): Language[] =>
  languageSchema.options.filter((language) => LINTERS_BY_LANGUAGE[language].includes(linter));

/** ResoftAI's three groups: 错误 error, 警告 warning, 信息 info. */
export type Severity = 'error' | 'warning' | 'info';
/** SARIF's level for each severity. */
export const SARIF_LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { error: 'error', warning: 'warning', info: 'note' };

/** Lines and columns count from 1; `endColumn` is the column after the last character (SARIF). */
export interface Region {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface FixReplacement {
  readonly region: Region;
  readonly insertedText: string;
}

export interface Fix {
  readonly description: string;
  readonly replacements: readonly FixReplacement[];
}

export interface Finding {
  readonly tool: LinterName;
  readonly ruleId: string;
  readonly level: 'error' | 'warning' | 'note';
  readonly severity: Severity;
  readonly message: string;
  /** The file's path as submitted. */
  readonly uri: string;
  readonly region: Region;
  readonly helpUri: string | null;
  readonly fixes: readonly Fix[];
  /** Rule + file + normalised line text: stable when lines move, so "new since last run" survives edits above. */
  readonly fingerprint: string;
  /** Other linters that reported the same problem at the same place (merged into this one finding, see rule-equivalence.ts). */
  readonly alsoReportedBy?: readonly { readonly tool: LinterName; readonly ruleId: string }[];
}

export interface SeverityCounts {
  readonly error: number;
  readonly warning: number;
  readonly info: number;
}

export const countBySeverity = (findings: readonly Pick<Finding, 'severity'>[]): SeverityCounts => {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
};

export const addCounts = (a: SeverityCounts, b: SeverityCounts): SeverityCounts =>
  ({ error: a.error + b.error, warning: a.warning + b.warning, info: a.info + b.info });

/** A submitted file; a project file says which file and version it is. */
export interface CheckFile {
  readonly path: string;
  readonly content: string;
  readonly origin?: { readonly fileId: string; readonly version: number };
  /** Part of the project tree the linters see (imports resolve against it) but not checked: no findings, no score. */
  readonly context?: boolean;
}
