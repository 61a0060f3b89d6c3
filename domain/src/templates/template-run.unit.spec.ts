import { given } from '../shared/given-when-then.js';
import type { ProjectContext } from '../shared/project-context.js';
import { EVE, PROJECT_ID, VIC, ZED, apollo, apolloArchived, noProject } from '../shared/project-fixture.js';
import { templateRunDecider, type TemplateRunCommand, type TemplateRunEvent } from './template-run.js';

const RUN_ID = 'r-1';
const ofRun = { runId: RUN_ID, projectId: PROJECT_ID };
const variables = { service_name: 'orders', kubernetes: false, port: 8000 };

const start = (actorId: string, project: ProjectContext = apollo(), fileCount = 2): TemplateRunCommand => ({
  type: 'StartTemplateRun', runId: RUN_ID, templateId: 'microservice', templateVersion: '1.0.0', variables, fileCount, overwrite: false, actorId, project,
});
const started: TemplateRunEvent = {
  type: 'TemplateRunStarted', data: { ...ofRun, templateId: 'microservice', templateVersion: '1.0.0', variables, fileCount: 2, overwrite: false, startedBy: EVE },
};
const file = (path: string, size: number): TemplateRunCommand => ({ type: 'RecordTemplateFile', path, size, sha256: 'ab'.repeat(32), fileId: `f-${path}` });
const rendered = (path: string, size: number, index: number): TemplateRunEvent => ({
  type: 'TemplateFileRendered', data: { ...ofRun, path, size, sha256: 'ab'.repeat(32), fileId: `f-${path}`, index, total: 2 },
});
const run = (...history: TemplateRunEvent[]) => given(templateRunDecider, history);

describe('starting a template run', () => {
  it('records the template, its version and the resolved variables for an editor', () => {
    run().when(start(EVE)).thenEmits([started]);
  });

  it('is forbidden to a viewer', () => {
    run().when(start(VIC)).thenRejects('forbidden', 'insufficient_role');
  });

  it('answers "not found" to a non-member and for a missing project', () => {
    run().when(start(ZED)).thenRejects('not_found', 'project_not_found');
    run().when(start(EVE, noProject)).thenRejects('not_found', 'project_not_found');
  });

  it('is refused on an archived project', () => {
    run().when(start(EVE, apollo(apolloArchived))).thenRejects('conflict', 'project_archived');
  });

  it('cannot start the same run twice', () => {
    run(started).when(start(EVE)).thenRejects('conflict', 'template_run_exists');
  });
});

describe('progress of a run', () => {
  it('numbers each rendered file out of the total', () => {
    run(started).when(file('README.md', 10)).thenEmits([rendered('README.md', 10, 1)]);
    run(started, rendered('README.md', 10, 1)).when(file('main.py', 5)).thenEmits([rendered('main.py', 5, 2)]);
  });

  it('refuses more files than the run announced', () => {
    run(started, rendered('a', 1, 1), rendered('b', 1, 2)).when(file('c', 1)).thenRejects('conflict', 'too_many_files');
  });

  it('completes only once every file was rendered, with the total size', () => {
    run(started, rendered('a', 1, 1)).when({ type: 'CompleteTemplateRun' }).thenRejects('conflict', 'files_missing');
    run(started, rendered('a', 3, 1), rendered('b', 4, 2)).when({ type: 'CompleteTemplateRun' }).thenEmits([
      { type: 'TemplateRunCompleted', data: { ...ofRun, fileCount: 2, totalBytes: 7 } },
    ]);
  });

  it('records a failure with its reason, after which nothing more is accepted', () => {
    const failed: TemplateRunEvent = { type: 'TemplateRunFailed', data: { ...ofRun, reason: 'README.md already exists' } };
    run(started).when({ type: 'FailTemplateRun', reason: 'README.md already exists' }).thenEmits([failed]);
    run(started, failed).when(file('a', 1)).thenRejects('conflict', 'template_run_finished');
    run(started, failed).when({ type: 'CompleteTemplateRun' }).thenRejects('conflict', 'template_run_finished');
  });

  it('answers "not found" for a run that never started', () => {
    run().when(file('a', 1)).thenRejects('not_found', 'template_run_not_found');
  });
});
