/** Named versions ("checkpoints"): an editor labels a version of a file so it stands out in the history. */
import { documentDecider, documentStreamId, MAX_VERSION_LABEL, versionLabelDecider, versionLabelsStreamId, reject } from '@resoft/domain';
import { defineRoute, type RouteSpec } from '@resoft/http-kit';
import { readFileOrigin } from '@resoft/documents';
import { z } from 'zod';
import { requestMetadata } from '../command-handling/request-metadata.js';
import type { CommandServiceDeps } from '../command-service-deps.js';
import { loadProjectContext } from '../projects/project-context-loader.js';
import { projectFileParams } from './file-schemas.js';
import { VersionNamed } from '@resoft/contracts';

export const nameVersionBody = z.strictObject({
  version: z.number().int().min(0),
  label: z.string().min(1, 'must not be empty').max(MAX_VERSION_LABEL, `must be at most ${MAX_VERSION_LABEL} characters`),
});

export function versionLabelRoutes(deps: CommandServiceDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post', path: '/api/projects/:projectId/files/:fileId/checkpoints', summary: 'Name a version of a file (a checkpoint with a label); naming it again renames it', tags: ['files'], auth: 'user', params: projectFileParams, body: nameVersionBody,
      responses: { 201: { description: 'Named', body: VersionNamed }, 400: 'Invalid input', 401: 'Not signed in', 403: 'Needs the editor role', 404: 'Project, file or version not found', 409: 'Project archived' },
      handler: async (ctx) => {
        const { projectId, fileId } = ctx.params;
        const outcome = await deps.executor.execute(versionLabelsStreamId(fileId), versionLabelDecider, async () => {
          const project = await loadProjectContext(deps.executor, projectId);
          // A non-member hears "not found" before anything about the file.
          if (!project.exists || !project.members.has(ctx.user.id)) reject('not_found', 'project_not_found', 'Project not found');
          if (!(await readFileOrigin(deps.store, projectId, fileId))) reject('not_found', 'file_not_found', 'File not found');
          const latestVersion = (await deps.executor.read(documentStreamId(fileId), documentDecider)).changeEvents;
          return { type: 'NameFileVersion' as const, actorId: ctx.user.id, project, fileId, version: ctx.body.version, label: ctx.body.label, latestVersion };
        }, requestMetadata(ctx));
        return { status: 201, body: { version: ctx.body.version, label: ctx.body.label.trim(), position: outcome.position } };
      },
    }),
  ];
}
