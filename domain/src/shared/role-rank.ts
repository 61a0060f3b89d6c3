/** Project roles in the order of what they may do; no schema here, so the browser can use the rules without zod. */
export type ProjectRole = 'viewer' | 'editor' | 'owner';

const rank: Record<ProjectRole, number> = { viewer: 0, editor: 1, owner: 2 };

export const roleAtLeast = (role: ProjectRole | undefined, needed: ProjectRole): boolean =>
  role !== undefined && rank[role] >= rank[needed];
