/**
 * The files projection's working copies: the Automerge document of each recently changed file, by
 * the event that last changed it (event ids are unique, so a cached copy never stands in for another
 * store's file of the same id). A change to a cached file is applied to the document in memory instead of
 * loading the whole snapshot again, which keeps a file's projection linear in its history.
 */
import type { VersionedTextDocument } from '@resoft/documents';

interface CachedDocument {
  readonly eventId: string;
  readonly doc: VersionedTextDocument;
}

/** Enough for the files a busy server edits at once; a miss costs one snapshot load plus at most SNAPSHOT_EVERY changes. */
const MAX_DOCUMENTS = 256;

export class FileDocumentCache {
  private readonly entries = new Map<string, CachedDocument>();

  /**
   * The document of `fileId` as of the event `eventId`, or null. A document is handed out once: the
   * caller changes it in place and puts it back with `keep` under the event that changed it last.
   */
  take(fileId: string, eventId: string): VersionedTextDocument | null {
    const entry = this.entries.get(fileId);
    if (!entry) return null;
    this.entries.delete(fileId);
    if (entry.eventId === eventId) return entry.doc;
    entry.doc.free();
    return null;
  }

  /** Holds `doc` (the cache owns it from here on: a document it drops or replaces is freed). */
  keep(fileId: string, eventId: string, doc: VersionedTextDocument): void {
    const replaced = this.entries.get(fileId);
    this.entries.delete(fileId);
    if (replaced && replaced.doc !== doc) replaced.doc.free();
    this.entries.set(fileId, { eventId, doc });
    if (this.entries.size > MAX_DOCUMENTS) {
      const [oldestId, oldest] = this.entries.entries().next().value as [string, CachedDocument];
      this.entries.delete(oldestId);
      oldest.doc.free();
    }
  }
}
