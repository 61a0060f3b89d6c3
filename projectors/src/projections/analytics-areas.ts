/**
 * Which area of a project each event belongs to, for the analysts' timelines. An event type not
 * listed here is not counted (user, session and claim events belong to no project).
 */
export const ANALYTICS_AREAS = ['project', 'members', 'milestones', 'chat', 'files', 'checks', 'templates', 'agents'] as const;
export type AnalyticsArea = (typeof ANALYTICS_AREAS)[number];

const AREA_OF_TYPE: Readonly<Record<string, AnalyticsArea>> = {
  ProjectCreated: 'project',
  ProjectDetailsChanged: 'project',
  ProjectArchived: 'project',
  ProjectMemberAdded: 'members',
  ProjectMemberRemoved: 'members',
  ProjectMemberRoleChanged: 'members',
  MilestoneReached: 'milestones',
  RoomCreated: 'chat',
  RoomJoined: 'chat',
  RoomLeft: 'chat',
  ChatMessagePosted: 'chat',
  ChatMessageEdited: 'chat',
  ChatMessageDeleted: 'chat',
  FileCreated: 'files',
  FileRenamed: 'files',
  FileDeleted: 'files',
  FileLocked: 'files',
  FileUnlocked: 'files',
  DocumentChanged: 'files',
  CheckRequested: 'checks',
  CheckStarted: 'checks',
  LinterFinished: 'checks',
  CheckCompleted: 'checks',
  CheckFailed: 'checks',
  TemplateRunStarted: 'templates',
  TemplateFileRendered: 'templates',
  TemplateRunCompleted: 'templates',
  TemplateRunFailed: 'templates',
  AgentActivityStarted: 'agents',
  AgentActivityProgressed: 'agents',
  AgentActivityCompleted: 'agents',
  AgentActivityFailed: 'agents',
};

export const ANALYTICS_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(AREA_OF_TYPE));

export const areaOf = (type: string): AnalyticsArea | undefined => AREA_OF_TYPE[type];
