/**
 * A projection turns events into read-model documents. Handlers read and
 * write documents by id only, through a unit of work, so the same handler
 * runs on any read store and inside any batch.
 */
import type { RecordedEvent } from '@resoft/domain';
import type { CollectionSpec, Document } from '@resoft/ports';

export interface ProjectionUnitOfWork {
  /**
   * Who writes this batch when several writers share a projection: the bus partition (`p3`) for a
   * bus consumer, null for the single writer (the runner, a rebuild). A document that gathers events
   * of several streams must be one writer's own, so it carries this in its id.
   */
  readonly writer: string | null;
  /**
   * True for a rebuild's unit: the same unit is handed every page of the one pass over the log, and
   * the projection's `finishRebuild` runs once after the last page, before the final write.
   */
  readonly rebuilding?: boolean;
  get<T extends Document>(collection: string, id: string): Promise<T | null>;
  /**
   * What `get` would answer, when the unit knows it without asking the store (the document, or null
   * for one known to be absent); undefined when only `get` can tell. A rebuild's write-back answers
   * most lookups this way, so a projection can count an event without waiting for a promise.
   */
  held?<T extends Document>(collection: string, id: string): T | null | undefined;
  /** Documents whose indexed `field` equals `value`, this batch's writes included (rare paths: erasure). */
  findBy<T extends Document>(collection: string, field: string, value: string): Promise<T[]>;
  put(collection: string, doc: Document): void;
  /**
   * A `put` that lets the unit write the document without keeping it (a rebuild's write-back): for a
   * projection that holds the document itself and puts it once. A later `get` still answers it.
   */
  putAndLetGo?(collection: string, doc: Document): void;
  /** Writes the documents put with `putAndLetGo` so far, so that none of them stays in memory (a rebuild's long finishing work). */
  writeLetGo?(): Promise<void>;
  delete(collection: string, id: string): void;
}

export interface Projection {
  /** Also the name of its checkpoint. */
  readonly name: string;
  readonly collections: readonly CollectionSpec[];
  /** Event types it reacts to; others only advance the checkpoint. */
  readonly handles: ReadonlySet<string>;
  /** May finish synchronously (no promise) when everything it needs is held by the unit (`held`). */
  apply(event: RecordedEvent, unit: ProjectionUnitOfWork): Promise<void> | void;
  /**
   * Called once after a batch's events, before the batch is written: a projection that defers work
   * per document (the files projection applies a file's changes of the whole batch in one call) does it here.
   */
  finishBatch?(unit: ProjectionUnitOfWork): Promise<void> | void;
  /**
   * Called once at the end of a rebuild (after the last page's finishBatch, before the read models
   * are written and swapped in): a projection that defers work across the whole pass (the files
   * projection builds each file's snapshot once) finishes it here.
   */
  finishRebuild?(unit: ProjectionUnitOfWork): Promise<void> | void;
}
