/**
 * A project's file tree: create, rename, delete, lock and unlock. Editors change the tree; a path
 * names at most one live file; a locked file is changed (edited, renamed, deleted) only by the
 * member who locked it, and unlocked by that member or an owner.
 */
import { requireProjectRole } from '../projects/project-decider.js';
import type { Decider } from '../shared/decider.js';
import { reject } from '../shared/domain-error.js';
import type { ProjectContext } from '../shared/project-context.js';
import { lockAllows, mayUnlockFile } from '../shared/permissions.js';
import { normaliseFilePath } from './file-path.js';
import type { FileTreeEvent } from './file-events.js';

export interface FileEntry {
  readonly path: string;
  readonly deleted: boolean;
  readonly lockedBy: string | null;
}

export interface FileTreeState {
  readonly files: ReadonlyMap<string, FileEntry>;
  /** Live (not deleted) files by path. */
  readonly paths: ReadonlyMap<string, string>;
}

type WithProject = { actorId: string; project: ProjectContext };

export type FileTreeCommand =
  | ({ type: 'CreateFile'; fileId: string; path: string; initialChange: string; hash: string; size: number } & WithProject)
  | ({ type: 'RenameFile'; fileId: string; path: string } & WithProject)
  | ({ type: 'DeleteFile'; fileId: string } & WithProject)
  | ({ type: 'LockFile'; fileId: string } & WithProject)
  | ({ type: 'UnlockFile'; fileId: string } & WithProject);

const initialState = (): FileTreeState => ({ files: new Map(), paths: new Map() });

/** The live file, or not_found. */
export function requireLiveFile(state: FileTreeState, fileId: string): FileEntry {
  const file = state.files.get(fileId);
  if (!file || file.deleted) return reject('not_found', 'file_not_found', 'File not found');
  return file;
}

/** Refuses a change to a file someone else has locked. */
export function requireNotLockedByOther(file: FileEntry, actorId: string): void {
  if (!lockAllows(file.lockedBy, actorId)) reject('conflict', 'file_locked', 'The file is locked by another member');
}

function requireFreePath(state: FileTreeState, path: string): void {
  if (state.paths.has(path)) reject('conflict', 'path_taken', `A file already exists at ${path}`);
}

function decide(command: FileTreeCommand, state: FileTreeState): FileTreeEvent[] {
  const { actorId, project } = command;
  const projectId = project.projectId;
  requireProjectRole(project, actorId, 'editor');
  if (command.type === 'CreateFile') {
    const path = normaliseFilePath(command.path);
    if (state.files.has(command.fileId)) reject('conflict', 'file_exists', 'A file with this id already exists');
    requireFreePath(state, path);
    return [{ type: 'FileCreated', data: { projectId, fileId: command.fileId, path, createdBy: actorId, initialChange: command.initialChange, hash: command.hash, size: command.size } }];
  }
  const file = requireLiveFile(state, command.fileId);
  const fileId = command.fileId;
  switch (command.type) {
    case 'RenameFile': {
      const path = normaliseFilePath(command.path);
      requireNotLockedByOther(file, actorId);
      if (path === file.path) return [];
      requireFreePath(state, path);
      return [{ type: 'FileRenamed', data: { projectId, fileId, from: file.path, to: path } }];
    }
    case 'DeleteFile':
      requireNotLockedByOther(file, actorId);
      return [{ type: 'FileDeleted', data: { projectId, fileId, path: file.path } }];
    case 'LockFile':
      if (file.lockedBy === actorId) return [];
      requireNotLockedByOther(file, actorId);
      return [{ type: 'FileLocked', data: { projectId, fileId, lockedBy: actorId } }];
    case 'UnlockFile':
      if (file.lockedBy === null) return [];
      if (!mayUnlockFile({ role: project.members.get(actorId)?.role, userId: actorId, lockedBy: file.lockedBy })) {
        reject('forbidden', 'not_lock_holder', 'Only the member who locked the file or an owner can unlock it');
      }
      return [{ type: 'FileUnlocked', data: { projectId, fileId, unlockedBy: actorId } }];
  }
}

// States are private to one stream's cache and evolved in place for O(1) per event.
function evolve(state: FileTreeState, event: FileTreeEvent): FileTreeState {
  const files = state.files as Map<string, FileEntry>;
  const paths = state.paths as Map<string, string>;
  const d = event.data;
  const current = files.get(d.fileId);
  switch (event.type) {
    case 'FileCreated':
      files.set(d.fileId, { path: event.data.path, deleted: false, lockedBy: null });
      paths.set(event.data.path, d.fileId);
      break;
    case 'FileRenamed':
      if (current) files.set(d.fileId, { ...current, path: event.data.to });
      paths.delete(event.data.from);
      paths.set(event.data.to, d.fileId);
      break;
    case 'FileDeleted':
      if (current) files.set(d.fileId, { ...current, deleted: true, lockedBy: null });
      paths.delete(event.data.path);
      break;
    case 'FileLocked':
      if (current) files.set(d.fileId, { ...current, lockedBy: event.data.lockedBy });
      break;
    case 'FileUnlocked':
      if (current) files.set(d.fileId, { ...current, lockedBy: null });
      break;
  }
  return state;
}

export const fileTreeDecider: Decider<FileTreeCommand, FileTreeState, FileTreeEvent> = { initialState, decide, evolve };
