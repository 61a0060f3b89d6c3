/**
 * The `checks` read model: one document per code-quality check, the same
 * report shape `POST /api/code-quality/check?wait=true` answers with, plus the
 * position it was requested at (to order a project's history). Its status is
 * `partial` when `CheckCompleted` names incomplete linters (see check-report.ts),
 * `completed` otherwise, old events included. It reads and writes only the
 * document of the event's own check.
 */
import { applyCheckEvent, type CheckEvent, type CheckReport, type RecordedEvent } from '@resoft/domain';
import type { Document } from '@resoft/ports';
import type { Projection, ProjectionUnitOfWork } from '../runtime/projection.js';
import { ReadModels } from './read-model-names.js';

export type CheckView = CheckReport & Document & { requestedPosition: number };

export const checksProjection: Projection = {
  name: 'checks',
  collections: [{ name: ReadModels.checks, indexes: [['projectId', 'requestedPosition'], ['projectId', 'status', 'requestedPosition'], ['requestedBy', 'projectId', 'status', 'requestedPosition']] }],
  handles: new Set(['CheckRequested', 'CheckStarted', 'LinterFinished', 'CheckCompleted', 'CheckFailed']),
  async apply(recorded: RecordedEvent, unit: ProjectionUnitOfWork) {
    const event = { type: recorded.type, data: recorded.data } as CheckEvent;
    const current = event.type === 'CheckRequested' ? null : await unit.get<CheckView>(ReadModels.checks, (event.data as { checkId: string }).checkId);
    const next = applyCheckEvent(current, { event, occurredAt: recorded.metadata.occurredAt, position: recorded.position });
    if (!next) return;
    unit.put(ReadModels.checks, { ...next, requestedPosition: current?.requestedPosition ?? recorded.position } satisfies CheckView);
  },
};
