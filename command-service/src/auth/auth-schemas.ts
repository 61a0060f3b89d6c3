/** Bodies of the auth endpoints. */
import { toNfc, unsafeCharacterProblem } from '@resoft/domain';
import { z } from 'zod';

/** Shown to every member: NFC, and nothing that disguises it (bidi controls, separators, control characters). */
export const displayNameSchema = z
  .string()
  .transform((name) => toNfc(name).trim())
  .superRefine((name, ctx) => {
    const unsafe = unsafeCharacterProblem(name);
    if (unsafe) ctx.addIssue({ code: 'custom', message: unsafe });
  })
  .pipe(z.string().min(1, 'must not be empty').max(80, 'must be at most 80 characters'));

/** Loaded by every member's browser: https only (never http, javascript: or data:). */
export const avatarUrlSchema = z.url({ protocol: /^https$/, message: 'must be an https:// URL' }).max(500);

export const usernameSchema = z
  .string()
  .min(3, 'must be at least 3 characters')
  .max(40, 'must be at most 40 characters')
  .regex(/^[a-zA-Z0-9_][a-zA-Z0-9_.-]*[a-zA-Z0-9_]$/, 'may use letters, digits, "_", "." and "-", and must start and end with a letter, digit or "_"');

export const emailSchema = z.email('must be an email address').max(254);

export const registerBody = z.strictObject({
  email: emailSchema,
  username: usernameSchema,
  password: z.string().min(8, 'must be at least 8 characters').max(200, 'must be at most 200 characters'),
  displayName: displayNameSchema.optional(),
});

export const loginBody = z.strictObject({
  email: emailSchema,
  password: z.string().min(1).max(200),
});

export const refreshBody = z.strictObject({ refreshToken: z.string().min(1).max(200) });

export const profileBody = z
  .strictObject({
    displayName: displayNameSchema.optional(),
    bio: z.string().max(500).optional(),
    avatarUrl: avatarUrlSchema.optional(),
  })
  .refine((b) => b.displayName !== undefined || b.bio !== undefined || b.avatarUrl !== undefined, 'give at least one of displayName, bio or avatarUrl');
