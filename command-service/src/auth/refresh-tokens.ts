/**
 * Refresh tokens are opaque strings `<sessionId>.<generation>.<secret>`; the
 * session stream keeps only the SHA-256 of the secret of the current generation.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface RefreshToken {
  readonly sessionId: string;
  readonly generation: number;
  readonly secret: string;
}

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function mintRefreshToken(sessionId: string, generation: number): { token: string; secretHash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${sessionId}.${generation}.${secret}`, secretHash: hashSecret(secret) };
}

export function parseRefreshToken(token: string): RefreshToken | null {
  const match = /^([0-9a-f-]{36})\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  return { sessionId: match[1]!, generation: Number(match[2]), secret: match[3]! };
}
