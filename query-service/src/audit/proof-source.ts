/**
 * Proofs from the Merkle log store, with the nodes fetched kept for the next
 * proof: the upper nodes are shared by every proof of one tree, so a bundle
 * of many proofs reads each of them once.
 */
import { consistencyProof, inclusionProof, inclusionProofs, nodeKey, withNodes, type Hash, type NodeRef, type NodeSource } from '@resoft/domain';
import type { MerkleLogStore } from '@resoft/ports';

export class ProofSource {
  private readonly cache = new Map<string, Hash>();

  constructor(private readonly log: MerkleLogStore) {}

  inclusion(leafIndex: number, treeSize: number): Promise<Hash[]> {
    return this.compute((source) => inclusionProof(leafIndex, treeSize, source));
  }

  /** Many proofs against one tree in one round trip to the store. */
  inclusions(leafIndexes: readonly number[], treeSize: number): Promise<Hash[][]> {
    return this.compute((source) => inclusionProofs(leafIndexes, treeSize, source));
  }

  consistency(first: number, second: number): Promise<Hash[]> {
    return this.compute((source) => consistencyProof(first, second, source));
  }

  private compute<T>(work: (source: NodeSource) => T): Promise<T> {
    return withNodes(work, async (refs: readonly NodeRef[]) => {
      const missing = refs.filter((r) => !this.cache.has(nodeKey(r.level, r.index)));
      if (missing.length > 0) for (const [key, hash] of await this.log.nodes(missing)) this.cache.set(key, hash);
      // Leaves are many and read once each: keep only inner nodes.
      const found = new Map(refs.flatMap((r) => { const key = nodeKey(r.level, r.index); const hash = this.cache.get(key); return hash ? [[key, hash] as const] : []; }));
      for (const r of missing) if (r.level === 0) this.cache.delete(nodeKey(0, r.index));
      return found;
    });
  }
}
