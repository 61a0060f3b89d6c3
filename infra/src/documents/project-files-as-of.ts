/**
 * A project's files as they were at a moment: the file tree folded from its
 * stream up to then, each live file's text from its creation plus the
 * document changes made by then. Used by `resoft replay` and `?asOf=` reads.
 * With `snapshots`, each document starts from its last periodic snapshot by
 * then and reads only the changes after it (in pages, stopping at the moment).
 */
import { documentStreamId, fileTreeDecider, fileTreeStreamId, happenedBy, upcast, type AsOf, type DocumentEvent, type FileTreeEvent } from '@resoft/domain';
import type { DocumentSnapshotsAsOf } from '../audit-log/document-snapshots-as-of.js';
import type { EventStore } from '@resoft/ports';
import { applyEncodedChanges, loadSavedTextDocument, loadTextDocument, saveTextDocument, textOf, type TextDocument } from './text-document.js';

const PAGE = 500;

export interface FileAsOf {
  readonly fileId: string;
  readonly path: string;
  readonly text: string;
  /** Document changes applied (0: as created). */
  readonly version: number;
}

export async function projectFilesAsOf(store: EventStore, projectId: string, asOf: AsOf, snapshots?: DocumentSnapshotsAsOf): Promise<FileAsOf[]> {
  const treeEvents = (await store.readStream(fileTreeStreamId(projectId))).filter((e) => happenedBy(e, asOf)).map((e) => upcast(e) as unknown as FileTreeEvent & { data: { initialChange?: string } });
  let tree = fileTreeDecider.initialState();
  const initial = new Map<string, string>();
  for (const event of treeEvents) {
    tree = fileTreeDecider.evolve(tree, event);
    if (event.type === 'FileCreated') initial.set(event.data.fileId, event.data.initialChange);
  }
  const files: FileAsOf[] = [];
  for (const [path, fileId] of [...tree.paths].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const { doc, version } = await documentAsOf(store, fileId, initial.get(fileId)!, asOf, snapshots);
    files.push({ fileId, path, text: textOf(doc), version });
  }
  return files;
}

/** A file's document as of the moment: from the last snapshot by then (or its creation), plus the changes after it up to the moment. */
async function documentAsOf(store: EventStore, fileId: string, initialChange: string, asOf: AsOf, snapshots?: DocumentSnapshotsAsOf): Promise<{ doc: TextDocument; version: number }> {
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
