/**
 * Reads a project file's content from the event store: the tree stream's `FileCreated` (the
 * initial change) plus the `doc-<fileId>` stream's `DocumentChanged` events. Version 0 is the
 * created file; version n is the file after its n-th `DocumentChanged`.
 */
import { documentStreamId, fileTreeStreamId, upcast, type DocumentEvent, type FileTreeEvent, type RecordedEvent } from '@resoft/domain';
import type { EventStore } from '@resoft/ports';
import { applyEncodedChanges, loadTextDocument, textOf, type TextDocument } from './text-document.js';

export interface FileVersion {
  readonly version: number;
  readonly authorId: string;
  readonly at: string;
  readonly position: number;
  readonly kind: 'created' | 'changed' | 'restored';
  readonly restoredFrom?: number;
  /** Characters of text after this version, and how many were inserted and removed by it. */
  readonly length: number;
  readonly inserted: number;
  readonly removed: number;
}

export interface FileOrigin {
  readonly projectId: string;
  readonly fileId: string;
  readonly createdBy: string;
  readonly initialChange: string;
  readonly initialHash: string;
  readonly at: string;
  readonly position: number;
}

type Created = Extract<FileTreeEvent, { type: 'FileCreated' }>['data'];

/**
 * Origins already read, per store: a file's creation record never changes, and reading it means
 * reading the project's whole file-tree stream — which every gateway flush did (issue 19). Only
 * found origins are kept, at most ORIGIN_CACHE_SIZE per store (the oldest go first).
 */
const ORIGIN_CACHE_SIZE = 10_000;
const originCache = new WeakMap<EventStore, Map<string, FileOrigin>>();

/** The creation record of a file, or null when the project has no such file. */
export async function readFileOrigin(store: EventStore, projectId: string, fileId: string): Promise<FileOrigin | null> {
  let cache = originCache.get(store);
  const key = `${projectId}/${fileId}`;
  const known = cache?.get(key);
  if (known) return known;
  const events = await store.readStream(fileTreeStreamId(projectId));
  const created = events.find((e) => e.type === 'FileCreated' && (e.data as Created).fileId === fileId);
  if (!created) return null;
  const data = upcast<Created>(created).data;
  const origin: FileOrigin = { projectId, fileId, createdBy: data.createdBy, initialChange: data.initialChange, initialHash: data.hash, at: created.metadata.occurredAt, position: created.position };
  if (!cache) originCache.set(store, (cache = new Map()));
  if (cache.size >= ORIGIN_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, origin);
  return origin;
}

export async function readDocumentChanges(store: EventStore, fileId: string, fromRevision = 0): Promise<RecordedEvent<DocumentEvent['data']>[]> {
  const events = await store.readStream(documentStreamId(fileId), { fromRevision });
  return events.filter((e) => e.type === 'DocumentChanged').map((e) => upcast<DocumentEvent['data']>(e));
}

/** The document at `version` (default: head) and the number of versions after creation. */
export async function loadDocumentAt(store: EventStore, origin: FileOrigin, version?: number): Promise<{ doc: TextDocument; latestVersion: number }> {
  const changes = await readDocumentChanges(store, origin.fileId);
  const upTo = version === undefined ? changes.length : Math.min(version, changes.length);
  const doc = loadTextDocument(origin.initialChange, changes.slice(0, upTo).flatMap((e) => e.data.changes));
  return { doc, latestVersion: changes.length };
}

/** Every version of the file with who, when and how much text changed. */
export async function listFileVersions(store: EventStore, origin: FileOrigin): Promise<FileVersion[]> {
  let doc = loadTextDocument(origin.initialChange);
  let length = textOf(doc).length;
  const versions: FileVersion[] = [{ version: 0, authorId: origin.createdBy, at: origin.at, position: origin.position, kind: 'created', length, inserted: length, removed: 0 }];
  for (const event of await readDocumentChanges(store, origin.fileId)) {
    const before = textOf(doc);
    doc = applyEncodedChanges(doc, event.data.changes);
    const after = textOf(doc);
    const { inserted, removed } = textDelta(before, after);
    length = after.length;
    versions.push({
      version: versions.length, authorId: event.data.authorId, at: event.metadata.occurredAt, position: event.position,
      kind: event.data.restoredFrom === undefined ? 'changed' : 'restored', ...(event.data.restoredFrom === undefined ? {} : { restoredFrom: event.data.restoredFrom }),
      length, inserted, removed,
    });
  }
  return versions;
}

/** Characters inserted and removed between two texts, around their common prefix and suffix. */
export function textDelta(before: string, after: string): { inserted: number; removed: number } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start += 1;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end += 1;
  return { inserted: after.length - start - end, removed: before.length - start - end };
}
