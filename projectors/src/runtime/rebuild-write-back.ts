/**
 * The documents a rebuild works on, kept in memory in front of one projection's staging store: each
 * document is read from the store at most once and written once per flush instead of once per page
 * (an analytics hour bucket or a file view is touched on many pages). Only a rebuild uses it: it is
 * the staging collections' single writer, so what it keeps is what the store holds plus its own
 * unwritten changes. Live projections keep their per-batch unit of work (apply-batch.ts).
 */
import type { Document, StagingReadStore, WriteOp } from '@resoft/ports';
import type { ProjectionUnitOfWork } from './projection.js';

/** A kept document, or null for one known to be absent (deleted, or never written). */
type Kept = Document | null;

/** One collection's kept documents and the ids of those changed since the last flush (one lookup per call for both). */
interface KeptCollection {
  readonly docs: Map<string, Kept>;
  readonly dirty: Set<string>;
}

/** Ids of written documents remembered per projection after documents are let go of (≈ 100 bytes each). */
export const REBUILD_TRACKED_IDS = 2_000_000;

export class RebuildWriteBack implements ProjectionUnitOfWork {
  readonly writer = null;
  readonly rebuilding = true;
  private readonly kept = new Map<string, KeptCollection>();
  private keptCount = 0;
  /**
   * Whether documents were ever dropped from memory: until then the staging collections (empty when
   * the rebuild began) hold nothing that is not kept here, so a document not kept does not exist.
   */
  private dropped = false;
  /** Collections looked up (`get`, `held`): only theirs are worth remembering the written ids of. */
  private readonly read = new Set<string>();
  /**
   * Per collection, the ids the store holds, remembered when documents are let go of, so that a
   * lookup of a document never written (a new hour bucket, a new stream) is answered without the
   * store. null: not remembered (a collection not read by then, or past `trackedIds`): ask the store.
   * A collection absent here had nothing written when documents were last let go of.
   */
  private readonly stored = new Map<string, Set<string> | null>();
  private storedCount = 0;
  /** The checkpoint the staging store holds: what the next flush expects. */
  private flushedPosition = 0;
  /**
   * Documents put with `putAndLetGo` since the last flush, by collection: written by the next flush,
   * never kept. Their collections' lookups of documents not kept ask the store (`stored` null).
   */
  private readonly unkept = new Map<string, Document[]>();
  private unkeptCount = 0;
  /** An erasure was applied since the last flush: the flush must purge what the store's files still hold. */
  private erasedSinceFlush = false;

  constructor(
    private readonly store: StagingReadStore,
    private readonly checkpointName: string,
    /** Bound on the written ids remembered (REBUILD_TRACKED_IDS); past it, lookups of documents not held ask the store. */
    private readonly trackedIds = REBUILD_TRACKED_IDS,
  ) {}

  /** Documents held in memory (those put with `putAndLetGo` until they are written included). */
  get size(): number {
    return this.keptCount + this.unkeptCount;
  }

  /**
   * The kept object itself, not a copy: a handler that changes a document puts it (every projection
   * does), and a rebuild discards everything if a handler fails, so nothing half-changed is written.
   */
  async get<T extends Document>(collection: string, id: string): Promise<T | null> {
    const held = this.held<T>(collection, id);
    if (held !== undefined) return held;
    // A document put with `putAndLetGo` may be waiting for the next flush: the store answers once it has them.
    if (this.unkeptCount > 0) await this.flush(this.flushedPosition);
    const stored = await this.store.get<T>(collection, id);
    this.collection(collection).docs.set(id, stored);
    this.keptCount += 1;
    return stored;
  }

  /** What `get` answers, unless only the store knows (a document written and let go of): undefined then. */
  held<T extends Document>(collection: string, id: string): T | null | undefined {
    // Marked on every lookup, found or not: a collection whose lookups all found kept documents
    // so far is still one that is read, whose written ids are worth remembering.
    this.read.add(collection);
    const { docs } = this.collection(collection);
    const found = docs.get(id);
    if (found !== undefined) return found as T | null;
    if (this.dropped && this.mayBeStored(collection, id)) return undefined;
    docs.set(id, null);
    this.keptCount += 1;
    return null;
  }

  /** Rare paths (erasure): the store answers the query once this pass's changes are in it. */
  async findBy<T extends Document>(collection: string, field: string, value: string): Promise<T[]> {
    await this.flush(this.flushedPosition);
    const { docs } = this.collection(collection);
    return (await this.store.find<T>(collection, { where: { [field]: value } })).map((doc) => {
      const own = docs.get(doc.id);
      if (own) return own as T;
      docs.set(doc.id, doc);
      this.keptCount += 1;
      return doc;
    });
  }

  put(collection: string, doc: Document): void {
    this.keep(collection, doc.id, doc);
  }

  delete(collection: string, id: string): void {
    this.keep(collection, id, null);
  }

  /**
   * A put for a document the projection holds itself and puts once (the analytics rebuild): written
   * by the next flush without the bookkeeping of a kept document, and not kept. One kept already
   * (read back through `get`) is put as usual.
   */
  putAndLetGo(collection: string, doc: Document): void {
    const kept = this.kept.get(collection);
    if (kept?.docs.has(doc.id)) {
      this.keep(collection, doc.id, doc);
      return;
    }
    let docs = this.unkept.get(collection);
    if (!docs) {
      this.unkept.set(collection, (docs = []));
      // From now on a document of the collection not kept may be in the store.
      this.stored.set(collection, null);
      this.dropped = true;
    }
    docs.push(doc);
    this.unkeptCount += 1;
  }

