/** Asking the lock holder to unlock a file: recorded, and told in the holder's inbox. */
import { fileTreeDecider, fileTreeStreamId, unlockRequestDecider, unlockRequestsStreamId } from '@resoft/domain';
import { defineRoute, type RouteSpec } from '@resoft/http-kit';
import { requestMetadata } from '../command-handling/request-metadata.js';
import type { CommandServiceDeps } from '../command-service-deps.js';
import { loadProjectContext } from '../projects/project-context-loader.js';
import { projectFileParams } from './file-schemas.js';
import { UnlockRequested } from '@resoft/contracts';

export function unlockRequestRoutes(deps: CommandServiceDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post', path: '/api/projects/:projectId/files/:fileId/unlock-requests', summary: 'Ask the member who locked a file to unlock it (they are told in their inbox)', tags: ['files'], auth: 'user', params: projectFileParams,
      responses: { 201: { description: 'Asked', body: UnlockRequested }, 401: 'Not signed in', 403: 'Needs the editor role', 404: 'Project or file not found', 409: 'The file is not locked, or you hold the lock, or the project is archived' },
      handler: async (ctx) => {
        const { projectId, fileId } = ctx.params;
        const outcome = await deps.executor.execute(unlockRequestsStreamId(fileId), unlockRequestDecider, async () => {
          const [project, tree] = await Promise.all([loadProjectContext(deps.executor, projectId), deps.executor.read(fileTreeStreamId(projectId), fileTreeDecider)]);
          return { type: 'RequestFileUnlock' as const, actorId: ctx.user.id, project, fileId, file: tree.files.get(fileId) ?? null };
        }, requestMetadata(ctx));
        return { status: 201, body: { lockedBy: outcome.events[0]?.data.lockedBy ?? null, position: outcome.position } };
      },
    }),
  ];
}
