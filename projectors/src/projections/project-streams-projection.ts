/** The `project_streams` read model: which streams belong to which project, for the audit view and per-project verification. */
import type { RecordedEvent } from '@resoft/domain';
import type { Document } from '@resoft/ports';
import type { Projection, ProjectionUnitOfWork } from '../runtime/projection.js';
import { ReadModels } from './read-model-names.js';

export interface ProjectStreamView extends Document {
  id: string;
  projectId: string;
  kind: string;
  firstPosition: number;
}

/**
 * The first event of each stream kind that lives inside a project. A file
 * tree (`files-<projectId>`) opens with its first `FileCreated`, a file's
 * document (`doc-<fileId>`) with its first `DocumentChanged`: those types
 * recur, so only revision 0 opens the stream.
 */
const STREAM_OPENERS = new Set(['ProjectCreated', 'RoomCreated', 'AgentActivityStarted', 'TemplateRunStarted', 'CheckRequested', 'FileCreated', 'DocumentChanged']);

export const projectStreamsProjection: Projection = {
  name: 'project-streams',
  collections: [{ name: ReadModels.streams, indexes: [['projectId', 'firstPosition']] }],
  handles: STREAM_OPENERS,
  async apply(event: RecordedEvent, unit: ProjectionUnitOfWork) {
    if (event.revision !== 0) return;
    const projectId = (event.data as { projectId: string | null }).projectId;
    // A personal check belongs to no project.
    if (projectId === null) return;
    unit.put(ReadModels.streams, { id: event.streamId, projectId, kind: event.streamId.slice(0, event.streamId.indexOf('-')), firstPosition: event.position } satisfies ProjectStreamView);
  },
};
