/**
 * The right edge of a growing Merkle tree: the roots of the perfect subtrees
 * that make up its leaves (one per set bit of the size). Appending a leaf
 * yields the new perfect-subtree nodes a log store keeps, and the root of
 * the whole tree is folded from the edge — O(log n) work and memory per
 * leaf, without reading the store.
 */
import { EMPTY_TREE_ROOT, nodeHash, type Hash, type NodeRef } from './merkle-tree.js';

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

export class MerkleFrontier {
  private readonly edge: StoredNode[];

  /** `edge` holds the hashes of `edgeNodes(size)`, in that order. */
  constructor(
    private leaves: number = 0,
    edge: readonly Hash[] = [],
  ) {
    const refs = edgeNodes(leaves);
    if (refs.length !== edge.length) throw new Error(`a tree of ${leaves} leaves has ${refs.length} edge nodes, got ${edge.length}`);
    this.edge = refs.map((ref, i) => ({ ...ref, hash: edge[i]! }));
  }

  get size(): number {
    return this.leaves;
  }

  /** Adds a leaf hash; returns every perfect-subtree node it completes, the leaf itself (level 0) first. */
  append(leaf: Hash): StoredNode[] {
    let node: StoredNode = { level: 0, index: this.leaves, hash: leaf };
    const made = [node];
    while (this.edge.length > 0 && this.edge[this.edge.length - 1]!.level === node.level) {
      const left = this.edge.pop()!;
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      made.push(node);
    }
    this.edge.push(node);
    this.leaves += 1;
    return made;
  }

  root(): Hash {
    if (this.edge.length === 0) return EMPTY_TREE_ROOT;
    let r = this.edge[this.edge.length - 1]!.hash;
    for (let i = this.edge.length - 2; i >= 0; i -= 1) r = nodeHash(this.edge[i]!.hash, r);
    return r;
  }
}
