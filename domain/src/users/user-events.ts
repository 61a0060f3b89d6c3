/** Facts recorded in a `user-<id>` stream, and the claim streams that keep emails and usernames unique. */
import { createHash } from 'node:crypto';

export type UserEvent =
  | { type: 'UserRegistered'; data: { userId: string; email: string; username: string; displayName: string; passwordHash: string } }
  | { type: 'UserProfileUpdated'; data: { userId: string; displayName?: string; bio?: string; avatarUrl?: string } }
  | { type: 'UserSignedIn'; data: { userId: string; sessionId: string; userAgent?: string; ip?: string } }
  /** The user's data key was destroyed: their sealed personal data reads as "erased user" from now on. Holds no personal data. */
  | { type: 'UserErased'; data: { userId: string; erasedBy: 'self' | 'admin' } };

/** A claim stream's events: the value now belongs to this user, or was given back (a registration that failed half-way). */
export interface UniqueValueClaimed {
  type: 'UniqueValueClaimed';
  data: { userId: string };
}

export interface UniqueValueReleased {
  type: 'UniqueValueReleased';
  data: { userId: string };
}

export const userStreamId = (userId: string): string => `user-${userId}`;
/**
 * Claim streams before erasure existed (read only, for values claimed then): the email's plain SHA-256 and the
 * username in clear. New claims go to `keyedClaimStreamId`.
 */
export const emailClaimStreamId = (email: string): string =>
  `email-${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
export const usernameClaimStreamId = (username: string): string => `username-${username.toLowerCase()}`;
/** A claim stream named by a keyed hash (HMAC with a server secret) of the value, so the name reveals nothing that a dictionary could undo. */
export const keyedClaimStreamId = (kind: 'email' | 'username', keyedHashHex: string): string => `${kind}-${keyedHashHex}`;

/** Fields of user events that no read API may ever return. */
export const SECRET_EVENT_FIELDS: readonly string[] = ['passwordHash', 'tokenHash'];
