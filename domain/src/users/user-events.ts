/** Facts recorded in a `user-<id>` stream, and the claim streams that keep emails and usernames unique. */
import { createHash } from 'node:crypto';

export type UserEvent =
  | { type: 'UserRegistered'; data: { userId: string; email: string; username: string; displayName: string; passwordHash: string } }
  | { type: 'UserProfileUpdated'; data: { userId: string; displayName?: string; bio?: string; avatarUrl?: string } }
  | { type: 'UserSignedIn'; data: { userId: string; sessionId: string; userAgent?: string; ip?: string } };

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
/** Emails are hashed so the stream name does not spell the address out. */
export const emailClaimStreamId = (email: string): string =>
  `email-${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
export const usernameClaimStreamId = (username: string): string => `username-${username.toLowerCase()}`;

/** Fields of user events that no read API may ever return. */
export const SECRET_EVENT_FIELDS: readonly string[] = ['passwordHash', 'tokenHash'];
