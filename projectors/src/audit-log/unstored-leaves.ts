/**
 * Leaves the audit log builder has hashed and not stored yet, with the nodes they complete, packed:
 * positions in one array, hashes 32 bytes each in one buffer per kind. They wait for the store write
 * of a tree head interval (a thousand leaves by default); kept as an object per leaf and per node,
 * each with its hash's Buffer, they outlived young-generation collections and were copied by each.
 * The write's `LogLeaf` and `StoredNode` objects are made when it is made.
 */
import type { StoredNode } from '@resoft/domain';
import type { LogLeaf } from '@resoft/ports';

const HASH_BYTES = 32;

/** A growing run of 32-byte hashes in one buffer. */
class PackedHashes {
  private bytes = Buffer.allocUnsafe(HASH_BYTES * 256);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(hash: Uint8Array): void {
    if ((this.count + 1) * HASH_BYTES > this.bytes.length) {
      const larger = Buffer.allocUnsafe(this.bytes.length * 2);
      this.bytes.copy(larger, 0, 0, this.count * HASH_BYTES);
      this.bytes = larger;
    }
    this.bytes.set(hash, this.count * HASH_BYTES);
    this.count += 1;
  }

  at(i: number): Buffer {
    return this.bytes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
  }
}

export class UnstoredLeaves {
  private readonly positions: number[] = [];
  private readonly leafHashes = new PackedHashes();
  /** Level and index of each node, two numbers a node. */
  private readonly nodeRefs: number[] = [];
  private readonly nodeHashes = new PackedHashes();

  /** `expectedSize`: the log's size before them (the store write's compare-and-set); `lastPosition`: where it ends so far. */
  constructor(
    readonly expectedSize: number,
    public lastPosition: number,
  ) {}

  /** Adds a leaf at `position` from what `MerkleFrontier.append` made: the leaf (level 0) first, then the nodes it completed. */
  add(position: number, made: readonly StoredNode[]): void {
    this.positions.push(position);
    this.leafHashes.push(made[0]!.hash);
    for (let i = 1; i < made.length; i += 1) {
      const node = made[i]!;
      this.nodeRefs.push(node.level, node.index);
      this.nodeHashes.push(node.hash);
    }
    this.lastPosition = position;
  }

  leaves(): LogLeaf[] {
    return this.positions.map((position, i) => ({ index: this.expectedSize + i, position, hash: this.leafHashes.at(i) }));
  }

  nodes(): StoredNode[] {
    const nodes: StoredNode[] = [];
    for (let i = 0; i < this.nodeHashes.length; i += 1) nodes.push({ level: this.nodeRefs[2 * i]!, index: this.nodeRefs[2 * i + 1]!, hash: this.nodeHashes.at(i) });
    return nodes;
  }
}
