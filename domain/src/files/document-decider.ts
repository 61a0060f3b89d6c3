/**
 * A file's content history: each accepted batch of Automerge changes is one `DocumentChanged`.
 * Only editors change documents; a deleted file takes no changes; a locked file takes changes
 * only from the member who locked it. A change already stored (same hash) is never stored again,
 * so several gateway instances that see the same client change cannot duplicate it.
 */
import { requireProjectRole } from '../projects/project-decider.js';
import type { Decider } from '../shared/decider.js';
import { reject } from '../shared/domain-error.js';
import type { ProjectContext } from '../shared/project-context.js';
import type { DocumentEvent } from './file-events.js';
import { requireLiveFile, requireNotLockedByOther, type FileTreeState } from './file-tree-decider.js';

export interface DocumentState {
  /** Number of stored `DocumentChanged` events: the file's version is this (version 0 is the created file). */
  readonly changeEvents: number;
  /** Hashes of every stored change, including the file's initial change. */
  readonly hashes: ReadonlySet<string>;
}

export interface ChangeDocument {
  readonly type: 'ChangeDocument';
  readonly actorId: string;
  readonly fileId: string;
  readonly project: ProjectContext;
  readonly tree: FileTreeState;
  /** The created file's initial change hash (from the tree stream), so it is never stored twice either. */
  readonly initialHash: string;
  readonly changes: readonly { readonly bytes: string; readonly hash: string }[];
  readonly restoredFrom?: number;
}

const initialState = (): DocumentState => ({ changeEvents: 0, hashes: new Set() });

function decide(command: ChangeDocument, state: DocumentState): DocumentEvent[] {
  requireProjectRole(command.project, command.actorId, 'editor');
  const file = requireLiveFile(command.tree, command.fileId);
  requireNotLockedByOther(file, command.actorId);
  const seen = new Set<string>();
  const fresh = command.changes.filter((c) => {
    if (c.hash === command.initialHash || state.hashes.has(c.hash) || seen.has(c.hash)) return false;
    seen.add(c.hash);
    return true;
  });
  if (fresh.length === 0) return [];
  return [{
    type: 'DocumentChanged',
    data: {
      projectId: command.project.projectId, fileId: command.fileId, authorId: command.actorId,
      changes: fresh.map((c) => c.bytes), hashes: fresh.map((c) => c.hash),
      ...(command.restoredFrom === undefined ? {} : { restoredFrom: command.restoredFrom }),
    },
  }];
}

function evolve(state: DocumentState, event: DocumentEvent): DocumentState {
  const hashes = state.hashes as Set<string>;
  for (const hash of event.data.hashes) hashes.add(hash);
  return { changeEvents: state.changeEvents + 1, hashes };
}

export const documentDecider: Decider<ChangeDocument, DocumentState, DocumentEvent> = { initialState, decide, evolve };

/** Rejects a version number the file does not have. */
export function requireVersion(state: DocumentState, version: number): void {
  if (!Number.isInteger(version) || version < 0 || version > state.changeEvents) reject('not_found', 'version_not_found', `Version ${version} not found (the file has versions 0 to ${state.changeEvents})`);
}
