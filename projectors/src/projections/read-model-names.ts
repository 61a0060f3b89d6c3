/** Names of the read-model collections, shared by the projections that write them and the queries that read them. */
export const ReadModels = {
  users: 'users',
  projects: 'projects',
  projectMembers: 'project_members',
  milestones: 'milestones',
  rooms: 'rooms',
  roomMembers: 'room_members',
  chatMessages: 'chat_messages',
  activity: 'activity',
  agentActivities: 'agent_activities',
  streams: 'project_streams',
  checks: 'checks',
  templateRuns: 'template_runs',
  projectFiles: 'project_files',
  notifications: 'notifications',
  inboxStates: 'inbox_states',
  notificationAudiences: 'notification_audiences',
} as const;

export const memberDocId = (projectId: string, userId: string): string => `${projectId}:${userId}`;
export const roomMemberDocId = (roomId: string, userId: string): string => `${roomId}:${userId}`;
