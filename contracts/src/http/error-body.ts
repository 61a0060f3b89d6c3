/** The body of every error answer of the HTTP API (4xx and 5xx): what went wrong, for people and for programs. */
import { z } from 'zod';

export const FieldProblem = z.object({
  path: z.string().describe('Where the problem is, e.g. `body.name` or `query.limit`'),
  message: z.string(),
});

export const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe('Stable, machine-readable, e.g. `validation_failed`, `project_not_found`'),
    message: z.string().describe('A sentence for people: what was wrong and, where it helps, what to do'),
    fields: z.array(FieldProblem).optional().describe('For `validation_failed`: each invalid field'),
    requestId: z.string().describe('Also in the X-Request-Id header; quote it when reporting a problem'),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
