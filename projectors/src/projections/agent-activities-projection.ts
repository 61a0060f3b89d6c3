/** The `agent_activities` read model: each ResoftAI agent activity with its latest status. */
import type { AgentActivityEvent, AgentActivityStatus, AgentRole, RecordedEvent } from '@resoft/domain';
import type { Document } from '@resoft/ports';
import type { Projection, ProjectionUnitOfWork } from '../runtime/projection.js';
import { ReadModels } from './read-model-names.js';

export interface AgentActivityView extends Document {
  id: string;
  projectId: string;
  agent: AgentRole;
  title: string;
  status: AgentActivityStatus;
  progress: number;
  lastMessage: string;
  summary: string | null;
  startedBy: string;
  startedAt: string;
  updatedAt: string;
  position: number;
}

export const agentActivitiesProjection: Projection = {
  name: 'agent-activities',
  collections: [{ name: ReadModels.agentActivities, indexes: [['projectId', 'startedAt']] }],
  handles: new Set(['AgentActivityStarted', 'AgentActivityProgressed', 'AgentActivityCompleted', 'AgentActivityFailed']),
  async apply(recorded: RecordedEvent, unit: ProjectionUnitOfWork) {
    const event = recorded as unknown as AgentActivityEvent;
    const at = recorded.metadata.occurredAt;
    if (event.type === 'AgentActivityStarted') {
      const { activityId, projectId, agent, title, startedBy } = event.data;
      unit.put(ReadModels.agentActivities, {
        id: activityId, projectId, agent, title, status: 'running', progress: 0, lastMessage: '', summary: null, startedBy, startedAt: at, updatedAt: at, position: recorded.position,
      } satisfies AgentActivityView);
      return;
    }
    const activity = await unit.get<AgentActivityView>(ReadModels.agentActivities, event.data.activityId);
    if (!activity) return;
    const next: AgentActivityView =
      event.type === 'AgentActivityProgressed'
        ? { ...activity, progress: event.data.progress, lastMessage: event.data.message }
        : { ...activity, status: event.type === 'AgentActivityCompleted' ? 'completed' : 'failed', progress: event.type === 'AgentActivityCompleted' ? 100 : activity.progress, summary: event.data.summary };
    unit.put(ReadModels.agentActivities, { ...next, updatedAt: at, position: recorded.position });
  },
};
