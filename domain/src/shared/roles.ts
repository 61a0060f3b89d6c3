/** Project roles, ordered by what they may do. */
import { z } from 'zod';

export const projectRoleSchema = z.enum(['viewer', 'editor', 'owner']);
export type ProjectRole = z.infer<typeof projectRoleSchema>;

const rank: Record<ProjectRole, number> = { viewer: 0, editor: 1, owner: 2 };

export const roleAtLeast = (role: ProjectRole | undefined, needed: ProjectRole): boolean =>
  role !== undefined && rank[role] >= rank[needed];
