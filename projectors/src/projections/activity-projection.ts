/**
 * The `activity` read model: a project's timeline, one entry per event on
 * the project, its rooms and its agent activities, queryable by type,
 * person and period.
 */
import type { RecordedEvent } from '@resoft/domain';
import type { Document } from '@resoft/ports';
import type { Projection, ProjectionUnitOfWork } from '../runtime/projection.js';
import { PROJECT_TIMELINE_EVENTS, summarize } from './activity-summary.js';
import { ReadModels } from './read-model-names.js';

export interface ActivityView extends Document {
  id: string;
  projectId: string;
  position: number;
  type: string;
  actorId: string | null;
  occurredAt: string;
  streamId: string;
  summary: string;
}

export const activityProjection: Projection = {
  name: 'activity',
  collections: [{ name: ReadModels.activity, indexes: [['projectId', 'position'], ['projectId', 'type', 'position'], ['projectId', 'actorId', 'position'], ['projectId', 'occurredAt']] }],
  handles: PROJECT_TIMELINE_EVENTS,
  // Synchronous: it only puts, so no promise per event.
  apply(event: RecordedEvent, unit: ProjectionUnitOfWork): void {
    const projectId = (event.data as { projectId?: unknown }).projectId;
    if (typeof projectId !== 'string') return;
    unit.put(ReadModels.activity, {
      id: event.id, projectId, position: event.position, type: event.type, actorId: event.metadata.actor, occurredAt: event.metadata.occurredAt, streamId: event.streamId, summary: summarize(event),
    } satisfies ActivityView);
  },
};
