/**
 * Project files on the command path: create, write (create or replace text), rename, delete, lock,
 * unlock, restore a version, and store Automerge changes sent by the collaboration gateway.
 * Every operation goes through the file-tree or document decider with the project's roles, so the
 * HTTP routes, the gateway and the template applier follow one set of rules.
 */
import {
  documentDecider, documentStreamId, fileTreeDecider, fileTreeStreamId, normaliseFilePath, reject, requireProjectRole, requireVersion,
  type FileTreeState,
} from '@resoft/domain';
import { newId } from '@resoft/infra';
import { type EventStore } from '@resoft/ports';
import {
  createTextDocument,
  loadDocumentAt,
  readFileOrigin,
  replaceText,
  textOf,
  type EncodedChange,
  type FileOrigin,
} from '@resoft/documents';
import type { CommandExecutor } from '../command-handling/command-executor.js';
import type { CommandMetadata } from '../command-handling/command-metadata.js';
import { loadProjectContext } from '../projects/project-context-loader.js';

/** Largest file text accepted, in UTF-8 bytes. */
export const MAX_FILE_BYTES = 1_000_000;

interface FileRef {
  readonly projectId: string;
  readonly fileId: string;
  readonly actorId: string;
}

export class ProjectFiles {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly store: EventStore,
  ) {}

  /** Creates a file holding `content`. */
  async create(input: { projectId: string; actorId: string; path: string; content: string; fileId?: string }, meta: CommandMetadata): Promise<{ fileId: string; position: number }> {
    requireSize(input.content);
    const fileId = input.fileId ?? newId();
    const { initial } = createTextDocument(input.content);
    const outcome = await this.executor.execute(fileTreeStreamId(input.projectId), fileTreeDecider, async () => ({
      type: 'CreateFile' as const, actorId: input.actorId, project: await loadProjectContext(this.executor, input.projectId),
      fileId, path: input.path, initialChange: initial.bytes, hash: initial.hash, size: Buffer.byteLength(input.content),
    }), meta);
    return { fileId, position: outcome.position };
  }

  /** Creates the file at `path`, or with `overwrite` replaces the text of the file already there (as a new version). */
  async write(input: { projectId: string; actorId: string; path: string; content: string; overwrite: boolean }, meta: CommandMetadata): Promise<{ fileId: string; created: boolean; position: number }> {
    const path = normaliseFilePath(input.path);
    const existing = (await this.tree(input.projectId)).paths.get(path);
    if (existing === undefined || !input.overwrite) {
      const { fileId, position } = await this.create({ ...input, path }, meta);
      return { fileId, created: true, position };
    }
    const { position } = await this.replaceContent({ projectId: input.projectId, fileId: existing, actorId: input.actorId, content: input.content }, meta);
    return { fileId: existing, created: false, position };
  }

  /** Makes the file's text equal `content` as one new change (a minimal diff). */
  async replaceContent(input: FileRef & { content: string; restoredFrom?: number }, meta: CommandMetadata): Promise<{ position: number; changed: boolean }> {
    requireSize(input.content);
    const origin = await this.origin(input.projectId, input.fileId);
    const outcome = await this.executor.execute(documentStreamId(input.fileId), documentDecider, async () => {
      const { doc } = await loadDocumentAt(this.store, origin);
      const { change } = replaceText(doc, input.content);
      return this.changeCommand(input, origin, change ? [change] : [], input.restoredFrom);
    }, meta);
    return { position: outcome.position, changed: outcome.events.length > 0 };
  }

  /** Puts back the text of an earlier version as a new change; history is never rewritten. */
  async restore(input: FileRef & { version: number }, meta: CommandMetadata): Promise<{ position: number; changed: boolean }> {
    const origin = await this.origin(input.projectId, input.fileId);
    requireVersion(await this.executor.read(documentStreamId(input.fileId), documentDecider), input.version);
    const { doc } = await loadDocumentAt(this.store, origin, input.version);
    return this.replaceContent({ ...input, content: textOf(doc), restoredFrom: input.version }, meta);
  }

  /** Stores Automerge changes a member made (the gateway's path). Changes already stored are dropped; none left changes nothing. */
  async applyChanges(input: FileRef & { changes: readonly EncodedChange[] }, meta: CommandMetadata): Promise<{ position: number; stored: number }> {
    const origin = await this.origin(input.projectId, input.fileId);
    const outcome = await this.executor.execute(documentStreamId(input.fileId), documentDecider, () => this.changeCommand(input, origin, input.changes), meta);
    return { position: outcome.position, stored: outcome.events[0]?.data.changes.length ?? 0 };
  }

  rename(input: FileRef & { path: string }, meta: CommandMetadata) {
    return this.treeCommand(input, meta, { type: 'RenameFile' as const, fileId: input.fileId, path: input.path });
  }

  delete(input: FileRef, meta: CommandMetadata) {
    return this.treeCommand(input, meta, { type: 'DeleteFile' as const, fileId: input.fileId });
  }

  lock(input: FileRef, meta: CommandMetadata) {
    return this.treeCommand(input, meta, { type: 'LockFile' as const, fileId: input.fileId });
  }

  unlock(input: FileRef, meta: CommandMetadata) {
    return this.treeCommand(input, meta, { type: 'UnlockFile' as const, fileId: input.fileId });
  }

  /** A file's text at a version (default: the latest), for a member of its project. */
  async read(projectId: string, fileId: string, version: number | undefined, actorId: string): Promise<{ path: string; text: string; version: number }> {
    const project = await loadProjectContext(this.executor, projectId);
    requireProjectRole({ ...project, archived: false }, actorId, 'viewer');
    const file = (await this.tree(projectId)).files.get(fileId);
    if (!file || file.deleted) return reject('not_found', 'file_not_found', 'File not found');
    const origin = await this.origin(projectId, fileId);
    if (version !== undefined) requireVersion(await this.executor.read(documentStreamId(fileId), documentDecider), version);
    const { doc, latestVersion } = await loadDocumentAt(this.store, origin, version);
    return { path: file.path, text: textOf(doc), version: version ?? latestVersion };
  }

  /** The live files of a project (id and path), for a member: what a check reads as the project tree. */
  async livePaths(projectId: string, actorId: string): Promise<{ fileId: string; path: string }[]> {
    const project = await loadProjectContext(this.executor, projectId);
    requireProjectRole({ ...project, archived: false }, actorId, 'viewer');
    const { paths } = await this.tree(projectId);
    return [...paths].map(([path, fileId]) => ({ fileId, path }));
  }

  private async treeCommand<C extends { type: 'RenameFile' | 'DeleteFile' | 'LockFile' | 'UnlockFile'; fileId: string }>(input: FileRef, meta: CommandMetadata, command: C): Promise<{ position: number }> {
    const outcome = await this.executor.execute(fileTreeStreamId(input.projectId), fileTreeDecider, async () => ({
      ...command, actorId: input.actorId, project: await loadProjectContext(this.executor, input.projectId),
    }) as Parameters<typeof fileTreeDecider.decide>[0], meta);
    return { position: outcome.position };
  }

  private async changeCommand(input: FileRef, origin: FileOrigin, changes: readonly EncodedChange[], restoredFrom?: number) {
    return {
      type: 'ChangeDocument' as const, actorId: input.actorId, fileId: input.fileId,
      project: await loadProjectContext(this.executor, input.projectId), tree: await this.tree(input.projectId),
      initialHash: origin.initialHash, changes, ...(restoredFrom === undefined ? {} : { restoredFrom }),
    };
  }

  private tree(projectId: string): Promise<FileTreeState> {
    return this.executor.read(fileTreeStreamId(projectId), fileTreeDecider);
  }

  private async origin(projectId: string, fileId: string): Promise<FileOrigin> {
    const origin = await readFileOrigin(this.store, projectId, fileId);
    // Roles are checked by the deciders (and by `read`); both answer 404 to a non-member.
    if (!origin) return reject('not_found', 'file_not_found', 'File not found');
    return origin;
  }
}

function requireSize(content: string): void {
  if (Buffer.byteLength(content) > MAX_FILE_BYTES) reject('invalid', 'file_too_large', `File content is larger than ${MAX_FILE_BYTES} bytes`);
}
