/**
 * The inbox read model (issue 12): one `notifications` document per user and thing worth telling
 * them (a mention, a check finished on one of their projects or that they asked for, a template run
 * they started finished, someone asking them to unlock a file they locked), and one `inbox_states` document per user holding how far they marked
 * everything read. To know who is in a project and who started a check or run, it keeps its own
 * small `notification_audiences` documents instead of reading other projections' models, whose
 * checkpoints may be behind this one. With the bus (one checkpoint per partition) those documents
 * can lag behind an event of another stream: a check finishing just as a member joins may miss
 * them. Names that other streams own (the project's, the actor's) are left as slots in the stored sentence and
 * filled when the inbox is read, from the projects and users read models, so a rebuild and a bus-fed build
 * store the same sentence whatever order the partitions arrive in.
 *
 * When is a mention read without the user marking it? Databases older than the inbox hold years of
 * mentions nobody could ever mark, and a rebuild would make every one of them unread. The rule, the
 * same for a rebuild and a live build (it uses only the log, never the clock): a mention is read once
 * the mentioned user posts in that room after it — they were in the conversation and saw it — as
 * well as when marked read (by id, or everything up to a position, at read time). Unanswered
 * mentions stay unread: nothing in the log says they were seen. To find a user's unread mentions in
 * a room by id, the projection keeps one small list per user and room.
 */
import { notificationId, type RecordedEvent } from '@resoft/domain';
import type { Document } from '@resoft/ports';
import type { Projection, ProjectionUnitOfWork } from '../runtime/projection.js';
import { ReadModels } from './read-model-names.js';

export type NotificationKind = 'mention' | 'check' | 'template_run' | 'unlock_request';

/** A type, not an interface, so that `Omit` keeps its fields (Document's index signature would swallow them). */
export type NotificationView = {
  readonly id: string;
  readonly userId: string;
  readonly kind: NotificationKind;
  readonly projectId: string | null;
  /** One plain sentence for the inbox, with `TitleSlots` the reader fills in (project and actor names). */
  readonly title: string;
  /** The app path that shows what it is about (the message, the check, the project's files). */
  readonly link: string;
  readonly actorId: string | null;
  /** Global position of the event it came from: the inbox is ordered by it and "read up to" compares with it. */
  readonly position: number;
  readonly at: string;
  /** Marked read by id; also read when at or before the user's `readUpTo`. */
  readonly read: boolean;
};

export type InboxStateView = {
  readonly id: string;
  readonly readUpTo: number;
};

/** Who is in a project (the recipients of its check results); names are read when the inbox is. */
interface ProjectAudience extends Document {
  readonly memberIds: readonly string[];
}
/** A user's mention notifications in one room not yet read, by id (cleared when the user posts there). */
interface UnreadMentions extends Document {
  readonly ids: readonly string[];
}
interface Starter extends Document {
  readonly userId: string;
  readonly projectId: string | null;
  readonly what: string;
}

/**
 * Placeholders in a stored title. Control characters never occur in chat text, paths or names (the
 * commands refuse them), so a slot cannot be forged by what a user typed.
 */
export const TitleSlots = { project: '\u0001project\u0001', actor: '\u0001actor\u0001' } as const;
const P = TitleSlots.project;

const audienceId = (projectId: string) => `project:${projectId}`;
const unreadMentionsId = (userId: string, roomId: string) => `mentions:${userId}:${roomId}`;
const starterId = (kind: 'check' | 'run', id: string) => `${kind}:${id}`;
const EXCERPT = 80;

const excerpt = (text: string): string => (text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text);

