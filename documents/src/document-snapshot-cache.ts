/**
 * Where an as-of read keeps and finds periodic snapshots of a document (the read store's
 * `DocumentSnapshotsAsOf` is one): declared here so documents/ depends on no store package.
 */
import type { AsOf } from '@resoft/domain';

export interface DocumentSnapshot {
  readonly streamId: string;
  /** The last stream revision the snapshot includes. */
  readonly revision: number;
  /** Document changes applied up to it (the file's version then). */
  readonly version: number;
  readonly position: number;
  readonly occurredAt: string;
  /** The saved Automerge document (base64). */
  readonly snapshot: string;
  /** Stored as a read-store document, so it may carry other fields (its id). */
  readonly [key: string]: unknown;
}

export interface DocumentSnapshotCache {
  /** The latest snapshot of the stream that holds only history as of the moment, or null. */
  latest(streamId: string, asOf: AsOf): Promise<DocumentSnapshot | null>;
  /** Whether a snapshot is due after this revision. */
  due(revision: number): boolean;
  /** False when the snapshot could not be stored. */
  save(snapshot: DocumentSnapshot): Promise<boolean>;
}
