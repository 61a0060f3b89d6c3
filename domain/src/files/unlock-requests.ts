/**
 * Asking the member who locked a file to unlock it, one `unlock-requests-<fileId>` stream: an editor
 * who finds a file locked by someone else records the request, and the lock holder is told in their
 * inbox. The lock itself stays on the file tree stream; a request changes nothing about it.
 */
import type { Decider } from '../shared/decider.js';
import { reject } from '../shared/domain-error.js';
import type { ProjectContext } from '../shared/project-context.js';
import { requireProjectRole } from '../projects/project-decider.js';
import type { FileEntry } from './file-tree-decider.js';

export type UnlockRequestEvent = { type: 'FileUnlockRequested'; data: { projectId: string; fileId: string; path: string; requestedBy: string; lockedBy: string } };

export type UnlockRequestCommand = { type: 'RequestFileUnlock'; actorId: string; project: ProjectContext; fileId: string; file: FileEntry | null };

export const unlockRequestsStreamId = (fileId: string): string => `unlock-requests-${fileId}`;

function decide(command: UnlockRequestCommand, _state: null): UnlockRequestEvent[] {
  requireProjectRole(command.project, command.actorId, 'editor');
  const file = command.file;
  if (!file || file.deleted) return reject('not_found', 'file_not_found', 'File not found');
  if (file.lockedBy === null) return reject('conflict', 'file_not_locked', 'The file is not locked: you can edit it');
  if (file.lockedBy === command.actorId) return reject('conflict', 'locked_by_you', 'You hold the lock yourself: unlock it');
  return [{ type: 'FileUnlockRequested', data: { projectId: command.project.projectId, fileId: command.fileId, path: file.path, requestedBy: command.actorId, lockedBy: file.lockedBy } }];
}

export const unlockRequestDecider: Decider<UnlockRequestCommand, null, UnlockRequestEvent> = { initialState: () => null, decide, evolve: (state) => state };