export const notificationsProjection: Projection = {
  name: 'notifications',
  collections: [
    { name: ReadModels.notifications, indexes: [['userId', 'position'], ['userId', 'read', 'position']] },
    { name: ReadModels.inboxStates, indexes: [] },
    { name: ReadModels.notificationAudiences, indexes: [] },
  ],
  handles: new Set([
    'ProjectCreated', 'ProjectMemberAdded', 'ProjectMemberRemoved',
    'ChatMessagePosted', 'CheckRequested', 'CheckCompleted', 'CheckFailed', 'TemplateRunStarted', 'TemplateRunCompleted', 'TemplateRunFailed',
    'FileUnlockRequested', 'NotificationsRead',
  ]),
  async apply(recorded: RecordedEvent, unit: ProjectionUnitOfWork) {
    const d = recorded.data as Record<string, any>;
    const audience = async (projectId: string | null) => (projectId ? unit.get<ProjectAudience>(ReadModels.notificationAudiences, audienceId(projectId)) : null);
    const notify = (userIds: readonly string[], n: Omit<NotificationView, 'id' | 'userId' | 'position' | 'at' | 'read'>) => {
      for (const userId of new Set(userIds)) {
        unit.put(ReadModels.notifications, { ...n, id: notificationId(recorded.id, userId), userId, position: recorded.position, at: recorded.metadata.occurredAt, read: false } satisfies NotificationView);
      }
    };
    switch (recorded.type) {
      case 'ProjectCreated':
        unit.put(ReadModels.notificationAudiences, { id: audienceId(d.projectId), memberIds: [d.ownerId] } satisfies ProjectAudience);
        return;
      case 'ProjectMemberAdded':
      case 'ProjectMemberRemoved': {
        const project = await audience(d.projectId);
        if (!project) return;
        const others = project.memberIds.filter((id) => id !== d.userId);
        unit.put(ReadModels.notificationAudiences, { ...project, memberIds: recorded.type === 'ProjectMemberAdded' ? [...others, d.userId] : others });
        return;
      }
      case 'ChatMessagePosted': {
        // The author is in the conversation: their earlier mentions in this room are read.
        const answered = await unit.get<UnreadMentions>(ReadModels.notificationAudiences, unreadMentionsId(d.authorId, d.roomId));
        if (answered) {
          for (const id of answered.ids) {
            const n = await unit.get<NotificationView>(ReadModels.notifications, id);
            if (n && !n.read) unit.put(ReadModels.notifications, { ...n, read: true });
          }
          unit.delete(ReadModels.notificationAudiences, answered.id);
        }
        // The room's decider resolved mentions against the members when the message was posted; with
        // the bus, this projection's copy of the members may lag behind another partition, so it is not asked.
        const mentioned = (d.mentions as string[]).filter((id) => id !== d.authorId);
        notify(mentioned, {
          kind: 'mention', projectId: d.projectId, actorId: d.authorId,
          title: `${TitleSlots.actor} mentioned you in ${P}: “${excerpt(d.text)}”`,
          link: `/projects/${d.projectId}?room=${d.roomId}&message=${d.messageId}`,
        });
        for (const userId of new Set(mentioned)) {
          const id = unreadMentionsId(userId, d.roomId);
          const waiting = await unit.get<UnreadMentions>(ReadModels.notificationAudiences, id);
          unit.put(ReadModels.notificationAudiences, { id, ids: [...(waiting?.ids ?? []), notificationId(recorded.id, userId)] } satisfies UnreadMentions);
        }
        return;
      }
      case 'CheckRequested':
        unit.put(ReadModels.notificationAudiences, { id: starterId('check', d.checkId), userId: d.requestedBy, projectId: d.projectId, what: (d.files as { path: string }[])[0]?.path ?? 'pasted code' } satisfies Starter);
        return;
      case 'CheckCompleted':
      case 'CheckFailed': {
        const starter = await unit.get<Starter>(ReadModels.notificationAudiences, starterId('check', d.checkId));
        const project = await audience(d.projectId);
        const recipients = project ? [...project.memberIds] : starter ? [starter.userId] : [];
        const where = d.projectId ? ` in ${P}` : '';
        notify(recipients, {
          kind: 'check', projectId: d.projectId, actorId: starter?.userId ?? null,
          title: recorded.type === 'CheckCompleted' ? `Check of ${starter?.what ?? 'code'}${where} finished: grade ${d.grade}, score ${d.score}` : `Check of ${starter?.what ?? 'code'}${where} failed: ${excerpt(d.reason)}`,
          link: `/checker?check=${d.checkId}`,
        });
        return;
      }
      case 'TemplateRunStarted':
        unit.put(ReadModels.notificationAudiences, { id: starterId('run', d.runId), userId: d.startedBy, projectId: d.projectId, what: d.templateId } satisfies Starter);
        return;
      case 'TemplateRunCompleted':
      case 'TemplateRunFailed': {
        const starter = await unit.get<Starter>(ReadModels.notificationAudiences, starterId('run', d.runId));
        if (!starter) return;
        notify([starter.userId], {
          kind: 'template_run', projectId: d.projectId, actorId: starter.userId,
          title: recorded.type === 'TemplateRunCompleted' ? `Template “${starter.what}” applied to ${P}: ${d.fileCount} files` : `Template “${starter.what}” failed on ${P}: ${excerpt(d.reason)}`,
          link: `/projects/${d.projectId}`,
        });
        return;
      }
      case 'FileUnlockRequested': {
        notify([d.lockedBy], {
          kind: 'unlock_request', projectId: d.projectId, actorId: d.requestedBy,
          title: `${TitleSlots.actor} asks you to unlock ${d.path} in ${P}`,
          link: `/projects/${d.projectId}/files/${d.fileId}`,
        });
        return;
      }
      case 'NotificationsRead': {
        for (const id of d.notificationIds as string[]) {
          const n = await unit.get<NotificationView>(ReadModels.notifications, id);
          if (n && n.userId === d.userId && !n.read) unit.put(ReadModels.notifications, { ...n, read: true });
        }
        if (typeof d.upToPosition === 'number') {
          const state = await unit.get<InboxStateView>(ReadModels.inboxStates, d.userId);
          if (!state || state.readUpTo < d.upToPosition) unit.put(ReadModels.inboxStates, { id: d.userId, readUpTo: d.upToPosition } satisfies InboxStateView);
        }
        return;
      }
    }
  },
};
