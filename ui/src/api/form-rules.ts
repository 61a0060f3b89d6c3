/**
 * Checks a value in the browser before anything is sent, from the same limits the API enforces
 * (a template variable's JSON Schema, the API's field bounds), with messages in plain words.
 * Returns null when the value is fine.
 */
import { describePattern } from './plain-messages.js';

export interface FieldRule {
  readonly type?: 'string' | 'integer' | 'boolean';
  readonly required?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly string[];
  /** A check of its own (an email, say): the message, or null. */
  readonly check?: (value: string) => string | null;
}

export function checkField(rule: FieldRule, raw: string | boolean): string | null {
  if (rule.type === 'boolean' || typeof raw === 'boolean') return null;
  const value = raw.trim();
  if (value === '') return rule.required ? 'Fill this in.' : null;
  if (rule.type === 'integer') {
    if (!/^-?\d+$/.test(value)) return 'Enter a whole number, like 8080.';
    const n = Number(value);
    if (rule.minimum !== undefined && n < rule.minimum) return `Use ${rule.minimum} or more.`;
    if (rule.maximum !== undefined && n > rule.maximum) return `Use ${rule.maximum} or less.`;
    return null;
  }
  if (rule.enum && !rule.enum.includes(value)) return `Choose one of ${rule.enum.join(', ')}.`;
  if (rule.minLength !== undefined && [...value].length < rule.minLength) return `Use at least ${rule.minLength} characters.`;
  if (rule.maxLength !== undefined && [...value].length > rule.maxLength) return `Use at most ${rule.maxLength} characters (now ${[...value].length}).`;
  if (rule.pattern !== undefined) {
    let matches = true;
    try {
      matches = new RegExp(rule.pattern, 'u').test(value);
    } catch {
      matches = true; // A pattern this browser cannot read is left to the server.
    }
    if (!matches) return describePattern(rule.pattern) ?? 'This is not in the expected form.';
  }
  return rule.check?.(value) ?? null;
}

/** The API's limits of the account fields (command-service auth schemas), for the register form. */
export const ACCOUNT_RULES: Record<'email' | 'username' | 'password', FieldRule> = {
  email: { required: true, maxLength: 254, check: (v) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? null : 'Enter an email address, like ann@example.com.') },
  username: {
    required: true, minLength: 3, maxLength: 40,
    check: (v) => (/^[a-zA-Z0-9_][a-zA-Z0-9_.-]*[a-zA-Z0-9_]$/.test(v) ? null : 'Use letters, digits, “_”, “.” and “-”, starting and ending with a letter, digit or “_”.'),
  },
  password: { required: true, minLength: 8, maxLength: 200 },
};
