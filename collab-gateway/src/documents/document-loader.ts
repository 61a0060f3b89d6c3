/** Loads a file's document: the read store's snapshot plus the events stored after it (or the whole history when there is no snapshot yet). */
import { reject } from '@resoft/domain';
import { type EventStore, type ReadStore } from '@resoft/ports';
import { applyEncodedChanges, loadSavedTextDocument, loadTextDocument, readDocumentChanges, readFileOrigin, type TextDocument } from '@resoft/documents';
import { ReadModels, type ProjectFileView } from '@resoft/projectors';

export async function loadDocument(store: EventStore, readStore: ReadStore, projectId: string, fileId: string): Promise<TextDocument> {
  const snapshot = await readStore.get<ProjectFileView>(ReadModels.projectFiles, fileId);
  let doc: TextDocument;
  let fromRevision = 0;
  if (snapshot && snapshot.projectId === projectId) {
    doc = loadSavedTextDocument(snapshot.snapshot);
    fromRevision = snapshot.docRevision + 1;
  } else {
    const origin = await readFileOrigin(store, projectId, fileId);
    if (!origin) return reject('not_found', 'file_not_found', 'File not found');
    doc = loadTextDocument(origin.initialChange);
  }
  const later = await readDocumentChanges(store, fileId, fromRevision);
  return later.length === 0 ? doc : applyEncodedChanges(doc, later.flatMap((e) => e.data.changes));
}
