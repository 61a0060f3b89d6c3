/** Answers of the sign-up, sign-in, token and profile routes. */
import { z } from 'zod';
import { Position, Timestamp } from '../http/written.js';

export const SignedInUser = z.object({ id: z.string(), email: z.string(), username: z.string(), displayName: z.string() });

export const Registered = z.object({ user: SignedInUser, position: Position });

const Tokens = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string().describe('Send as `Authorization: Bearer <token>`'),
  expiresIn: z.number().int().describe('Seconds until the access token expires'),
  refreshToken: z.string().describe('Exchange at /api/auth/refresh for new tokens; each is used once'),
  position: Position,
});

export const SignedIn = Tokens.extend({ user: SignedInUser });
export const Refreshed = Tokens;

/** Your profile as the users read model holds it. */
export const Profile = z.object({
  id: z.string(),
  email: z.string(),
  username: z.string(),
  displayName: z.string(),
  bio: z.string(),
  avatarUrl: z.string().nullable(),
  createdAt: Timestamp,
  lastSignInAt: Timestamp.nullable(),
  erased: z.boolean().optional(),
});
