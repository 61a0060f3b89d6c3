/** The `template_runs` read model: each template run with its variables, status and the files rendered so far. */
import type { RecordedEvent, TemplateRunEvent, TemplateRunStatus, TemplateVariableValues } from '@resoft/domain';
import type { Document } from '@resoft/ports';
import type { Projection, ProjectionUnitOfWork } from '../runtime/projection.js';
import { ReadModels } from './read-model-names.js';

export interface TemplateRunFileView {
  path: string;
  size: number;
  sha256: string;
  fileId: string | null;
}

export interface TemplateRunView extends Document {
  id: string;
  projectId: string;
  templateId: string;
  templateVersion: string;
  variables: TemplateVariableValues;
  status: Exclude<TemplateRunStatus, 'none'>;
  fileCount: number;
  rendered: number;
  totalBytes: number;
  files: TemplateRunFileView[];
  reason: string | null;
  startedBy: string;
  startedAt: string;
  updatedAt: string;
  position: number;
}

export const templateRunsProjection: Projection = {
  name: 'template-runs',
  collections: [{ name: ReadModels.templateRuns, indexes: [['projectId', 'startedAt']] }],
  handles: new Set(['TemplateRunStarted', 'TemplateFileRendered', 'TemplateRunCompleted', 'TemplateRunFailed']),
  async apply(recorded: RecordedEvent, unit: ProjectionUnitOfWork) {
    const event = recorded as unknown as TemplateRunEvent;
    const at = recorded.metadata.occurredAt;
    if (event.type === 'TemplateRunStarted') {
      const { runId, projectId, templateId, templateVersion, variables, fileCount, startedBy } = event.data;
      unit.put(ReadModels.templateRuns, {
        id: runId, projectId, templateId, templateVersion, variables, status: 'running', fileCount, rendered: 0, totalBytes: 0, files: [], reason: null, startedBy, startedAt: at, updatedAt: at, position: recorded.position,
      } satisfies TemplateRunView);
      return;
    }
    const run = await unit.get<TemplateRunView>(ReadModels.templateRuns, event.data.runId);
    if (!run) return;
    let next: TemplateRunView;
    switch (event.type) {
      case 'TemplateFileRendered': {
        const { path, size, sha256, fileId } = event.data;
        next = { ...run, rendered: run.rendered + 1, totalBytes: run.totalBytes + size, files: [...run.files, { path, size, sha256, fileId }] };
        break;
      }
      case 'TemplateRunCompleted':
        next = { ...run, status: 'completed' };
        break;
      case 'TemplateRunFailed':
        next = { ...run, status: 'failed', reason: event.data.reason };
        break;
    }
    unit.put(ReadModels.templateRuns, { ...next, updatedAt: at, position: recorded.position });
  },
};
