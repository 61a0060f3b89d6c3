/**
 * One policy for inline suppressions, whatever the language: a comment that
 * silences a finding on its line or scope (`# noqa[: CODES]`,
 * `# type: ignore[codes]`, `# pylint: disable=…`, `// eslint-disable-line`,
 * `/* eslint-disable rule *\/` …) is honoured — the finding is not listed — and
 * counted: each linter's result says how many findings were suppressed, and
 * scoring v2 weighs them a little. Switches that stop a tool from looking at
 * a whole file (`# pylint: skip-file`, `# ruff: noqa`, `# flake8: noqa`,
 * `# mypy: ignore-errors` and other `# mypy:` inline configuration, a
 * file-level `# type: ignore`) and ESLint configuration comments
 * (`/* eslint rule: off *\/`) are not honoured: a file cannot switch its own
 * check off uncounted.
 *
 * How: pylint reports what it suppressed (`suppressed-message`); ESLint too
 * (`suppressedMessages`); ruff runs with `--ignore-noqa` and mypy with its
 * `type: ignore` comments neutralised, and their findings are then matched
 * against the comments here. Neutralising rewrites one character, so lines
 * and columns stay where they were.
 */

/** `# noqa` or `# noqa: E501, F401` on a line: null when none, [] when it names no code (all). */
export function noqaCodes(line: string): string[] | null {
  const match = /#\s*noqa(?::\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?/i.exec(line);
  if (!match) return null;
  if (/^#\s*(ruff|flake8)\s*:/i.test(line.trim())) return null; // a file-wide switch, not a line's
  return match[1] ? match[1].split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase()) : [];
}

/** `# type: ignore` or `# type: ignore[code, …]` on a line: null when none, [] when it names no code. */
export function typeIgnoreCodes(line: string): string[] | null {
  const match = /#\s*type\s*[:-]\s*ignore(?:\[([^\]]*)\])?/.exec(line);
  if (!match) return null;
  return match[1] ? match[1].split(',').map((c) => c.trim()).filter(Boolean) : [];
}

/** Whether a ruff finding with `code` on this line is suppressed by the line's `# noqa`. */
export function ruffSuppressed(code: string | null, line: string): boolean {
  const codes = noqaCodes(line);
  return codes !== null && code !== null && (codes.length === 0 || codes.includes(code));
}

/** Whether a mypy finding with `code` reported on this line is suppressed by the line's `# type: ignore`, as mypy itself would. */
export function mypySuppressed(code: string | null, line: string, lineNumber: number, firstCodeLine: number): boolean {
  if (lineNumber <= firstCodeLine && /^\s*#\s*type\s*[:-]\s*ignore/.test(line)) return false; // the file-wide form is not honoured
  const codes = typeIgnoreCodes(line);
  return codes !== null && (codes.length === 0 || (code !== null && codes.includes(code)));
}

/** The 1-based line of the first line that is not blank or a comment. */
export function firstCodeLine(content: string): number {
  const lines = content.split('\n');
  const index = lines.findIndex((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  return index < 0 ? lines.length : index + 1;
}

/** pylint's copy: `# pylint: skip-file` loses its colon, so pylint reads the file. */
export const neutralisePylintSwitches = (content: string): string => content.replace(/(#\s*pylint)(\s*):(\s*skip-file)/g, '$1$2 $3');

/** mypy's copy: `type: ignore` and `# mypy:` comments lose their colon (we apply the line-level ones ourselves afterwards). */
export const neutraliseMypySwitches = (content: string): string =>
  content.replace(/(#\s*type\s*):(\s*ignore)/g, '$1-$2').replace(/(#\s*mypy\s*):/g, '$1 ');

/**
 * ESLint's copy: configuration comments (`/* eslint no-undef: off *\/`) are made plain comments
 * (`eslint` upper-cased, which ESLint does not read as a directive); `eslint-disable…` / `eslint-enable`
 * directives stay, ESLint honours them and reports what they suppressed.
 */
export const neutraliseEslintConfigComments = (content: string): string =>
  content.replace(/\/\*(\s*)eslint(?=\s)/g, (_all, space: string) => `/*${space}ESLINT`);
