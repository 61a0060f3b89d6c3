/**
 * A file's history as people read it (issue 12): versions grouped into editing sessions (per
 * author, split by idle gaps of `gapSeconds`), with the named versions (checkpoints) beside them.
 * The flat list stays at `/versions`.
 */
import type { RecordedEvent, VersionLabelEvent } from '@resoft/domain';
import { versionLabelsStreamId } from '@resoft/domain';
import { HttpError, defineRoute, uuidSchema, type RouteSpec } from '@resoft/http-kit';
import { listFileVersions, readFileOrigin } from '@resoft/documents';
import { ReadModels, type ProjectFileView } from '@resoft/projectors';
import { z } from 'zod';
import { readYourWrites } from '../consistency/read-your-writes.js';
import { readGuards } from '../auth/read-guards.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { consistentQuery } from '../query-schemas.js';
import { groupIntoSessions } from './version-sessions.js';
import { FileHistory } from '@resoft/contracts';

/** Five minutes without a version ends a session unless the caller asks otherwise. */
export const DEFAULT_SESSION_GAP_SECONDS = 300;
const fileParams = z.object({ projectId: uuidSchema, fileId: uuidSchema });
const historyQuery = consistentQuery.extend({
  gapSeconds: z.coerce.number().int().min(10).max(86_400).default(DEFAULT_SESSION_GAP_SECONDS).describe('A pause longer than this (seconds) between two versions of one author starts a new session'),
});

export function fileHistoryQueries(deps: QueryServiceDeps): RouteSpec[] {
  const afterWrites = readYourWrites(deps);
  const { projectMember } = readGuards(deps);
  return [
    defineRoute({
      consistency: afterWrites, guard: projectMember('projectId'),
      method: 'get', path: '/api/projects/:projectId/files/:fileId/history', summary: "A file's history in editing sessions (per author, split by idle gaps), with named versions", tags: ['files'], auth: 'user', params: fileParams, query: historyQuery,
      responses: { 200: { description: 'Sessions, oldest first, the named versions and the latest version', body: FileHistory }, 400: 'Invalid query', 401: 'Not signed in', 404: 'Project or file not found (or you are not a member)' },
      handler: async (ctx) => {
        const { projectId, fileId } = ctx.params;
        const file = await deps.readStore.get<ProjectFileView>(ReadModels.projectFiles, fileId);
        const origin = file && !file.deleted && file.projectId === projectId ? await readFileOrigin(deps.eventStore, projectId, fileId) : null;
        if (!origin) throw new HttpError(404, 'file_not_found', 'File not found');
        const versions = await listFileVersions(deps.eventStore, origin);
        const named = (await deps.eventStore.readStream(versionLabelsStreamId(fileId))) as unknown as (RecordedEvent & VersionLabelEvent)[];
        const labels = new Map(named.filter((e) => e.type === 'FileVersionNamed').map((e) => [e.data.version, e.data.label]));
        return {
          body: {
            gapSeconds: ctx.query.gapSeconds,
            latestVersion: versions[versions.length - 1]?.version ?? 0,
            labels: [...labels].map(([version, label]) => ({ version, label })).sort((a, b) => a.version - b.version),
            sessions: groupIntoSessions(versions, labels, ctx.query.gapSeconds * 1000),
          },
        };
      },
    }),
  ];
}
