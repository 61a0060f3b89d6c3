/**
 * The Merkle log store port: the leaves of the audit log (one per event, in
 * log order, with the event's position), every perfect-subtree node (so a
 * proof needs O(log² n) lookups), and the signed tree heads. Appends are
 * compare-and-set on the size, so two builders never interleave leaves.
 */
import type { Hash, NodeRef, SignedTreeHead, StoredNode } from '@resoft/domain';

export interface LogLeaf {
  readonly index: number;
  readonly position: number;
  readonly hash: Hash;
}

export interface MerkleLogState {
  readonly size: number;
  /** Position of the last leaf, 0 when empty: where a builder resumes. */
  readonly lastPosition: number;
  /** The first position whose leaf is format 2 (domain audit-leaf.ts); null: every leaf is format 1 (a log made before format 2). */
  readonly leafV2From: number | null;
}

export interface MerkleLogStore {
  /**
   * The lowest level of the nodes the store keeps (it folds lower ones from the leaves when asked):
   * a writer need not pass it lower nodes. Absent: 1, every node.
   */
  readonly storesNodesFrom?: number;
  state(): Promise<MerkleLogState>;
  /**
   * Adds leaves and the nodes they complete (level ≥ 1, or ≥ `storesNodesFrom`), only when the log
   * still has `expectedSize` leaves; otherwise throws `MerkleLogMovedError`.
   */
  append(expectedSize: number, leaves: readonly LogLeaf[], nodes: readonly StoredNode[]): Promise<void>;
  /**
   * Records that leaves from position `fromPosition` on are format 2, only when the log still has
   * `expectedSize` leaves and no such record yet; otherwise does nothing (read `state()` after).
   * Recorded once, never changed.
   */
  recordLeafV2From(expectedSize: number, fromPosition: number): Promise<void>;
  /** Leaves from `fromIndex`, in order. */
  leaves(fromIndex: number, maxCount: number): Promise<LogLeaf[]>;
  /** The leaf of the event at this position, or null. */
  leafAt(position: number): Promise<LogLeaf | null>;
  /** The leaves of these positions (absent ones left out). */
  leavesAt(positions: readonly number[]): Promise<Map<number, LogLeaf>>;
  /** Perfect-subtree hashes keyed `level:index` (level 0 = leaves). Missing refs are absent. */
  nodes(refs: readonly NodeRef[]): Promise<Map<string, Hash>>;
  addTreeHead(head: SignedTreeHead): Promise<void>;
  /** Tree heads in ascending size, from the first whose size is ≥ `fromSize`. */
  treeHeads(options?: { readonly fromSize?: number; readonly limit?: number }): Promise<SignedTreeHead[]>;
  latestTreeHead(): Promise<SignedTreeHead | null>;
  /** The tree head of exactly this size, or null. */
  treeHeadOfSize(size: number): Promise<SignedTreeHead | null>;
  close(): Promise<void>;
}

export class MerkleLogMovedError extends Error {
  constructor(readonly expected: number, readonly actual: number) {
    super(`the audit log has ${actual} leaves, ${expected} were expected (another builder appended)`);
    this.name = 'MerkleLogMovedError';
  }
}
