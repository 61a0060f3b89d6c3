/**
 * The right edge of a growing Merkle tree: the roots of the perfect subtrees
 * that make up its leaves (one per set bit of the size). Appending a leaf
 * yields the new perfect-subtree nodes a log store keeps, and the root of
 * the whole tree is folded from the edge — O(log n) work and memory per
 * leaf, without reading the store.
 */
import { EMPTY_TREE_ROOT, nodeHash, sha256Into, type Hash, type NodeRef } from './merkle-tree.js';

export interface StoredNode extends NodeRef {
  readonly hash: Hash;
}

/** The perfect subtrees, largest first, whose leaves are exactly the first `size` leaves. */
export function edgeNodes(size: number): NodeRef[] {
  const refs: NodeRef[] = [];
  let start = 0;
  for (let level = Math.floor(Math.log2(Math.max(size, 1))); level >= 0; level -= 1) {
    const width = 2 ** level;
    if (size - start >= width) {
      refs.push({ level, index: start / width });
      start += width;
    }
  }
  return refs;
}

const HASH_BYTES = 32;
/** Levels of a tree of fewer than 2^53 leaves. */
const MAX_LEVELS = 54;

/** Receives each node an append completes (level ≥ 1): its hash is `bytes[offset … offset + 32)`, valid during the call only. */
export interface MadeNodeSink {
  node(level: number, index: number, bytes: Uint8Array, offset: number): void;
}

/** 0x01 || left || right of the node being made; the right half holds the node carried up the edge. */
const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES, 1);

export class MerkleFrontier {
  /**
   * The edge's hashes packed, 32 bytes a level: the slot of level L holds the edge node of that level
   * while bit L of the size is set (the edge has at most one node a level). No object or Buffer per
   * node: the audit log builder appends a leaf per event.
   */
  private readonly edge = Buffer.alloc(MAX_LEVELS * HASH_BYTES);

  /** `edge` holds the hashes of `edgeNodes(size)`, in that order. */
  constructor(
    private leaves: number = 0,
    edge: readonly Hash[] = [],
  ) {
    const refs = edgeNodes(leaves);
    if (refs.length !== edge.length) throw new Error(`a tree of ${leaves} leaves has ${refs.length} edge nodes, got ${edge.length}`);
    refs.forEach((ref, i) => this.edge.set(edge[i]!, ref.level * HASH_BYTES));
  }

  get size(): number {
    return this.leaves;
  }

  /** Adds a leaf hash; returns every perfect-subtree node it completes, the leaf itself (level 0) first. */
  append(leaf: Hash): StoredNode[] {
    const made: StoredNode[] = [{ level: 0, index: this.leaves, hash: leaf }];
    this.appendAt(leaf, 0, {
      node: (level, index, bytes, offset) => {
        const hash = Buffer.allocUnsafe(HASH_BYTES);
        for (let i = 0; i < HASH_BYTES; i += 1) hash[i] = bytes[offset + i]!;
        made.push({ level, index, hash });
      },
    });
    return made;
  }

  /** Adds the leaf hash at `source[offset … offset + 32)`; hands each node it completes to `sink`, lowest first. */
  appendAt(source: Uint8Array, offset: number, sink?: MadeNodeSink): void {
    const edge = this.edge;
    for (let i = 0; i < HASH_BYTES; i += 1) nodeInput[1 + HASH_BYTES + i] = source[offset + i]!;
    let level = 0;
    // Each set low bit of the size is an edge node of that level the new one completes (a division: sizes pass 2^31).
    for (let index = this.leaves; index % 2 === 1; index = (index - 1) / 2) {
      for (let i = 0, at = level * HASH_BYTES; i < HASH_BYTES; i += 1) nodeInput[1 + i] = edge[at + i]!;
      sha256Into(nodeInput, nodeInput, 1 + HASH_BYTES);
      level += 1;
      sink?.node(level, (index - 1) / 2, nodeInput, 1 + HASH_BYTES);
    }
    for (let i = 0, at = level * HASH_BYTES; i < HASH_BYTES; i += 1) edge[at + i] = nodeInput[1 + HASH_BYTES + i]!;
    this.leaves += 1;
  }

  root(): Hash {
    if (this.leaves === 0) return EMPTY_TREE_ROOT;
    let root: Hash | null = null;
    // From the smallest edge node up: each larger one is the left of the next fold.
    for (let rest = this.leaves, level = 0; rest > 0; rest = Math.floor(rest / 2), level += 1) {
      if (rest % 2 === 0) continue;
      const node = this.edge.subarray(level * HASH_BYTES, (level + 1) * HASH_BYTES);
      root = root ? nodeHash(node, root) : Buffer.from(node);
    }
    return root!;
  }
}
