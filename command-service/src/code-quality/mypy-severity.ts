/**
 * Severity of a mypy report from its error code, following mypy's own list:
 * codes enabled by default report type errors (error), the optional checks and
 * the "needs an annotation" family are advice (warning), notes are info.
 * https://mypy.readthedocs.io/en/stable/error_code_list.html and error_code_list2.html
 */
import type { Severity } from '@resoft/domain';

/** mypy's optional checks (error_code_list2) plus default codes that ask for an annotation rather than report a wrong type. */
const ADVICE_CODES: ReadonlySet<string> = new Set([
  'var-annotated', 'no-untyped-def', 'no-untyped-call', 'type-arg', 'no-any-return', 'no-any-unimported', 'redundant-cast', 'redundant-self',
  'comparison-overlap', 'unused-ignore', 'ignore-without-code', 'unused-awaitable', 'unreachable', 'redundant-expr', 'possibly-undefined',
  'truthy-bool', 'truthy-iterable', 'str-format', 'str-bytes-safe', 'explicit-override', 'mutable-override', 'unimported-reveal', 'deprecated',
  'exhaustive-match', 'untyped-decorator', 'annotation-unchecked', 'empty-body',
]);

export function mypySeverity(code: string | null, level: string): Severity {
  if (level !== 'error') return 'info';
  if (code !== null && ADVICE_CODES.has(code)) return 'warning';
  return 'error';
}
