/**
 * Checks answers against a manifest's variables and fills in defaults. Input
 * may be typed JSON or text (a query string, `--var k=v`): integers and
 * booleans are read from text. Every problem names its field.
 */
import { kindOf, type TemplateManifest, type VariableSpec } from './manifest.js';
import type { Values } from './renderer.js';

export interface VariableProblem {
  readonly field: string;
  readonly message: string;
}

export class TemplateVariablesError extends Error {
  constructor(readonly problems: readonly VariableProblem[]) {
    super(`Invalid variables: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    this.name = 'TemplateVariablesError';
  }
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** Python's keywords (3.10–3.13): a package with one of these names cannot be imported. */
const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield',
]);

/** Whether `YYYY-MM-DD` names a day that exists (2026-02-31 does not). */
function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function formatProblem(format: 'python-package' | 'date' | undefined, raw: string): string | undefined {
  if (format === 'python-package') {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(raw)) return 'must be a Python identifier (letters, digits and _, not starting with a digit)';
    if (PYTHON_KEYWORDS.has(raw)) return `"${raw}" is a Python keyword, so the package could not be imported`;
  }
  if (format === 'date' && !isCalendarDate(raw)) return `"${raw}" is not a calendar date (YYYY-MM-DD)`;
  return undefined;
}

function check(spec: VariableSpec, raw: unknown): { value?: string | number | boolean; problem?: string } {
  switch (spec.type) {
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw };
      if (typeof raw === 'string' && TRUE.has(raw.toLowerCase())) return { value: true };
      if (typeof raw === 'string' && FALSE.has(raw.toLowerCase())) return { value: false };
      return { problem: 'must be true or false' };
    }
    case 'integer': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
      if (!Number.isSafeInteger(value)) return { problem: 'must be a whole number' };
      if (spec.minimum !== undefined && value < spec.minimum) return { problem: `must be at least ${spec.minimum}` };
      if (spec.maximum !== undefined && value > spec.maximum) return { problem: `must be at most ${spec.maximum}` };
      return { value };
    }
    case 'string': {
      if (typeof raw !== 'string') return { problem: 'must be text' };
      if (spec.enum) return spec.enum.includes(raw) ? { value: raw } : { problem: `must be one of ${spec.enum.join(', ')}` };
      if (raw.length > spec.maxLength) return { problem: `must be at most ${spec.maxLength} characters` };
      if (spec.minLength !== undefined && raw.length < spec.minLength) return { problem: `must be at least ${spec.minLength} characters` };
      if (spec.pattern !== undefined && !new RegExp(spec.pattern, 'u').test(raw)) return { problem: `must match ${spec.pattern}` };
      if (raw.includes('\0')) return { problem: 'must not contain NUL characters' };
      const meaning = formatProblem(spec.format, raw);
      if (meaning) return { problem: meaning };
      if (spec.reserved?.includes(raw)) return { problem: `"${raw}" would shadow a module the generated project imports; choose another name` };
      return { value: raw };
    }
  }
}

/** The complete, typed values for a render, or a TemplateVariablesError listing every problem. */
export function resolveVariables(manifest: TemplateManifest, input: Readonly<Record<string, unknown>>): Values {
  const { properties, required } = manifest.variables;
  const problems: VariableProblem[] = [];
  const values: Record<string, string | number | boolean> = {};
  for (const field of Object.keys(input)) {
    if (!Object.hasOwn(properties, field)) problems.push({ field, message: `is not a variable of template "${manifest.id}"` });
  }
  for (const [field, spec] of Object.entries(properties)) {
    const given = Object.hasOwn(input, field) ? input[field] : undefined;
    const missing = given === undefined || given === null || (given === '' && kindOf(spec) !== 'string');
    if (missing) {
      if (spec.default !== undefined) values[field] = spec.default;
      else if (required.includes(field)) problems.push({ field, message: 'is required' });
      continue;
    }
    if (given === '' && required.includes(field)) {
      problems.push({ field, message: 'is required' });
      continue;
    }
    const { value, problem } = check(spec, given);
    if (problem) problems.push({ field, message: problem });
    else if (value !== undefined) values[field] = value;
  }
  if (problems.length > 0) throw new TemplateVariablesError(problems);
  return values;
}

/** Reads `k=v` pairs (the CLI's `--var`) into an input object; a pair without `=` is a problem of that field. */
export function parseVariablePairs(pairs: readonly string[]): Record<string, string> {
  const input: Record<string, string> = {};
  const problems: VariableProblem[] = [];
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) problems.push({ field: pair, message: 'is not written as name=value' });
    else input[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  if (problems.length > 0) throw new TemplateVariablesError(problems);
  return input;
}
