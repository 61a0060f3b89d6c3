/**
 * The files projection in a rebuild (issue 19 item 4: docs/performance.md, 2026-12-04, the
 * document-heavy rebuild). Live, each version's changes are applied in Automerge, which was most of a
 * document-heavy rebuild's CPU. In a rebuild a file's versions are replayed in JavaScript instead
 * (TextReplica: its edits read from the changes' op columns), and the Automerge document is built
 * once, by loading the file's concatenated changes, when the file is let go of (past
 * MAX_REBUILT_FILES files, the least recently changed first) or at the rebuild's end. The view then
 * gets its snapshot at its latest revision with no pending changes: what live batches would hold
 * differs in where the snapshot is, not in what any reader loads (the same document, text, versions).
 *
 * From the first change the replica does not understand, the file goes on the Automerge way
 * (VersionedTextDocument, one call per version, as live); and if the replica's final text is not
 * Automerge's, the file's versions are recorded again the Automerge way.
 */
import {
  FILE_TEXT_VERSIONS, TEXT_CHECKPOINT_EVERY, TextReplica, VersionedTextDocument, decodeChangeBytes, fileTextVersionId,
  type FileTextVersion, type TextSplice,
} from '@resoft/documents';
import type { ProjectionUnitOfWork } from '../runtime/projection.js';
import type { ProjectFileView } from './files-projection.js';
import { ReadModels } from './read-model-names.js';

/** Files whose histories are held in memory at once (their changes and replicas): more than a busy log edits at a time. */
export const MAX_REBUILT_FILES = 64;

interface PendingVersion {
  readonly revision: number;
  readonly eventId: string;
  readonly changes: readonly string[];
}

class RebuiltFile {
  /** The initial change, then every change in stored order. */
  readonly changes: Uint8Array[];
  /** How many changes each version added (version v is entry v - 1). */
  readonly versionSizes: number[] = [];
  /** This batch's versions, recorded at its end. */
  pending: PendingVersion[] = [];
  revision = -1;
  eventId: string;
  replica: TextReplica | null = new TextReplica();
  /** The Automerge way, once the replica gave up. */
  doc: VersionedTextDocument | null = null;

  constructor(readonly fileId: string, readonly projectId: string, initial: Uint8Array, eventId: string) {
    this.changes = [initial];
    this.eventId = eventId;
    if (this.replica!.apply(initial) === null) this.giveUpReplica(1);
  }

  get text(): string {
    return this.doc ? this.doc.currentText : this.replica!.currentText;
  }

  /** Goes on the Automerge way from the document of the first `changes` changes. */
  giveUpReplica(changes: number): void {
    this.replica = null;
    this.doc = VersionedTextDocument.load(this.changes.slice(0, changes));
  }
}

export class RebuiltFiles {
  /** By file id, the least recently changed first. */
  private readonly files = new Map<string, RebuiltFile>();

  has(fileId: string): boolean {
    return this.files.has(fileId);
  }

  /** A file created in the rebuild: held from its initial change on. Answers the text as created. */
  create(fileId: string, projectId: string, initialChange: string, eventId: string): string {
    const file = new RebuiltFile(fileId, projectId, decodeChangeBytes(initialChange), eventId);
    this.files.set(fileId, file);
    return file.text;
  }

  /** A version of a held file, recorded at the batch's end (`finishBatch`). */
  change(fileId: string, revision: number, eventId: string, changes: readonly string[]): void {
    const file = this.files.get(fileId)!;
    file.pending.push({ revision, eventId, changes });
    this.files.delete(fileId);
    this.files.set(fileId, file);
  }

  /** Records the batch's versions of every held file, updates their views' text, and lets go of the least recently changed past the bound. */
  async finishBatch(unit: ProjectionUnitOfWork): Promise<void> {
    for (const file of this.files.values()) {
      if (file.pending.length === 0) continue;
      const versions = file.pending;
      file.pending = [];
      recordVersions(unit, file, versions);
      const view = await unit.get<ProjectFileView>(ReadModels.projectFiles, file.fileId);
      if (view) unit.put(ReadModels.projectFiles, { ...view, text: file.text, size: Buffer.byteLength(file.text) } satisfies ProjectFileView);
    }
    while (this.files.size > MAX_REBUILT_FILES) {
      const [fileId, file] = this.files.entries().next().value as [string, RebuiltFile];
      this.files.delete(fileId);
      await finish(unit, file);
    }
  }

