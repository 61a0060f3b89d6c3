/** Project files over HTTP: create, replace text, rename, delete, lock, unlock and restore a version. Live editing goes through the gateway. */
import { defineRoute, type RouteSpec } from '@resoft/http-kit';
import { requestMetadata } from '../command-handling/request-metadata.js';
import type { CommandServiceDeps } from '../command-service-deps.js';
import { projectParams } from '../projects/project-schemas.js';
import { createFileBody, projectFileParams, renameFileBody, restoreFileBody, writeFileBody } from './file-schemas.js';
import { ContentWritten, Created, Written } from '@resoft/contracts';

const TAGS = ['files'];
const WRITE = { 400: 'Invalid input', 401: 'Not signed in', 403: 'Needs the editor role (unlock: the lock holder or an owner)', 404: 'Project or file not found', 409: 'Path taken, file locked by another member, or project archived' };

export function fileRoutes(deps: CommandServiceDeps): RouteSpec[] {
  const { files } = deps;
  const ref = (ctx: { params: { projectId: string; fileId: string }; user: { id: string } }) => ({ projectId: ctx.params.projectId, fileId: ctx.params.fileId, actorId: ctx.user.id });
  return [
    defineRoute({
      method: 'post', path: '/api/projects/:projectId/files', summary: 'Create a project file', tags: TAGS, auth: 'user', params: projectParams, body: createFileBody,
      responses: { 201: { description: 'Created', body: Created }, ...WRITE },
      handler: async (ctx) => {
        const { fileId, position } = await files.create({ projectId: ctx.params.projectId, actorId: ctx.user.id, ...ctx.body }, requestMetadata(ctx));
        return { status: 201, body: { id: fileId, position } };
      },
    }),
    defineRoute({
      method: 'put', path: '/api/projects/:projectId/files/:fileId/content', summary: 'Replace a file\'s text (one new version, merged with concurrent live edits)', tags: TAGS, auth: 'user', params: projectFileParams, body: writeFileBody,
      responses: { 200: { description: 'Written (changed is false when the text was already this)', body: ContentWritten }, ...WRITE },
      handler: async (ctx) => ({ body: await files.replaceContent({ ...ref(ctx), content: ctx.body.content }, requestMetadata(ctx)) }),
    }),
    defineRoute({
      method: 'patch', path: '/api/projects/:projectId/files/:fileId', summary: 'Rename or move a file', tags: TAGS, auth: 'user', params: projectFileParams, body: renameFileBody,
      responses: { 200: { description: 'Renamed', body: Written }, ...WRITE },
      handler: async (ctx) => ({ body: await files.rename({ ...ref(ctx), path: ctx.body.path }, requestMetadata(ctx)) }),
    }),
    defineRoute({
      method: 'delete', path: '/api/projects/:projectId/files/:fileId', summary: 'Delete a file (its history stays in the event store)', tags: TAGS, auth: 'user', params: projectFileParams,
      responses: { 200: { description: 'Deleted', body: Written }, ...WRITE },
      handler: async (ctx) => ({ body: await files.delete(ref(ctx), requestMetadata(ctx)) }),
    }),
    defineRoute({
      method: 'post', path: '/api/projects/:projectId/files/:fileId/lock', summary: 'Lock a file: others can no longer edit, rename or delete it', tags: TAGS, auth: 'user', params: projectFileParams,
      responses: { 200: { description: 'Locked', body: Written }, ...WRITE },
      handler: async (ctx) => ({ body: await files.lock(ref(ctx), requestMetadata(ctx)) }),
    }),
    defineRoute({
      method: 'post', path: '/api/projects/:projectId/files/:fileId/unlock', summary: 'Unlock a file (the lock holder or an owner)', tags: TAGS, auth: 'user', params: projectFileParams,
      responses: { 200: { description: 'Unlocked', body: Written }, ...WRITE },
      handler: async (ctx) => ({ body: await files.unlock(ref(ctx), requestMetadata(ctx)) }),
    }),
    defineRoute({
      method: 'post', path: '/api/projects/:projectId/files/:fileId/restore', summary: 'Restore an earlier version (recorded as a new change; history is kept)', tags: TAGS, auth: 'user', params: projectFileParams, body: restoreFileBody,
      responses: { 200: { description: 'Restored', body: ContentWritten }, ...WRITE },
      handler: async (ctx) => ({ body: await files.restore({ ...ref(ctx), version: ctx.body.version }, requestMetadata(ctx)) }),
    }),
  ];
}
