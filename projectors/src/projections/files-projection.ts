/**
 * The `project_files` read model: each file's path, lock, version, current text and a compact
 * Automerge snapshot. The gateway loads an open document from the snapshot plus the events after
 * its version, so loading never replays a long history.
 */
import type { DocumentEvent, FileTreeEvent, RecordedEvent } from '@resoft/domain';
import { applyEncodedChanges, loadSavedTextDocument, loadTextDocument, saveTextDocument, textOf, type Document } from '@resoft/infra';
import type { Projection } from '../runtime/projection.js';
import { ReadModels } from './read-model-names.js';

export interface ProjectFileView extends Document {
  id: string;
  projectId: string;
  path: string;
  deleted: boolean;
  lockedBy: string | null;
  /** Number of `DocumentChanged` events applied: the file's latest version. */
  version: number;
  /** Revision of the `doc-<id>` stream the snapshot includes (-1: none yet). */
  docRevision: number;
  size: number;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  text: string;
  /** `Automerge.save` of the document at `version`, base64. */
  snapshot: string;
}

export const filesProjection: Projection = {
  name: 'files',
  collections: [{ name: ReadModels.projectFiles, indexes: [['projectId', 'path']] }],
  handles: new Set(['FileCreated', 'FileRenamed', 'FileDeleted', 'FileLocked', 'FileUnlocked', 'DocumentChanged']),
  async apply(recorded: RecordedEvent, unit) {
    const event = recorded as unknown as FileTreeEvent | DocumentEvent;
    const at = recorded.metadata.occurredAt;
    if (event.type === 'FileCreated') {
      const d = event.data;
      const doc = loadTextDocument(d.initialChange);
      const text = textOf(doc);
      unit.put(ReadModels.projectFiles, {
        id: d.fileId, projectId: d.projectId, path: d.path, deleted: false, lockedBy: null, version: 0, docRevision: -1,
        size: Buffer.byteLength(text), createdBy: d.createdBy, createdAt: at, updatedBy: d.createdBy, updatedAt: at, text, snapshot: saveTextDocument(doc),
      } satisfies ProjectFileView);
      return;
    }
    const file = await unit.get<ProjectFileView>(ReadModels.projectFiles, event.data.fileId);
    if (!file) return;
    switch (event.type) {
      case 'FileRenamed':
        unit.put(ReadModels.projectFiles, { ...file, path: event.data.to, updatedAt: at });
        break;
      case 'FileDeleted':
        unit.put(ReadModels.projectFiles, { ...file, deleted: true, lockedBy: null, updatedAt: at });
        break;
      case 'FileLocked':
        unit.put(ReadModels.projectFiles, { ...file, lockedBy: event.data.lockedBy });
        break;
      case 'FileUnlocked':
        unit.put(ReadModels.projectFiles, { ...file, lockedBy: null });
        break;
      case 'DocumentChanged': {
        const doc = applyEncodedChanges(loadSavedTextDocument(file.snapshot), event.data.changes);
        const text = textOf(doc);
        unit.put(ReadModels.projectFiles, {
          ...file, version: file.version + 1, docRevision: recorded.revision, size: Buffer.byteLength(text), text, snapshot: saveTextDocument(doc),
          updatedBy: event.data.authorId, updatedAt: at,
        });
        break;
      }
    }
  },
};