  /** Writes the documents put with `putAndLetGo` so far (and the kept ones changed), the checkpoint where it was. */
  async writeLetGo(): Promise<void> {
    if (this.unkeptCount > 0) await this.flush(this.flushedPosition);
  }

  /** Marks that the events just applied erased a user's personal data. */
  erased(): void {
    this.erasedSinceFlush = true;
  }

  /** Writes the changed documents and the checkpoint at `position` in one atomic write; keeps the documents. */
  async flush(position: number): Promise<void> {
    const ops: WriteOp[] = [];
    for (const [collection, { docs, dirty }] of this.kept) {
      // In key order: the store's id index is then appended to, not split at random places.
      for (const id of [...dirty].sort()) {
        const doc = docs.get(id);
        ops.push(doc ? { kind: 'put', collection, doc } : { kind: 'delete', collection, id });
      }
      dirty.clear();
    }
    for (const [collection, docs] of this.unkept) {
      docs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const doc of docs) ops.push({ kind: 'put', collection, doc });
      docs.length = 0;
    }
    this.unkeptCount = 0;
    if (ops.length > 0 || position !== this.flushedPosition) {
      await this.store.write({ ops, checkpoint: { name: this.checkpointName, expected: this.flushedPosition, position } });
      this.flushedPosition = position;
    }
    if (this.erasedSinceFlush) {
      // An erased user's names were just overwritten: the store's files must not keep them (WAL, free pages).
      this.erasedSinceFlush = false;
      await this.store.purgeOverwritten?.();
    }
  }

  /** Flushes, then lets go of every document (memory stays bounded; later reads go to the store). */
  async flushAndDrop(position: number): Promise<void> {
    await this.flush(position);
    this.rememberStored();
    this.kept.clear();
    this.keptCount = 0;
    this.dropped = true;
  }

  /**
   * Flushes, then lets go of the documents of collections never looked up (an activity entry:
   * written once, never read back by the projection), keeping those it reads; answers how
   * many documents it still holds. Cheaper than `flushAndDrop` when those hold most of the memory: the
   * documents read again (a project, a room, an hour bucket) are not read back from the store.
   */
  async flushAndLetGoOfUnread(position: number): Promise<number> {
    await this.flush(position);
    this.rememberStored();
    for (const [collection, kept] of this.kept) {
      if (this.read.has(collection)) continue;
      this.keptCount -= kept.docs.size;
      this.kept.delete(collection);
    }
    this.dropped = true;
    return this.keptCount;
  }

  /** Documents held of collections never looked up (cheap: a sum over the collections). */
  get unreadSize(): number {
    let count = 0;
    for (const [collection, { docs }] of this.kept) if (!this.read.has(collection)) count += docs.size;
    return count;
  }

  /**
   * Writes the documents of collections never looked up (a file's text versions, an activity entry:
   * written once, never read back) and lets go of them, without moving the checkpoint (the next
   * flush does). Called every few pages, it keeps them from living long enough to be promoted to
   * V8's old space, which made the garbage collector a quarter of a document-heavy rebuild
   * (docs/performance.md, 2026-12-05). The staging store has no other writer and is discarded if
   * the rebuild fails, so documents written ahead of the checkpoint are never seen half-done.
   */
  async writeUnread(): Promise<void> {
    const ops: WriteOp[] = [];
    for (const [collection, { docs, dirty }] of this.kept) {
      if (this.read.has(collection)) continue;
      for (const id of [...dirty].sort()) {
        const doc = docs.get(id);
        ops.push(doc ? { kind: 'put', collection, doc } : { kind: 'delete', collection, id });
      }
      this.keptCount -= docs.size;
      this.kept.delete(collection);
      // Not remembered: a later lookup (none so far) asks the store.
      this.stored.set(collection, null);
      this.dropped = true;
    }
    if (ops.length > 0) await this.store.write({ ops });
  }

  /** After a flush, the kept documents are what the store holds for their ids: remember which exist. */
  private rememberStored(): void {
    for (const [collection, { docs }] of this.kept) {
      let ids = this.stored.get(collection);
      if (ids === null) continue;
      if (ids === undefined) {
        // Every document written since the last drop is kept, so a new set sees them all.
        if (!this.read.has(collection)) {
          this.stored.set(collection, null);
          continue;
        }
        this.stored.set(collection, (ids = new Set()));
      }
      for (const [id, doc] of docs) {
        const had = ids.has(id);
        if (doc && !had) {
          ids.add(id);
          this.storedCount += 1;
        } else if (!doc && had) {
          ids.delete(id);
          this.storedCount -= 1;
        }
      }
    }
    if (this.storedCount > this.trackedIds) {
      for (const collection of this.stored.keys()) this.stored.set(collection, null);
      this.storedCount = 0;
    }
  }

  private mayBeStored(collection: string, id: string): boolean {
    const ids = this.stored.get(collection);
    return ids === null || (ids !== undefined && ids.has(id));
  }

  private keep(collection: string, id: string, doc: Kept): void {
    const kept = this.collection(collection);
    if (!kept.docs.has(id)) this.keptCount += 1;
    kept.docs.set(id, doc);
    kept.dirty.add(id);
  }

  private collection(name: string): KeptCollection {
    let kept = this.kept.get(name);
    if (!kept) this.kept.set(name, (kept = { docs: new Map(), dirty: new Set() }));
    return kept;
  }
}