  /** At the rebuild's end: every held file gets its snapshot. */
  async finishRebuild(unit: ProjectionUnitOfWork): Promise<void> {
    await this.finishBatch(unit);
    for (const file of this.files.values()) await finish(unit, file);
    this.files.clear();
  }
}

function putVersion(unit: ProjectionUnitOfWork, file: RebuiltFile, version: number, text: string, splices: readonly TextSplice[] | null): void {
  const checkpoint = splices === null || version % TEXT_CHECKPOINT_EVERY === 0;
  unit.put(FILE_TEXT_VERSIONS, {
    id: fileTextVersionId(file.fileId, version), fileId: file.fileId, projectId: file.projectId, version, checkpoint, splices: checkpoint ? [] : splices ?? [], text: checkpoint ? text : null,
  } satisfies FileTextVersion);
}

function recordVersions(unit: ProjectionUnitOfWork, file: RebuiltFile, versions: readonly PendingVersion[]): void {
  for (const [i, { revision, eventId, changes }] of versions.entries()) {
    // A document stream holds only DocumentChanged events: revision r makes version r + 1.
    const version = revision + 1;
    const before = file.changes.length;
    for (const change of changes) file.changes.push(decodeChangeBytes(change));
    file.versionSizes.push(changes.length);
    file.revision = revision;
    file.eventId = eventId;
    if (file.replica) {
      const splices: TextSplice[] = [];
      let understood = true;
      for (let c = before; c < file.changes.length && understood; c += 1) {
        const edits = file.replica.apply(file.changes[c]!);
        if (edits) splices.push(...edits);
        else understood = false;
      }
      if (understood) {
        putVersion(unit, file, version, file.replica.currentText, splices);
        continue;
      }
      file.giveUpReplica(before);
    }
    const rest = versions.slice(i);
    const applied = file.doc!.applyVersions(rest.map((v) => v.changes));
    // The rest of the batch's versions go the Automerge way (their changes are pushed here, as above).
    for (const [j, v] of rest.entries()) {
      if (j > 0) {
        for (const change of v.changes) file.changes.push(decodeChangeBytes(change));
        file.versionSizes.push(v.changes.length);
        file.revision = v.revision;
        file.eventId = v.eventId;
      }
      putVersion(unit, file, v.revision + 1, applied[j]!.text, applied[j]!.splices);
    }
    return;
  }
}

/**
 * Writes the view's snapshot at the file's latest revision. A file whose history had concurrent
 * changes (or went the Automerge way) gets its document built once, by loading its changes, and the
 * replica's text checked against Automerge's; a file whose history was linear gets its changes as its
 * snapshot, unchecked: the check costs as much as applying every change (the replica's reading of
 * such histories is checked by its specs),
 * which is what the replica is there to avoid (docs/performance.md, 2026-12-04: the files projection's rebuild without Automerge).
 */
async function finish(unit: ProjectionUnitOfWork, file: RebuiltFile): Promise<void> {
  if (file.replica?.linear) {
    // A snapshot of the file's concatenated changes: Automerge loads it as it loads a save (the same
    // document), and building it costs nothing here. The live projection saves a compact one again
    // once SNAPSHOT_EVERY more changes have gathered.
    const text = file.replica.currentText;
    await putFinished(unit, file, text, Buffer.concat(file.changes).toString('base64'));
    return;
  }
  let doc = file.doc ?? VersionedTextDocument.load(file.changes);
  if (file.replica && doc.currentText !== file.replica.currentText) {
    // The replica went wrong somewhere: every version is recorded again the Automerge way.
    doc.free();
    doc = VersionedTextDocument.load(file.changes.slice(0, 1));
    const versions: string[][] = [];
    let at = 1;
    for (const size of file.versionSizes) {
      versions.push(file.changes.slice(at, at + size).map((c) => Buffer.from(c).toString('base64')));
      at += size;
    }
    for (const [i, applied] of doc.applyVersions(versions).entries()) putVersion(unit, file, i + 1, applied.text, applied.splices);
  }
  const text = doc.currentText;
  const snapshot = doc.save();
  doc.free();
  await putFinished(unit, file, text, snapshot);
}

async function putFinished(unit: ProjectionUnitOfWork, file: RebuiltFile, text: string, snapshot: string): Promise<void> {
  const view = await unit.get<ProjectFileView>(ReadModels.projectFiles, file.fileId);
  if (!view) return;
  unit.put(ReadModels.projectFiles, {
    ...view, text, size: Buffer.byteLength(text), snapshot, docRevision: file.revision, pendingChanges: [], pendingEvents: 0, changeEventId: file.eventId,
  } satisfies ProjectFileView);
}
