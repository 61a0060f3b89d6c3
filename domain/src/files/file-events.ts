/**
 * Facts about a project's files. The file tree (create, rename, delete, lock) lives in one
 * `files-<projectId>` stream so paths stay unique; each file's content changes live in its own
 * `doc-<fileId>` stream. Automerge change bytes travel as base64 strings.
 */
export type FileTreeEvent =
  | { type: 'FileCreated'; data: { projectId: string; fileId: string; path: string; createdBy: string; initialChange: string; hash: string; size: number } }
  | { type: 'FileRenamed'; data: { projectId: string; fileId: string; from: string; to: string } }
  | { type: 'FileDeleted'; data: { projectId: string; fileId: string; path: string } }
  | { type: 'FileLocked'; data: { projectId: string; fileId: string; lockedBy: string } }
  | { type: 'FileUnlocked'; data: { projectId: string; fileId: string; unlockedBy: string } };

export type DocumentEvent = {
  type: 'DocumentChanged';
  data: {
    projectId: string;
    fileId: string;
    /** The user whose edits these are (one event per user per flush). */
    authorId: string;
    /** Automerge changes in application order, base64. */
    changes: string[];
    /** Each change's Automerge hash, so a change is stored once however many gateways see it. */
    hashes: string[];
    /** Set when the change puts back an earlier version's text. */
    restoredFrom?: number;
  };
};

export const fileTreeStreamId = (projectId: string): string => `files-${projectId}`;
export const documentStreamId = (fileId: string): string => `doc-${fileId}`;
