/** Short-lived access tokens (JWT, HS256 with jose) that both the command and the query side verify. */
import { SignJWT, jwtVerify } from 'jose';

export interface AuthenticatedUser {
  readonly id: string;
  readonly username: string;
}

const ISSUER = 'resoft';
const AUDIENCE = 'resoft-api';

const CACHE_LIMIT = 10_000;

export class AccessTokens {
  /** Tokens already verified, until they expire: verifying a signature on every request costs more than the request. */
  private readonly verified = new Map<string, { user: AuthenticatedUser; expiresAtMs: number }>();

  constructor(
    private readonly key: Uint8Array,
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

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

  /** The user a valid token names, or null for a missing, forged or expired one. */
  async verify(token: string): Promise<AuthenticatedUser | null> {
    return (await this.verifyWithExpiry(token))?.user ?? null;
  }

  /** Like `verify`, with the moment the token expires (a long-lived connection closes then). */
  async verifyWithExpiry(token: string): Promise<{ user: AuthenticatedUser; expiresAtMs: number } | null> {
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.expiresAtMs > this.now()) return cached;
      this.verified.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], currentDate: new Date(this.now()) });
      if (typeof payload.sub !== 'string' || typeof payload['username'] !== 'string' || typeof payload.exp !== 'number') return null;
      const user = { id: payload.sub, username: payload['username'] };
      if (this.verified.size >= CACHE_LIMIT) this.verified.delete(this.verified.keys().next().value!);
      const verified = { user, expiresAtMs: payload.exp * 1000 };
      this.verified.set(token, verified);
      return verified;
    } catch {
      return null;
    }
  }
}
