/** Bodies and path parameters of the project endpoints. */
import { z } from 'zod';
import { projectRoleSchema } from '@resoft/domain';
import { uuidSchema } from '@resoft/http-kit';

export const projectParams = z.object({ projectId: uuidSchema });
export const memberParams = z.object({ projectId: uuidSchema, userId: uuidSchema });

export const createProjectBody = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(120),
  description: z.string().max(2000).default(''),
});

export const updateProjectBody = z
  .strictObject({ name: z.string().trim().min(1).max(120).optional(), description: z.string().max(2000).optional() })
  .refine((b) => b.name !== undefined || b.description !== undefined, 'give a name or a description');

/** A member is named by exactly one of user id, username or email. */
export const addMemberBody = z
  .strictObject({
    userId: uuidSchema.optional(),
    username: z.string().min(1).max(40).optional(),
    email: z.email().max(254).optional(),
    role: projectRoleSchema.default('editor'),
  })
  .refine((b) => [b.userId, b.username, b.email].filter((v) => v !== undefined).length === 1, 'name the member by exactly one of userId, username or email');

export const changeRoleBody = z.strictObject({ role: projectRoleSchema });

export const milestoneBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(''),
});
