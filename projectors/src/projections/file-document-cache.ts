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
    this.entries.delete(fileId);
    return entry && entry.eventId === eventId ? entry.doc : null;
  }

  keep(fileId: string, eventId: string, doc: VersionedTextDocument): void {
    this.entries.delete(fileId);
    this.entries.set(fileId, { eventId, doc });
    if (this.entries.size > MAX_DOCUMENTS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
