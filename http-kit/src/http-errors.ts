/**
 * The one place where failures become HTTP answers. Domain rejections, store
 * conflicts, validation errors and body-parser errors each map to their 4xx;
 * anything else is a 500 and is logged.
 */
import { ZodError } from 'zod';
import { DomainError, type RejectionKind } from '@resoft/domain';
import { WrongExpectedRevisionError } from '@resoft/ports';

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: readonly FieldProblem[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const statusOfKind: Record<RejectionKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
};

export function validationError(error: ZodError, where: 'body' | 'query' | 'params'): HttpError {
  const fields = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const summary = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  return new HttpError(400, 'validation_failed', `Invalid request: ${summary}`, fields);
}

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/** Maps anything thrown by a handler to an HttpError; null when it is an unexpected failure. */
export function toHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError) return new HttpError(statusOfKind[error.kind], error.code, error.message);
  if (error instanceof WrongExpectedRevisionError) {
    return new HttpError(409, 'concurrent_change', 'Someone else changed this at the same time; try again');
  }
  if (error instanceof ZodError) return validationError(error, 'body');
  const parserError = error as BodyParserError;
  switch (parserError?.type) {
    case 'entity.too.large':
      return new HttpError(413, 'body_too_large', `The request body is larger than the ${parserError.limit ?? ''} bytes allowed`.replace('  ', ' '));
    case 'entity.parse.failed':
      return new HttpError(400, 'malformed_json', 'The request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_encoding', 'The request body encoding is not supported');
    case 'request.aborted':
      return new HttpError(400, 'request_aborted', 'The request was aborted');
  }
  if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    return new HttpError(parserError.status, 'bad_request', (error as Error).message || 'Bad request');
  }
  return null;
}
