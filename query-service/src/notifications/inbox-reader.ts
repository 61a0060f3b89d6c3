/**
 * Reads a user's inbox from the notifications read model: newest first, whether each is read (by
 * id, or at or before the user's "read up to" position), and the unread count. Notifications about a
 * project the user is no longer a member of are left out, as every project read is.
 */
import { ReadModels, memberDocId, type InboxStateView, type NotificationView, type ProjectMemberView, type ProjectView, type UserView, TitleSlots } from '@resoft/projectors';
import type { QueryServiceDeps } from '../query-service-deps.js';

export type InboxEntry = Omit<NotificationView, 'userId'> & { readonly projectName: string | null };

export interface InboxPage {
  readonly items: readonly InboxEntry[];
  readonly unread: number;
  /** Cursor for older entries, or null at the end. */
  readonly nextBefore: number | null;
  /** The newest position in the inbox: what "mark all read" sends back. */
  readonly latestPosition: number;
}

export interface InboxQuery {
  readonly unreadOnly: boolean;
  readonly before?: number | undefined;
  readonly after?: number | undefined;
  readonly limit: number;
}

/** Unread entries beyond this many are counted as this many ("99+"): counting is per request. */
const UNREAD_COUNT_CAP = 100;

export async function readInbox(deps: Pick<QueryServiceDeps, 'readStore'>, userId: string, query: InboxQuery): Promise<InboxPage> {
  const { readStore } = deps;
  const readUpTo = (await readStore.get<InboxStateView>(ReadModels.inboxStates, userId))?.readUpTo ?? 0;
  const position = { ...(query.before !== undefined ? { $lt: query.before } : {}), ...(query.after !== undefined ? { $gt: query.after } : {}) };
  const unreadPosition = { ...position, $gt: Math.max(readUpTo, query.after ?? 0) };
  const page = await readStore.find<NotificationView>(ReadModels.notifications, {
    where: query.unreadOnly ? { userId, read: false, position: unreadPosition } : { userId, ...(Object.keys(position).length > 0 ? { position } : {}) },
    orderBy: [{ field: 'position', direction: 'desc' }],
    limit: query.limit + 1,
  });
  const visible = await stillMember(deps, userId, page.slice(0, query.limit));
  const unreadCandidates = await readStore.find<NotificationView>(ReadModels.notifications, {
    where: { userId, read: false, position: { $gt: readUpTo } }, orderBy: [{ field: 'position', direction: 'desc' }], limit: UNREAD_COUNT_CAP,
  });
  const unread = (await stillMember(deps, userId, unreadCandidates)).length;
  const newest = await readStore.find<NotificationView>(ReadModels.notifications, { where: { userId }, orderBy: [{ field: 'position', direction: 'desc' }], limit: 1 });
  const names = await namesOf(deps, visible);
  return {
    items: visible.map(({ userId: _userId, ...n }) => {
      const projectName = (n.projectId && names.projects.get(n.projectId)) || null;
      const actor = (n.actorId && names.users.get(n.actorId)) || 'Someone';
      const title = n.title.split(TitleSlots.project).join(projectName ?? 'a project').split(TitleSlots.actor).join(actor);
      return { ...n, projectName, title, read: n.read || n.position <= readUpTo };
    }),
    unread,
    nextBefore: page.length > query.limit ? (page[query.limit - 1]?.position ?? null) : null,
    latestPosition: newest[0]?.position ?? 0,
  };
}

async function stillMember(deps: Pick<QueryServiceDeps, 'readStore'>, userId: string, items: readonly NotificationView[]): Promise<NotificationView[]> {
  const projects = [...new Set(items.map((n) => n.projectId).filter((p): p is string => p !== null))];
  if (projects.length === 0) return [...items];
  const memberships = await deps.readStore.getMany<ProjectMemberView>(ReadModels.projectMembers, projects.map((p) => memberDocId(p, userId)));
  const member = new Set(memberships.map((m) => m.projectId));
  return items.filter((n) => n.projectId === null || member.has(n.projectId));
}

/** Project names and usernames for a page's title slots, read now so every way of building the model reads the same. */
async function namesOf(deps: Pick<QueryServiceDeps, 'readStore'>, items: readonly NotificationView[]) {
  const projectIds = [...new Set(items.map((n) => n.projectId).filter((id): id is string => id !== null))];
  const userIds = [...new Set(items.map((n) => n.actorId).filter((id): id is string => id !== null))];
  const [projects, users] = await Promise.all([
    projectIds.length > 0 ? deps.readStore.getMany<ProjectView>(ReadModels.projects, projectIds) : [],
    userIds.length > 0 ? deps.readStore.getMany<UserView>(ReadModels.users, userIds) : [],
  ]);
  return { projects: new Map(projects.map((p) => [p.id, p.name])), users: new Map(users.map((u) => [u.id, u.username])) };
}
