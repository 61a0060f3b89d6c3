/**
 * Short-lived access tokens (JWT, HS256 with jose) that both the command and the query side verify.
 * Each names its session (`sid`); a token of a revoked session (signed out, or its refresh token
 * reused) is refused from the moment this process learns of the revocation.
 */
import { SignJWT, jwtVerify } from 'jose';
import { InProcessEphemeral } from '@resoft/ports';
import { SessionRevocations } from './session-revocations.js';

export interface AuthenticatedUser {
  readonly id: string;
  readonly username: string;
}

const ISSUER = 'resoft';
const AUDIENCE = 'resoft-api';

const CACHE_LIMIT = 10_000;
/** Servers' clocks may differ a little: a revocation outlives the tokens' expiry by this much. */
const CLOCK_SKEW_MS = 60_000;

export interface VerifiedToken {
  readonly user: AuthenticatedUser;
  readonly sessionId: string;
  readonly expiresAtMs: number;
}

export class AccessTokens {
  /** Tokens already verified, until they expire: verifying a signature on every request costs more than the request. */
  private readonly verified = new Map<string, VerifiedToken>();

  /** `revocations` is shared by every process through the ephemeral store; by default it is this process's alone. */
  constructor(
    private readonly key: Uint8Array,
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
    readonly revocations: SessionRevocations = new SessionRevocations(new InProcessEphemeral(), { pollMs: 1000 }),
  ) {}

  /** Stops every access token of the session: until the last one issued could expire. */
  async revokeSession(sessionId: string): Promise<void> {
    await this.revocations.revoke(sessionId, this.now() + this.ttlSeconds * 1000 + CLOCK_SKEW_MS);
  }

  async issue(user: AuthenticatedUser, sessionId: string): Promise<string> {
    return new SignJWT({ username: user.username, sid: sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  /** Calls `listener` with each session this process learns is revoked (the gateway closes its sockets). */
  onSessionRevoked(listener: (sessionId: string) => void): () => void {
    return this.revocations.onRevoked(listener);
  }

  /** The user a valid token names, or null for a missing, forged or expired one. */
  async verify(token: string): Promise<AuthenticatedUser | null> {
    return (await this.verifyWithExpiry(token))?.user ?? null;
  }

  /** Like `verify`, with the moment the token expires (a long-lived connection closes then). */
  async verifyWithExpiry(token: string): Promise<VerifiedToken | null> {
    const verified = await this.verifySignature(token);
    return verified && !this.revocations.isRevoked(verified.sessionId) ? verified : null;
  }

  private async verifySignature(token: string): Promise<VerifiedToken | null> {
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.expiresAtMs > this.now()) return cached;
      this.verified.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], currentDate: new Date(this.now()) });
      const sessionId = payload['sid'];
      if (typeof payload.sub !== 'string' || typeof payload['username'] !== 'string' || typeof payload.exp !== 'number' || typeof sessionId !== 'string') return null;
      const user = { id: payload.sub, username: payload['username'] };
      if (this.verified.size >= CACHE_LIMIT) this.verified.delete(this.verified.keys().next().value!);
      const verified = { user, sessionId, expiresAtMs: payload.exp * 1000 };
      this.verified.set(token, verified);
      return verified;
    } catch {
      return null;
    }
  }
}
