/**
 * The `project_files` read model: each file's path, lock, version, current text and a compact
 * Automerge snapshot with the changes made since it. The snapshot is saved again only once
 * SNAPSHOT_EVERY changes have gathered (a whole-document save per change made a file's history
 * quadratic), the working document stays in memory between batches, and a batch's changes of a file
 * are applied in one call at the batch's end (one call per change made a rebuild quadratic too). The gateway loads an open document from the
 * snapshot plus the events after `docRevision`, so loading never replays a long history.
 * It also records each version's text edits (`file_text_versions`, documents/src/file-text-versions.ts)
 * so that time travel reads a file's text as it was without loading Automerge.
 */
import type { DocumentEvent, FileTreeEvent, RecordedEvent } from '@resoft/domain';
import { type Document } from '@resoft/ports';
import {
  FILE_TEXT_VERSIONS, TEXT_CHECKPOINT_EVERY, VersionedTextDocument, applyEncodedChanges, keepAutomergeHeapAhead, fileTextVersionId, fileTextVersionsCollection, loadSavedTextDocument, loadTextDocument, saveTextDocument, textOf,
  type FileTextVersion, type TextDocument,
} from '@resoft/documents';
import type { Projection, ProjectionUnitOfWork } from '../runtime/projection.js';
import { FileDocumentCache } from './file-document-cache.js';
import { RebuiltFiles } from './file-rebuild-state.js';
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
  /** Change bytes (base64) of the `DocumentChanged` events after the snapshot, in order: snapshot + these = the document at `version`. */
  pendingChanges: string[];
  /** How many `DocumentChanged` events `pendingChanges` holds. */
  pendingEvents: number;
  /** Id of the last event that changed the document: names the in-memory working copy. */
  changeEventId: string;
  size: number;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  text: string;
  /** `Automerge.save` of the document at `docRevision`, base64. */
  snapshot: string;
}

/** Changes after which a batch's end saves a snapshot: bounds a cold load (snapshot + about this many changes, plus one batch's) and `pendingChanges`. */
export const SNAPSHOT_EVERY = 64;

const workingCopies = new FileDocumentCache();

/** Room made ahead in Automerge's heap before a batch's changes are applied, whenever what was made before is used up (documents/src/automerge-heap.ts): half the heap, and at least this. */
export const AUTOMERGE_HEAP_ROOM = 128 * 1024 * 1024;

/** The document a file view stands for, from its snapshot plus the changes after it (what any process can load). */
export function loadFileDocument(file: ProjectFileView): TextDocument {
  const base = loadSavedTextDocument(file.snapshot);
  // Views written before snapshots were spaced out have no pending changes: their snapshot is at `version`.
  const pending = file.pendingChanges ?? [];
  return pending.length ? applyEncodedChanges(base, pending) : base;
}

/** The working copy when it is current, else the loaded document. */
function fileDocument(file: ProjectFileView): VersionedTextDocument {
  return workingCopies.take(file.id, file.changeEventId) ?? VersionedTextDocument.adopt(loadFileDocument(file));
}

/**
 * Applies a batch's changes of one file and records each version's text edits. The edits of a
 * version can only be told apart by applying its changes on their own, so a batch holding several
 * versions of a file (a rebuild, a projector catching up) makes one Automerge call per version, on
 * Automerge's backend only (VersionedTextDocument: no JavaScript copy of the document per call).
 * With Automerge 2.2.9 a call costs about the same whatever the file's history (3.x's cost grew
 * with it, which made a long file's rebuild quadratic: docs/performance.md, 2026-12-04).
 */
function applyVersions(unit: ProjectionUnitOfWork, before: ProjectFileView, versions: readonly BatchVersion[]): VersionedTextDocument {
  const doc = fileDocument(before);
  const applied = doc.applyVersions(versions.map((v) => v.changes));
  for (const [i, { revision }] of versions.entries()) {
    // A document stream holds only DocumentChanged events: revision r makes version r + 1.
    const version = revision + 1;
    const { text, splices } = applied[i]!;
    const checkpoint = splices === null || version % TEXT_CHECKPOINT_EVERY === 0;
    unit.put(FILE_TEXT_VERSIONS, {
      id: fileTextVersionId(before.id, version), fileId: before.id, projectId: before.projectId, version, checkpoint, splices: checkpoint ? [] : splices ?? [], text: checkpoint ? text : null,
    } satisfies FileTextVersion);
  }
  return doc;
}

interface BatchVersion {
  readonly revision: number;
  readonly changes: readonly string[];
}

/** A file's changes within one batch: applied at the batch's end, one Automerge call per version. */
interface BatchChanges {
  /** The view as it was before the batch's first change of the file: where the document comes from. */
  readonly before: ProjectFileView;
  /** Each event's changes, in order: each is one version of the file, recorded with its text edits. */
  readonly versions: BatchVersion[];
  /** Doc stream revision and event id of the last change. */
  revision: number;
  eventId: string;
}

/** A rebuild's files (file-rebuild-state.ts), by the rebuild's unit: the same unit is handed every page. */
const rebuilds = new WeakMap<ProjectionUnitOfWork, RebuiltFiles>();

function rebuiltFiles(unit: ProjectionUnitOfWork): RebuiltFiles | null {
  if (!unit.rebuilding) return null;
  let files = rebuilds.get(unit);
  if (!files) rebuilds.set(unit, (files = new RebuiltFiles()));
  return files;
}

