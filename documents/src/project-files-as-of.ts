/**
 * A project's files as they were at a moment: the file tree folded from its
 * stream up to then, each live file's text from its creation plus the
 * document changes made by then. Used by `resoft replay` and `?asOf=` reads.
 * With `textVersions` (the read store the files projection records each
 * version's text edits in), a file's text is the recorded checkpoint plus
 * splices — no Automerge load; files the recording does not cover (yet) are
 * replayed. With `snapshots`, a replayed document starts from its last
 * periodic snapshot by then and reads only the changes after it (in pages,
 * stopping at the moment).
 */
import { documentStreamId, fileTreeDecider, fileTreeStreamId, happenedBy, upcast, type AsOf, type DocumentEvent, type FileTreeEvent } from '@resoft/domain';
import { lastRevisionAsOf, type ReadStore } from '@resoft/ports';
import type { DocumentSnapshotCache } from './document-snapshot-cache.js';
import type { EventStreamReader } from './event-stream-reader.js';
import { fileTextAtVersion } from './file-text-versions.js';
import { applyEncodedChanges, loadSavedTextDocument, loadTextDocument, saveTextDocument, textOf, type TextDocument } from './text-document.js';

const PAGE = 500;

export interface FileAsOf {
  readonly fileId: string;
  readonly path: string;
  readonly text: string;
  /** Document changes applied (0: as created). */
  readonly version: number;
}

export interface FilesAsOfSources {
  /** The read store holding the files projection's recorded text versions. */
  readonly textVersions?: ReadStore;
  readonly snapshots?: DocumentSnapshotCache;
}

export async function projectFilesAsOf(store: EventStreamReader, projectId: string, asOf: AsOf, sources: FilesAsOfSources = {}): Promise<FileAsOf[]> {
  const treeEvents = (await store.readStream(fileTreeStreamId(projectId))).filter((e) => happenedBy(e, asOf)).map((e) => upcast(e) as unknown as FileTreeEvent & { data: { initialChange?: string } });
  let tree = fileTreeDecider.initialState();
  const initial = new Map<string, string>();
  for (const event of treeEvents) {
    tree = fileTreeDecider.evolve(tree, event);
    if (event.type === 'FileCreated') initial.set(event.data.fileId, event.data.initialChange);
  }
  const files: FileAsOf[] = [];
  for (const [path, fileId] of [...tree.paths].sort(([a], [b]) => (a < b ? -1 : 1))) {
    files.push({ fileId, path, ...(await fileTextAsOf(store, fileId, initial.get(fileId)!, asOf, sources)) });
  }
  return files;
}

async function fileTextAsOf(store: EventStreamReader, fileId: string, initialChange: string, asOf: AsOf, sources: FilesAsOfSources): Promise<{ text: string; version: number }> {
  if (sources.textVersions) {
    // A document stream holds only DocumentChanged events: the version as of the moment is the last revision by then + 1.
    const version = (await lastRevisionAsOf(store, documentStreamId(fileId), asOf)) + 1;
    const text = await fileTextAtVersion(sources.textVersions, fileId, version);
    if (text !== null) return { text, version };
  }
  const { doc, version } = await documentAsOf(store, fileId, initialChange, asOf, sources.snapshots);
  return { text: textOf(doc), version };
}

/** A file's document as of the moment: from the last snapshot by then (or its creation), plus the changes after it up to the moment. */
async function documentAsOf(store: EventStreamReader, fileId: string, initialChange: string, asOf: AsOf, snapshots?: DocumentSnapshotCache): Promise<{ doc: TextDocument; version: number }> {
  const streamId = documentStreamId(fileId);
  const snapshot = snapshots ? await snapshots.latest(streamId, asOf) : null;
  let doc = snapshot ? loadSavedTextDocument(snapshot.snapshot) : loadTextDocument(initialChange);
  let version = snapshot?.version ?? 0;
  let pending: string[] = [];
  for (let from = snapshot ? snapshot.revision + 1 : 0; ; from += PAGE) {
    const page = await store.readStream(streamId, { fromRevision: from, maxCount: PAGE });
    for (const event of page) {
      // A stream's events follow one another in position (and, from one writer's clock, in time): the first one after the moment ends it.
      if (!happenedBy(event, asOf)) return { doc: applyEncodedChanges(doc, pending), version };
      if (event.type === 'DocumentChanged') {
        pending.push(...upcast<DocumentEvent['data']>(event).data.changes);
        version += 1;
      }
      if (snapshots?.due(event.revision)) {
        doc = applyEncodedChanges(doc, pending);
        pending = [];
        await snapshots.save({ streamId, revision: event.revision, version, position: event.position, occurredAt: event.metadata.occurredAt, snapshot: saveTextDocument(doc) });
      }
    }
    if (page.length < PAGE) return { doc: applyEncodedChanges(doc, pending), version };
  }
}
