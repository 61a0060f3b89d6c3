/** One line of plain English for an event on a project's timeline. */
import type { RecordedEvent } from '@resoft/domain';

type Data = Record<string, unknown>;
const quote = (value: unknown): string => `“${String(value ?? '')}”`;

const describers: Record<string, (data: Data) => string> = {
  ProjectCreated: (d) => `created the project ${quote(d['name'])}`,
  ProjectDetailsChanged: (d) => (d['name'] !== undefined ? `renamed the project to ${quote(d['name'])}` : 'changed the project description'),
  ProjectArchived: () => 'archived the project',
  // No username: the timeline is stored, and an erased member's name must not stay in it (issue 13).
  ProjectMemberAdded: (d) => `added a member as ${String(d['role'])}`,
  ProjectMemberRemoved: () => 'removed a member',
  ProjectMemberRoleChanged: (d) => `changed a member's role to ${String(d['role'])}`,
  MilestoneReached: (d) => `reached the milestone ${quote(d['name'])}`,
  RoomCreated: (d) => `created the room ${quote(d['name'])}`,
  RoomJoined: () => 'joined a room',
  RoomLeft: () => 'left a room',
  ChatMessagePosted: (d) => `posted a message${(d['mentions'] as unknown[] | undefined)?.length ? ' mentioning members' : ''}`,
  ChatMessageEdited: () => 'edited a message',
  ChatMessageDeleted: () => 'deleted a message',
  AgentActivityStarted: (d) => `started the ${String(d['agent']).replace(/_/g, ' ')} activity ${quote(d['title'])}`,
  AgentActivityProgressed: (d) => `agent activity at ${String(d['progress'])}%`,
  AgentActivityCompleted: () => 'completed an agent activity',
  AgentActivityFailed: () => 'an agent activity failed',
  CheckRequested: (d) => `requested a code-quality check of ${(d['files'] as unknown[] | undefined)?.length ?? 0} file(s)`,
  CheckCompleted: (d) => `a code-quality check scored ${String(d['score'])} (grade ${String(d['grade'])})`,
  CheckFailed: () => 'a code-quality check failed',
  TemplateRunStarted: (d) => `applied the template ${quote(d['templateId'])} (${String(d['fileCount'])} files)`,
  TemplateRunCompleted: (d) => `template run completed: ${String(d['fileCount'])} files`,
  TemplateRunFailed: (d) => `template run failed: ${String(d['reason'])}`,
};

export const PROJECT_TIMELINE_EVENTS: ReadonlySet<string> = new Set(Object.keys(describers));

export function summarize(event: RecordedEvent): string {
  return describers[event.type]?.(event.data as Data) ?? event.type;
}
