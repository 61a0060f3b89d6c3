/** How the engine's refusals read at an edge (HTTP 400, CLI message): a code, a message and the fields at fault. */
import { UnsafePathError } from './paths.js';
import { TemplateVariablesError } from './variables.js';

export interface TemplateRefusal {
  readonly code: 'invalid_variables' | 'unsafe_path';
  readonly message: string;
  readonly fields: readonly { path: string; message: string }[];
}

/** The refusal for a user's input, or null when the error is not one (it is then a fault of ours). */
export function describeTemplateRefusal(error: unknown, fieldPrefix = 'variables'): TemplateRefusal | null {
  if (error instanceof TemplateVariablesError) {
    return { code: 'invalid_variables', message: error.message, fields: error.problems.map((p) => ({ path: `${fieldPrefix}.${p.field}`, message: p.message })) };
  }
  if (error instanceof UnsafePathError) return { code: 'unsafe_path', message: error.message, fields: [] };
  return null;
}
