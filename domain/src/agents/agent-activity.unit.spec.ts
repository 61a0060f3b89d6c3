import { fold } from '../shared/decider.js';
import { given } from '../shared/given-when-then.js';
import type { ProjectContext } from '../shared/project-context.js';
import { ANN, EVE, PROJECT_ID, VIC, ZED, apollo, apolloArchived, noProject } from '../shared/project-fixture.js';
import { projectDecider } from '../projects/project-decider.js';
import { agentActivityDecider, type AgentActivityCommand, type AgentActivityEvent } from './agent-activity.js';

const ACTIVITY_ID = 'a-1';
const ofActivity = { activityId: ACTIVITY_ID, projectId: PROJECT_ID };
const by = (actorId: string, project: ProjectContext = apollo()) => ({ actorId, project });

const started: AgentActivityEvent = {
  type: 'AgentActivityStarted',
  data: { ...ofActivity, agent: 'architect', title: 'Sketch the services', startedBy: EVE },
};
const progressed = (progress: number, message = `${progress}% done`): AgentActivityEvent =>
  ({ type: 'AgentActivityProgressed', data: { ...ofActivity, progress, message } });
const completed: AgentActivityEvent = { type: 'AgentActivityCompleted', data: { ...ofActivity, summary: 'Three services' } };
const failed: AgentActivityEvent = { type: 'AgentActivityFailed', data: { ...ofActivity, summary: 'Model unavailable' } };

const activity = (...history: AgentActivityEvent[]) => given(agentActivityDecider, history);
const progress = (value: number, actorId = EVE): AgentActivityCommand =>
  ({ type: 'RecordAgentProgress', progress: value, message: `${value}% done`, ...by(actorId) });

/** Zeus, another project where Eve is owner, to show an activity does not answer for a project it is not in. */
const zeus: ProjectContext = fold(projectDecider, [
  { type: 'ProjectCreated', data: { projectId: 'p-zeus', name: 'Zeus', description: '', ownerId: EVE, ownerUsername: 'eve' } },
]);

describe('who may drive an agent activity', () => {
  const commands: Array<[string, AgentActivityEvent[], (actorId: string, project?: ProjectContext) => AgentActivityCommand]> = [
    ['starting', [], (actorId, project) => ({ type: 'StartAgentActivity', activityId: ACTIVITY_ID, agent: 'architect', title: 'Sketch the services', ...by(actorId, project) })],
    ['recording progress', [started], (actorId, project) => ({ type: 'RecordAgentProgress', progress: 50, message: 'half', ...by(actorId, project) })],
    ['completing', [started], (actorId, project) => ({ type: 'CompleteAgentActivity', summary: 'done', ...by(actorId, project) })],
    ['failing', [started], (actorId, project) => ({ type: 'FailAgentActivity', summary: 'broke', ...by(actorId, project) })],
  ];

  describe.each(commands)('%s', (_what, history, command) => {
    it('is forbidden to a viewer (it needs editor)', () => {
      activity(...history).when(command(VIC)).thenRejects('forbidden', 'insufficient_role');
    });

    it('answers "not found" to a non-member of the project', () => {
      activity(...history).when(command(ZED)).thenRejects('not_found', 'project_not_found');
    });

    it('answers "not found" when the project was never created', () => {
      activity(...history).when(command(EVE, noProject)).thenRejects('not_found', 'project_not_found');
    });

    it('is refused once the project is archived', () => {
      activity(...history).when(command(EVE, apollo(apolloArchived))).thenRejects('conflict', 'project_archived');
    });
  });

  it.each<[string, AgentActivityCommand]>([
    ['recording progress', progress(10)],
    ['completing', { type: 'CompleteAgentActivity', summary: 'done', ...by(EVE) }],
    ['failing', { type: 'FailAgentActivity', summary: 'broke', ...by(EVE) }],
  ])('%s answers "not found" for an activity that was never started', (_what, command) => {
    activity().when(command).thenRejects('not_found', 'activity_not_found');
  });

  it('answers "not found" when an activity is driven through another project', () => {
    activity(started).when({ type: 'RecordAgentProgress', progress: 10, message: '', ...by(EVE, zeus) }).thenRejects('not_found', 'activity_not_found');
  });
});

describe('starting an activity', () => {
  it('lets an editor start an agent on the project', () => {
    activity().when({ type: 'StartAgentActivity', activityId: ACTIVITY_ID, agent: 'architect', title: 'Sketch the services', ...by(EVE) })
      .thenEmits([started]);
  });

  it('lets an owner start one and records who did', () => {
    activity().when({ type: 'StartAgentActivity', activityId: ACTIVITY_ID, agent: 'test_engineer', title: 'Write tests', ...by(ANN) }).thenEmits([
      { type: 'AgentActivityStarted', data: { ...ofActivity, agent: 'test_engineer', title: 'Write tests', startedBy: ANN } },
    ]);
  });

  it.each([['running', [started]], ['completed', [started, completed]], ['failed', [started, failed]]])(
    'refuses an activity id that is already taken by a %s activity',
    (_status, history) => {
      activity(...history).when({ type: 'StartAgentActivity', activityId: ACTIVITY_ID, agent: 'developer', title: 'Again', ...by(EVE) })
        .thenRejects('conflict', 'activity_exists');
    },
  );
});

describe('recording progress', () => {
  it('records progress of a running activity', () => {
    activity(started).when(progress(30)).thenEmits([progressed(30)]);
  });

  it('lets progress move forward', () => {
    activity(started, progressed(30)).when(progress(70)).thenEmits([progressed(70)]);
  });

  it('lets progress stay where it is, with a new message', () => {
    activity(started, progressed(30)).when(progress(30)).thenEmits([progressed(30)]);
  });

  it('lets an owner record progress on an activity an editor started', () => {
    activity(started).when(progress(10, ANN)).thenEmits([progressed(10)]);
  });

  it('refuses progress that goes backwards', () => {
    activity(started, progressed(70)).when(progress(69)).thenRejects('conflict', 'progress_backwards');
  });

  it('judges going backwards by the latest progress', () => {
    activity(started, progressed(20), progressed(60)).when(progress(40)).thenRejects('conflict', 'progress_backwards');
  });

  it.each([['above 100%', 101], ['below 0%', -1], ['not a number', Number.NaN]])('refuses progress %s', (_what, value) => {
    activity(started).when(progress(value)).thenRejects('invalid', 'progress_out_of_range');
  });

  it.each([['0%', 0], ['100%', 100]])('accepts progress of exactly %s', (_what, value) => {
    activity(started).when(progress(value)).thenEmits([progressed(value)]);
  });
});

describe('finishing an activity', () => {
  it('lets an editor complete a running activity', () => {
    activity(started, progressed(80)).when({ type: 'CompleteAgentActivity', summary: 'Three services', ...by(EVE) }).thenEmits([completed]);
  });

  it('lets an editor record that a running activity failed', () => {
    activity(started).when({ type: 'FailAgentActivity', summary: 'Model unavailable', ...by(EVE) }).thenEmits([failed]);
  });

  const afterwards: Array<[string, AgentActivityCommand]> = [
    ['progress', progress(100)],
    ['completion', { type: 'CompleteAgentActivity', summary: 'again', ...by(EVE) }],
    ['failure', { type: 'FailAgentActivity', summary: 'again', ...by(EVE) }],
  ];

  describe.each([['completed', completed], ['failed', failed]])('once %s', (_status, end) => {
    it.each(afterwards)('refuses %s', (_what, command) => {
      activity(started, progressed(50), end).when(command).thenRejects('conflict', 'activity_finished');
    });
  });
});
