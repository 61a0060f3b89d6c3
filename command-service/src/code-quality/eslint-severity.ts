/**
 * Severity of an ESLint message from its rule's own metadata, not from how
 * our configuration turned the rule on (every recommended rule is configured
 * "error", which made every finding an error): `meta.type` problem (code that
 * is wrong or will behave unexpectedly) in the recommended set → error, other
 * problems → warning; suggestion → warning when recommended, else info;
 * layout → info. A parse error (fatal) is an error.
 */
import type { Severity } from '@resoft/domain';

export interface EslintRuleKind {
  readonly fatal: boolean;
  /** `meta.type` of the rule, null when the message has no rule. */
  readonly type: 'problem' | 'suggestion' | 'layout' | null;
  readonly recommended: boolean;
}

export function eslintSeverity(kind: EslintRuleKind): Severity {
  if (kind.fatal) return 'error';
  switch (kind.type) {
    case 'problem': return kind.recommended ? 'error' : 'warning';
    case 'suggestion': return kind.recommended ? 'warning' : 'info';
    case 'layout': return 'info';
    default: return 'warning';
  }
}
