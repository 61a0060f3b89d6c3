/** Short-lived access tokens (JWT, HS256 with jose) that both the command and the query side verify. */
import { SignJWT, jwtVerify } from 'jose';

export interface AuthenticatedUser {
  readonly id: string;
  readonly username: string;
}

const ISSUER = 'resoft';
const AUDIENCE = 'resoft-api';

export class AccessTokens {
  constructor(
    private readonly key: Uint8Array,
    readonly ttlSeconds: number,
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
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload['username'] !== 'string') return null;
      return { id: payload.sub, username: payload['username'] };
    } catch {
      return null;
    }
  }
}
