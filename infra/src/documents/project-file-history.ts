/**
 * A project's file history as a sequence of snapshots: the tree and
 * document events merged in log order, grouped by command (same correlation
 * id and actor, one after the other), each group followed by every live
 * file's text. `resoft export git` makes one commit of each.
 */
import { documentStreamId, fileTreeDecider, fileTreeStreamId, upcast, type DocumentEvent, type FileTreeEvent, type RecordedEvent } from '@resoft/domain';
import type { EventStore } from '@resoft/ports';
import { applyEncodedChanges, loadTextDocument, textOf, type TextDocument } from './text-document.js';

export interface FileHistoryStep {
  /** The events of one command, in log order. */
  readonly events: readonly RecordedEvent[];
  readonly actor: string | null;
  /** When the step's last event occurred. */
  readonly at: string;
  /** Every live file's text after the step, by path. */
  readonly files: ReadonlyMap<string, string>;
}

async function projectFileEvents(store: EventStore, projectId: string): Promise<RecordedEvent[]> {
  const tree = await store.readStream(fileTreeStreamId(projectId));
  const fileIds = new Set(tree.filter((e) => e.type === 'FileCreated').map((e) => (e.data as { fileId: string }).fileId));
  const docs = await Promise.all([...fileIds].map((id) => store.readStream(documentStreamId(id))));
  return [...tree, ...docs.flat()].sort((a, b) => a.position - b.position);
}

export async function* projectFileHistory(store: EventStore, projectId: string): AsyncGenerator<FileHistoryStep> {
  const events = await projectFileEvents(store, projectId);
  let tree = fileTreeDecider.initialState();
  const docs = new Map<string, TextDocument>();
  for (let at = 0; at < events.length; ) {
    const first = events[at]!;
    const group: RecordedEvent[] = [];
    while (at < events.length && events[at]!.metadata.correlationId === first.metadata.correlationId && events[at]!.metadata.actor === first.metadata.actor) {
      const event = upcast(events[at]!);
      if (event.type === 'DocumentChanged') {
        const data = event.data as DocumentEvent['data'];
        const doc = docs.get(data.fileId);
        if (doc) docs.set(data.fileId, applyEncodedChanges(doc, data.changes));
      } else {
        const treeEvent = event as unknown as FileTreeEvent;
        tree = fileTreeDecider.evolve(tree, treeEvent);
        if (treeEvent.type === 'FileCreated') docs.set(treeEvent.data.fileId, loadTextDocument(treeEvent.data.initialChange));
      }
      group.push(event);
      at += 1;
    }
    const files = new Map([...tree.paths].map(([path, fileId]) => [path, textOf(docs.get(fileId)!)] as const));
    yield { events: group, actor: first.metadata.actor, at: group[group.length - 1]!.metadata.occurredAt, files };
  }
}
