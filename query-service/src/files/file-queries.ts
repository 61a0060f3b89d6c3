/** A project's files: the list, one file's text at the latest or any version, and its version history. */
import { parseAsOf } from '@resoft/domain';
import { DocumentSnapshotsAsOf } from '@resoft/infra';
import { HttpError, defineRoute, uuidSchema, type RouteSpec } from '@resoft/http-kit';
import { listFileVersions, loadDocumentAt, projectFilesAsOf, readFileOrigin, textOf } from '@resoft/documents';
import { ReadModels, type ProjectFileView } from '@resoft/projectors';
import { z } from 'zod';
import { readYourWrites } from '../consistency/read-your-writes.js';
import { readGuards } from '../auth/read-guards.js';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { asOfQuery, asOfSchema, consistentQuery, projectParams } from '../query-schemas.js';
import { FileList, FileVersions, FileWithText } from '@resoft/contracts';

const TAGS = ['files'];
const READ = { 401: 'Not signed in', 404: 'Project, file or version not found (or you are not a member)' };
const fileParams = z.object({ projectId: uuidSchema, fileId: uuidSchema });
const listQuery = asOfQuery;
const fileQuery = consistentQuery.extend({ version: z.coerce.number().int().min(0).optional(), asOf: asOfSchema });

/** What a listing leaves out of a file: its text and the document state; the store does not even read them out. */
const NOT_LISTED = ['text', 'snapshot', 'docRevision', 'pendingChanges', 'pendingEvents', 'changeEventId'] as const;
type FileSummary = Omit<ProjectFileView, (typeof NOT_LISTED)[number]>;
const summary = (file: ProjectFileView): FileSummary => {
  const rest: Partial<ProjectFileView> = { ...file };
  for (const field of NOT_LISTED) delete rest[field];
  return rest as FileSummary;
};

export function fileQueries(deps: QueryServiceDeps): RouteSpec[] {
  const afterWrites = readYourWrites(deps);
  const { projectMember } = readGuards(deps);
  const { readStore, eventStore } = deps;
  // Time travel reads each file's text from the versions the files projection records (checkpoint plus splices, no Automerge);
  // a file they do not cover yet is replayed from its last periodic snapshot by then (issue 13).
  const asOfSources = { textVersions: readStore, snapshots: new DocumentSnapshotsAsOf(readStore) };
  const liveFile = async (projectId: string, fileId: string): Promise<ProjectFileView> => {
    const file = await readStore.get<ProjectFileView>(ReadModels.projectFiles, fileId);
    if (!file || file.deleted || file.projectId !== projectId) throw new HttpError(404, 'file_not_found', 'File not found');
    return file;
  };
  const originOf = async (file: ProjectFileView) => {
    const origin = await readFileOrigin(eventStore, file.projectId, file.id);
    if (!origin) throw new HttpError(404, 'file_not_found', 'File not found');
    return origin;
  };
  return [
    defineRoute({
      consistency: afterWrites, guard: projectMember('projectId'),
      method: 'get', path: '/api/projects/:projectId/files', summary: "A project's files (path, size, lock, latest version), by path; `?asOf=` as they were then", tags: TAGS, auth: 'user', params: projectParams, query: listQuery,
      responses: { 200: { description: 'Files', body: FileList }, 400: 'Invalid asOf', ...READ },
      handler: async (ctx) => {
        if (ctx.query.asOf !== undefined) {
          const then = await projectFilesAsOf(eventStore, ctx.params.projectId, parseAsOf(ctx.query.asOf), asOfSources);
          return { body: { asOf: ctx.query.asOf, items: then.map((f) => ({ id: f.fileId, projectId: ctx.params.projectId, path: f.path, version: f.version, size: Buffer.byteLength(f.text) })) } };
        }
        const files = await readStore.find<FileSummary & { id: string }>(ReadModels.projectFiles, {
          where: { projectId: ctx.params.projectId, deleted: false }, orderBy: [{ field: 'path', direction: 'asc' }], omit: NOT_LISTED,
        });
        return { body: { items: files } };
      },
    }),
    defineRoute({
      consistency: afterWrites, guard: projectMember('projectId'),
      method: 'get', path: '/api/projects/:projectId/files/:fileId', summary: "A file with its text, at the latest version, at `?version=`, or as it was at `?asOf=`", tags: TAGS, auth: 'user', params: fileParams, query: fileQuery,
      responses: { 200: { description: 'The file and its text', body: FileWithText }, 400: 'Invalid asOf', ...READ },
      handler: async (ctx) => {
        if (ctx.query.asOf !== undefined) {
          // A file deleted since is still there as of a moment it lived.
          const then = (await projectFilesAsOf(eventStore, ctx.params.projectId, parseAsOf(ctx.query.asOf), asOfSources)).find((f) => f.fileId === ctx.params.fileId);
          if (!then) throw new HttpError(404, 'file_not_found', `The file did not exist as of ${ctx.query.asOf}`);
          return { body: { asOf: ctx.query.asOf, id: then.fileId, projectId: ctx.params.projectId, path: then.path, version: then.version, text: then.text } };
        }
        const file = await liveFile(ctx.params.projectId, ctx.params.fileId);
        const wanted = ctx.query.version;
        if (wanted === undefined || wanted === file.version) return { body: { ...summary(file), text: file.text } };
        const { doc, latestVersion } = await loadDocumentAt(eventStore, await originOf(file), wanted);
        if (wanted > latestVersion) throw new HttpError(404, 'version_not_found', `Version ${wanted} not found (the file has versions 0 to ${latestVersion})`);
        return { body: { ...summary(file), version: wanted, latestVersion, text: textOf(doc) } };
      },
    }),
    defineRoute({
      consistency: afterWrites, guard: projectMember('projectId'),
      method: 'get', path: '/api/projects/:projectId/files/:fileId/versions', summary: "A file's versions: who, when, how much text changed, restores", tags: TAGS, auth: 'user', params: fileParams, query: consistentQuery,
      responses: { 200: { description: 'Versions, oldest first', body: FileVersions }, ...READ },
      handler: async (ctx) => {
        const file = await liveFile(ctx.params.projectId, ctx.params.fileId);
        return { body: { items: await listFileVersions(eventStore, await originOf(file)) } };
      },
    }),
  ];
}
