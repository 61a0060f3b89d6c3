/**
 * Periodic snapshots of file documents for time travel (`?asOf=`, `resoft replay`): every
 * `every`-th event of a document stream, the Automerge document as it stood there. An as-of read
 * starts from the last snapshot at or before its moment and applies only the changes after it, so
 * its cost stays bounded by `every` changes however long the file's history grows. Snapshots are
 * made the first time a read passes their revision and kept in the read store (collection
 * `as_of_document_snapshots`); they are derived data — a lost or dropped collection is rebuilt by
 * the next reads — and audit verification never uses them.
 */
import type { AsOf } from '@resoft/domain';
import type { Filter, ReadStore } from '@resoft/ports';

export interface DocumentSnapshotAsOf {
  /** `<streamId>@<revision>`. */
  readonly id: string;
  readonly streamId: string;
  /** The last stream revision the snapshot includes. */
  readonly revision: number;
  /** Document changes applied up to it (the file's version then). */
  readonly version: number;
  readonly position: number;
  readonly occurredAt: string;
  /** The saved Automerge document (base64). */
  readonly snapshot: string;
  readonly [key: string]: unknown;
}

export const AS_OF_SNAPSHOTS = 'as_of_document_snapshots';
export const DEFAULT_SNAPSHOT_EVERY = 500;

export class DocumentSnapshotsAsOf {
  private ready: Promise<void> | null = null;

  constructor(
    private readonly readStore: ReadStore,
    /** A snapshot every this many stream revisions. */
    readonly every = DEFAULT_SNAPSHOT_EVERY,
  ) {}

  /** The latest snapshot of the stream that holds only history as of the moment, or null. */
  async latest(streamId: string, asOf: AsOf): Promise<DocumentSnapshotAsOf | null> {
    await this.ensure();
    const where: Filter = asOf.kind === 'position' ? { streamId, position: { $lte: asOf.position } } : { streamId, occurredAt: { $lte: asOf.time } };
    const [found] = await this.readStore.find<DocumentSnapshotAsOf>(AS_OF_SNAPSHOTS, { where, orderBy: [{ field: 'revision', direction: 'desc' }], limit: 1 });
    return found ?? null;
  }

  /** Whether a snapshot is due after this revision. */
  due(revision: number): boolean {
    return (revision + 1) % this.every === 0;
  }

  /** False when the snapshot could not be stored (a document too large for the store, say): later reads then replay further, nothing else changes. */
  async save(snapshot: Omit<DocumentSnapshotAsOf, 'id'>): Promise<boolean> {
    await this.ensure();
    try {
      await this.readStore.write({ ops: [{ kind: 'put', collection: AS_OF_SNAPSHOTS, doc: { id: `${snapshot.streamId}@${snapshot.revision}`, ...snapshot } }] });
      return true;
    } catch {
      return false;
    }
  }

  private ensure(): Promise<void> {
    this.ready ??= this.readStore.ensureCollection({ name: AS_OF_SNAPSHOTS, indexes: [['streamId', 'revision'], ['streamId', 'position'], ['streamId', 'occurredAt']] }).catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }
}
