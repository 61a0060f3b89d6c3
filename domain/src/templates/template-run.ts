/**
 * One application of a catalog template to a project, one `template-run-<runId>`
 * stream: started (with the template version and the resolved variables, so
 * the output can be rendered again), one event per rendered file as progress,
 * then completed or failed, never reopened. Every event names its project.
 */
import type { Decider } from '../shared/decider.js';
import { reject } from '../shared/domain-error.js';
import type { ProjectContext } from '../shared/project-context.js';
import { requireProjectRole } from '../projects/project-decider.js';

export type TemplateVariableValues = Record<string, string | number | boolean>;

export type TemplateRunEvent =
  | { type: 'TemplateRunStarted'; data: { runId: string; projectId: string; templateId: string; templateVersion: string; variables: TemplateVariableValues; fileCount: number; overwrite: boolean; startedBy: string } }
  | { type: 'TemplateFileRendered'; data: { runId: string; projectId: string; path: string; size: number; sha256: string; fileId: string | null; index: number; total: number } }
  | { type: 'TemplateRunCompleted'; data: { runId: string; projectId: string; fileCount: number; totalBytes: number } }
  | { type: 'TemplateRunFailed'; data: { runId: string; projectId: string; reason: string } };

export type TemplateRunStatus = 'none' | 'running' | 'completed' | 'failed';

export interface TemplateRunState {
  readonly status: TemplateRunStatus;
  readonly runId: string;
  readonly projectId: string;
  readonly fileCount: number;
  readonly rendered: number;
  readonly totalBytes: number;
}

export type TemplateRunCommand =
  | { type: 'StartTemplateRun'; runId: string; templateId: string; templateVersion: string; variables: TemplateVariableValues; fileCount: number; overwrite: boolean; actorId: string; project: ProjectContext }
  | { type: 'RecordTemplateFile'; path: string; size: number; sha256: string; fileId: string | null }
  | { type: 'CompleteTemplateRun' }
  | { type: 'FailTemplateRun'; reason: string };

export const templateRunStreamId = (runId: string): string => `template-run-${runId}`;

const initialState = (): TemplateRunState => ({ status: 'none', runId: '', projectId: '', fileCount: 0, rendered: 0, totalBytes: 0 });

function decide(command: TemplateRunCommand, state: TemplateRunState): TemplateRunEvent[] {
  if (command.type === 'StartTemplateRun') {
    // Applying a template writes project files: editors and owners only, non-members are told "not found".
    requireProjectRole(command.project, command.actorId, 'editor');
    if (state.status !== 'none') reject('conflict', 'template_run_exists', 'A template run with this id already exists');
    if (!(Number.isInteger(command.fileCount) && command.fileCount >= 0)) reject('invalid', 'invalid_file_count', 'A run renders a whole number of files');
    const { runId, templateId, templateVersion, variables, fileCount, overwrite, actorId } = command;
    return [{ type: 'TemplateRunStarted', data: { runId, projectId: command.project.projectId, templateId, templateVersion, variables, fileCount, overwrite, startedBy: actorId } }];
  }
  // The later steps come from the applier that started the run, never straight from a request.
  if (state.status === 'none') reject('not_found', 'template_run_not_found', 'Template run not found');
  if (state.status !== 'running') reject('conflict', 'template_run_finished', `The template run has already ${state.status}`);
  const { runId, projectId } = state;
  switch (command.type) {
    case 'RecordTemplateFile':
      if (state.rendered >= state.fileCount) reject('conflict', 'too_many_files', `The run renders ${state.fileCount} files`);
      return [{ type: 'TemplateFileRendered', data: { runId, projectId, path: command.path, size: command.size, sha256: command.sha256, fileId: command.fileId, index: state.rendered + 1, total: state.fileCount } }];
    case 'CompleteTemplateRun':
      if (state.rendered !== state.fileCount) reject('conflict', 'files_missing', `Only ${state.rendered} of ${state.fileCount} files were rendered`);
      return [{ type: 'TemplateRunCompleted', data: { runId, projectId, fileCount: state.fileCount, totalBytes: state.totalBytes } }];
    case 'FailTemplateRun':
      return [{ type: 'TemplateRunFailed', data: { runId, projectId, reason: command.reason } }];
  }
}

function evolve(state: TemplateRunState, event: TemplateRunEvent): TemplateRunState {
  switch (event.type) {
    case 'TemplateRunStarted':
      return { status: 'running', runId: event.data.runId, projectId: event.data.projectId, fileCount: event.data.fileCount, rendered: 0, totalBytes: 0 };
    case 'TemplateFileRendered':
      return { ...state, rendered: state.rendered + 1, totalBytes: state.totalBytes + event.data.size };
    case 'TemplateRunCompleted':
      return { ...state, status: 'completed' };
    case 'TemplateRunFailed':
      return { ...state, status: 'failed' };
  }
}

export const templateRunDecider: Decider<TemplateRunCommand, TemplateRunState, TemplateRunEvent> = { initialState, decide, evolve };
