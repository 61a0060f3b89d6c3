/**
 * A rejected command. The kind says how the edge should answer; the HTTP
 * layer maps kinds to status codes in one place.
 */
export type RejectionKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict';

export class DomainError extends Error {
  constructor(
    readonly kind: RejectionKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const reject = (kind: RejectionKind, code: string, message: string): never => {
  throw new DomainError(kind, code, message);
};
