/** Project roles, ordered by what they may do: the schema for input, the order in role-rank.ts. */
import { z } from 'zod';
import type { ProjectRole } from './role-rank.js';

export { roleAtLeast, type ProjectRole } from './role-rank.js';

export const projectRoleSchema = z.enum(['viewer', 'editor', 'owner'] as const satisfies readonly ProjectRole[]);