const changesByBatch = new WeakMap<ProjectionUnitOfWork, Map<string, BatchChanges>>();

function batchChanges(unit: ProjectionUnitOfWork): Map<string, BatchChanges> {
  let changes = changesByBatch.get(unit);
  if (!changes) changesByBatch.set(unit, (changes = new Map()));
  return changes;
}

export const filesProjection: Projection = {
  name: 'files',
  collections: [{ name: ReadModels.projectFiles, indexes: [['projectId', 'path']] }, fileTextVersionsCollection],
  handles: new Set(['FileCreated', 'FileRenamed', 'FileDeleted', 'FileLocked', 'FileUnlocked', 'DocumentChanged']),
  async apply(recorded: RecordedEvent, unit) {
    const event = recorded as unknown as FileTreeEvent | DocumentEvent;
    const at = recorded.metadata.occurredAt;
    if (event.type === 'FileCreated') {
      const d = event.data;
      const rebuilt = rebuiltFiles(unit);
      if (rebuilt) {
        // The snapshot is written when the rebuild lets go of the file (file-rebuild-state.ts).
        const text = rebuilt.create(d.fileId, d.projectId, d.initialChange, recorded.id);
        unit.put(ReadModels.projectFiles, {
          id: d.fileId, projectId: d.projectId, path: d.path, deleted: false, lockedBy: null, version: 0, docRevision: -1, pendingChanges: [], pendingEvents: 0,
          changeEventId: recorded.id, size: Buffer.byteLength(text), createdBy: d.createdBy, createdAt: at, updatedBy: d.createdBy, updatedAt: at, text, snapshot: '',
        } satisfies ProjectFileView);
        unit.put(FILE_TEXT_VERSIONS, { id: fileTextVersionId(d.fileId, 0), fileId: d.fileId, projectId: d.projectId, version: 0, checkpoint: true, splices: [], text } satisfies FileTextVersion);
        return;
      }
      const doc = loadTextDocument(d.initialChange);
      const text = textOf(doc);
      unit.put(ReadModels.projectFiles, {
        id: d.fileId, projectId: d.projectId, path: d.path, deleted: false, lockedBy: null, version: 0, docRevision: -1, pendingChanges: [], pendingEvents: 0,
        changeEventId: recorded.id, size: Buffer.byteLength(text), createdBy: d.createdBy, createdAt: at, updatedBy: d.createdBy, updatedAt: at, text,
        snapshot: saveTextDocument(doc),
      } satisfies ProjectFileView);
      workingCopies.keep(d.fileId, recorded.id, VersionedTextDocument.adopt(doc));
      unit.put(FILE_TEXT_VERSIONS, { id: fileTextVersionId(d.fileId, 0), fileId: d.fileId, projectId: d.projectId, version: 0, checkpoint: true, splices: [], text } satisfies FileTextVersion);
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
        // Text, size and the snapshot are brought up to date in finishBatch, once per file and batch.
        const rebuilt = rebuiltFiles(unit);
        if (rebuilt?.has(file.id)) {
          rebuilt.change(file.id, recorded.revision, recorded.id, event.data.changes);
          unit.put(ReadModels.projectFiles, { ...file, version: file.version + 1, updatedBy: event.data.authorId, updatedAt: at } satisfies ProjectFileView);
          break;
        }
        const pending = batchChanges(unit);
        const entry = pending.get(file.id) ?? { before: file, versions: [], revision: recorded.revision, eventId: recorded.id };
        entry.versions.push({ revision: recorded.revision, changes: event.data.changes });
        entry.revision = recorded.revision;
        entry.eventId = recorded.id;
        pending.set(file.id, entry);
        unit.put(ReadModels.projectFiles, {
          ...file, version: file.version + 1, pendingEvents: (file.pendingEvents ?? 0) + 1, updatedBy: event.data.authorId, updatedAt: at,
        } satisfies ProjectFileView);
        break;
      }
    }
  },
  async finishBatch(unit) {
    await rebuilds.get(unit)?.finishBatch(unit);
    const pending = changesByBatch.get(unit);
    if (!pending) return;
    changesByBatch.delete(unit);
    keepAutomergeHeapAhead(AUTOMERGE_HEAP_ROOM);
    for (const [fileId, { before, versions, revision, eventId }] of pending) {
      const file = await unit.get<ProjectFileView>(ReadModels.projectFiles, fileId);
      if (!file) continue;
      const doc = applyVersions(unit, before, versions);
      const text = doc.currentText;
      unit.put(ReadModels.projectFiles, {
        ...file, size: Buffer.byteLength(text), text, changeEventId: eventId,
        ...(file.pendingEvents >= SNAPSHOT_EVERY
          ? { snapshot: doc.save(), docRevision: revision, pendingChanges: [], pendingEvents: 0 }
          : { pendingChanges: [...(before.pendingChanges ?? []), ...versions.flatMap((v) => v.changes)] }),
      } satisfies ProjectFileView);
      workingCopies.keep(fileId, eventId, doc);
    }
  },
  async finishRebuild(unit) {
    await rebuilds.get(unit)?.finishRebuild(unit);
    rebuilds.delete(unit);
  },
};
