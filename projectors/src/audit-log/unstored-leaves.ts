/**
 * Leaves the audit log builder has hashed and not stored yet, with the nodes they complete, packed:
 * positions in one array, hashes 32 bytes each in one buffer per kind. They wait for the store write
 * of a tree head interval (a thousand leaves by default); kept as an object per leaf and per node,
 * each with its hash's Buffer, they outlived young-generation collections and were copied by each.
 * The write's `LogLeaf` and `StoredNode` objects are made when it is made.
 */
import type { MadeNodeSink, StoredNode } from '@resoft/domain';
import type { LogLeaf } from '@resoft/ports';

const HASH_BYTES = 32;

/** A growing run of 32-byte hashes in one buffer. */
class PackedHashes {
  private buffer = Buffer.allocUnsafe(HASH_BYTES * 256);
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** The buffer the hashes are in now (a `reserve` may move them to a larger one). */
  get bytes(): Buffer {
    return this.buffer;
  }

  /** Makes room for one more hash; returns its offset in `bytes`. */
  reserve(): number {
    if ((this.count + 1) * HASH_BYTES > this.buffer.length) {
      const larger = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(larger, 0, 0, this.count * HASH_BYTES);
      this.buffer = larger;
    }
    this.count += 1;
    return (this.count - 1) * HASH_BYTES;
  }

  /** Adds the hash at `source[offset … offset + 32)`. */
  pushFrom(source: Uint8Array, offset: number): void {
    const at = this.reserve();
    const bytes = this.buffer;
    for (let i = 0; i < HASH_BYTES; i += 1) bytes[at + i] = source[offset + i]!;
  }

  at(i: number): Buffer {
    return this.buffer.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
  }
}

export class UnstoredLeaves implements MadeNodeSink {
  private readonly positions: number[] = [];
  private readonly leafHashes = new PackedHashes();
  /** Level and index of each node, two numbers a node. */
  private readonly nodeRefs: number[] = [];
  private readonly nodeHashes = new PackedHashes();

  /**
   * `expectedSize`: the log's size before them (the store write's compare-and-set); `lastPosition`: where it ends so far;
   * `nodesFrom`: the lowest level of the nodes the store keeps (lower ones are not kept here either).
   */
  constructor(
    readonly expectedSize: number,
    public lastPosition: number,
    private readonly nodesFrom = 1,
  ) {}

  /** Adds the leaf of `position`; returns where its hash goes in `leafBytes` (the caller writes it there). */
  addLeaf(position: number): number {
    this.positions.push(position);
    this.lastPosition = position;
    return this.leafHashes.reserve();
  }

  /** The buffer of the leaf hashes, as of the last `addLeaf`. */
  get leafBytes(): Buffer {
    return this.leafHashes.bytes;
  }

  /** A node the frontier completed (`MerkleFrontier.appendAt`'s sink). */
  node(level: number, index: number, bytes: Uint8Array, offset: number): void {
    if (level < this.nodesFrom) return;
    this.nodeRefs.push(level, index);
    this.nodeHashes.pushFrom(bytes, offset);
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
