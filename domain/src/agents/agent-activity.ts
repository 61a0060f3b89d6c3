/**
 * Activities of the ResoftAI agents on a project, one `agent-<activityId>`
 * stream each: started, progressed, then completed or failed, never reopened.
 */
import { z } from 'zod';
import type { Decider } from '../shared/decider.js';
import { reject } from '../shared/domain-error.js';
import type { ProjectContext } from '../shared/project-context.js';
import { requireProjectRole } from '../projects/project-decider.js';

export const agentRoleSchema = z.enum([
  'project_manager',
  'requirements_analyst',
  'architect',
  'ux_ui_designer',
  'developer',
  'test_engineer',
  'quality_expert',
]);
export type AgentRole = z.infer<typeof agentRoleSchema>;

export type AgentActivityEvent =
  | { type: 'AgentActivityStarted'; data: { activityId: string; projectId: string; agent: AgentRole; title: string; startedBy: string } }
  | { type: 'AgentActivityProgressed'; data: { activityId: string; projectId: string; progress: number; message: string } }
  | { type: 'AgentActivityCompleted'; data: { activityId: string; projectId: string; summary: string } }
  | { type: 'AgentActivityFailed'; data: { activityId: string; projectId: string; summary: string } };

export type AgentActivityStatus = 'none' | 'running' | 'completed' | 'failed';

export interface AgentActivityState {
  readonly status: AgentActivityStatus;
  readonly activityId: string;
  readonly projectId: string;
  readonly progress: number;
}

type WithProject = { actorId: string; project: ProjectContext };

export type AgentActivityCommand =
  | ({ type: 'StartAgentActivity'; activityId: string; agent: AgentRole; title: string } & WithProject)
  | ({ type: 'RecordAgentProgress'; progress: number; message: string } & WithProject)
  | ({ type: 'CompleteAgentActivity'; summary: string } & WithProject)
  | ({ type: 'FailAgentActivity'; summary: string } & WithProject);

export const agentStreamId = (activityId: string): string => `agent-${activityId}`;

const initialState = (): AgentActivityState => ({ status: 'none', activityId: '', projectId: '', progress: 0 });

function requireRunning(state: AgentActivityState, project: ProjectContext): void {
  if (state.status === 'none' || state.projectId !== project.projectId) reject('not_found', 'activity_not_found', 'Agent activity not found');
  if (state.status !== 'running') reject('conflict', 'activity_finished', `The activity has already ${state.status}`);
}

function decide(command: AgentActivityCommand, state: AgentActivityState): AgentActivityEvent[] {
  const { actorId, project } = command;
  requireProjectRole(project, actorId, 'editor');
  const projectId = project.projectId;
  if (command.type === 'StartAgentActivity') {
    if (state.status !== 'none') reject('conflict', 'activity_exists', 'An activity with this id already exists');
    return [{ type: 'AgentActivityStarted', data: { activityId: command.activityId, projectId, agent: command.agent, title: command.title, startedBy: actorId } }];
  }
  requireRunning(state, project);
  const activityId = state.activityId;
  switch (command.type) {
    case 'RecordAgentProgress':
      // Written as a negation so NaN is refused too: once stored, NaN would let any later progress through.
      if (!(command.progress >= 0 && command.progress <= 100)) reject('invalid', 'progress_out_of_range', 'Progress is a percentage from 0 to 100');
      if (command.progress < state.progress) reject('conflict', 'progress_backwards', `Progress cannot go back from ${state.progress}%`);
      return [{ type: 'AgentActivityProgressed', data: { activityId, projectId, progress: command.progress, message: command.message } }];
    case 'CompleteAgentActivity':
      return [{ type: 'AgentActivityCompleted', data: { activityId, projectId, summary: command.summary } }];
    case 'FailAgentActivity':
      return [{ type: 'AgentActivityFailed', data: { activityId, projectId, summary: command.summary } }];
  }
}

function evolve(state: AgentActivityState, event: AgentActivityEvent): AgentActivityState {
  switch (event.type) {
    case 'AgentActivityStarted':
      return { status: 'running', activityId: event.data.activityId, projectId: event.data.projectId, progress: 0 };
    case 'AgentActivityProgressed':
      return { ...state, progress: event.data.progress };
    case 'AgentActivityCompleted':
      return { ...state, status: 'completed', progress: 100 };
    case 'AgentActivityFailed':
      return { ...state, status: 'failed' };
  }
}

export const agentActivityDecider: Decider<AgentActivityCommand, AgentActivityState, AgentActivityEvent> = { initialState, decide, evolve };
