/**
 * A project's files as they were at a moment: the file tree folded from its
 * stream up to then, each live file's text from its creation plus the
 * document changes made by then. Used by `resoft replay`.
 */
import { documentStreamId, fileTreeDecider, fileTreeStreamId, happenedBy, upcast, type AsOf, type DocumentEvent, type FileTreeEvent } from '@resoft/domain';
import type { EventStore } from '../event-store/event-store.js';
import { loadTextDocument, textOf } from './text-document.js';

export interface FileAsOf {
  readonly fileId: string;
  readonly path: string;
  readonly text: string;
  /** Document changes applied (0: as created). */
  readonly version: number;
}

export async function projectFilesAsOf(store: EventStore, projectId: string, asOf: AsOf): Promise<FileAsOf[]> {
  const treeEvents = (await store.readStream(fileTreeStreamId(projectId))).filter((e) => happenedBy(e, asOf)).map((e) => upcast(e) as unknown as FileTreeEvent & { data: { initialChange?: string } });
  let tree = fileTreeDecider.initialState();
  const initial = new Map<string, string>();
  for (const event of treeEvents) {
    tree = fileTreeDecider.evolve(tree, event);
    if (event.type === 'FileCreated') initial.set(event.data.fileId, event.data.initialChange);
  }
  const files: FileAsOf[] = [];
  for (const [path, fileId] of [...tree.paths].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const changes = (await store.readStream(documentStreamId(fileId)))
      .filter((e) => e.type === 'DocumentChanged' && happenedBy(e, asOf))
      .map((e) => upcast<DocumentEvent['data']>(e));
    const doc = loadTextDocument(initial.get(fileId)!, changes.flatMap((e) => e.data.changes));
    files.push({ fileId, path, text: textOf(doc), version: changes.length });
  }
  return files;
}
