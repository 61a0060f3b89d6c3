/** The contract every MerkleLogStore adapter passes (SQLite always; MongoDB when MONGO_URL names an engine). */
import { MerkleFrontier, leafHash, nodeKey, type SignedTreeHead, type StoredNode } from '@resoft/domain';
import { MerkleLogMovedError, type LogLeaf, type MerkleLogStore } from './merkle-log-store.js';

/** Leaves and completed nodes for `count` leaves after `frontier`, positions spaced by 3 (as an engine with gaps would give). */
function grow(frontier: MerkleFrontier, count: number): { leaves: LogLeaf[]; nodes: StoredNode[] } {
  const leaves: LogLeaf[] = [];
  const nodes: StoredNode[] = [];
  for (let n = 0; n < count; n += 1) {
    const made = frontier.append(leafHash(`leaf ${frontier.size}`));
    leaves.push({ index: made[0]!.index, position: made[0]!.index * 3 + 1, hash: made[0]!.hash });
    nodes.push(...made.slice(1));
  }
  return { leaves, nodes };
}

const head = (treeSize: number, root: Buffer): SignedTreeHead => ({ treeSize, lastPosition: (treeSize - 1) * 3 + 1, rootHash: root.toString('hex'), timestamp: '2026-01-01T00:00:00.000Z', keyId: 'k1', signature: 'c2ln' });

export function describeMerkleLogStoreContract(name: string, open: () => Promise<{ store: MerkleLogStore; dispose: () => Promise<void> }>): void {
  describe(`${name} (MerkleLogStore contract)`, () => {
    let store: MerkleLogStore;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await open());
    });
    afterEach(() => dispose());

    it('starts empty', async () => {
      expect(await store.state()).toEqual({ size: 0, lastPosition: 0, leafV2From: null });
      expect(await store.latestTreeHead()).toBeNull();
      expect(await store.leaves(0, 10)).toEqual([]);
    });

    it('keeps leaves, nodes and the position of the last leaf, and finds leaves by position', async () => {
      const frontier = new MerkleFrontier();
      const first = grow(frontier, 5);
      await store.append(0, first.leaves, first.nodes);
      const second = grow(frontier, 6);
      await store.append(5, second.leaves, second.nodes);
      expect(await store.state()).toEqual({ size: 11, lastPosition: 31, leafV2From: null });
      expect((await store.leaves(3, 4)).map((l) => [l.index, l.position])).toEqual([[3, 10], [4, 13], [5, 16], [6, 19]]);
      expect((await store.leafAt(19))?.hash.equals(second.leaves[1]!.hash)).toBe(true);
      expect(await store.leafAt(20)).toBeNull();
      expect([...(await store.leavesAt([1, 19, 20])).keys()].sort((a, b) => a - b)).toEqual([1, 19]);
      const nodes = await store.nodes([{ level: 3, index: 0 }, { level: 0, index: 10 }, { level: 2, index: 2 }]);
      expect([...nodes.keys()].sort()).toEqual([nodeKey(0, 10), nodeKey(3, 0)]);
      expect(nodes.get(nodeKey(3, 0))!.equals([...first.nodes, ...second.nodes].find((n) => n.level === 3)!.hash)).toBe(true);
    });

    it('refuses an append when the log moved, and writes none of it', async () => {
      const frontier = new MerkleFrontier();
      const first = grow(frontier, 2);
      await store.append(0, first.leaves, first.nodes);
      const stale = grow(new MerkleFrontier(), 1);
      await expect(store.append(0, stale.leaves, stale.nodes)).rejects.toBeInstanceOf(MerkleLogMovedError);
      expect(await store.state()).toEqual({ size: 2, lastPosition: 4, leafV2From: null });
      expect((await store.leaves(0, 5)).length).toBe(2);
    });

    it('lists tree heads by size and finds the latest and one of a given size', async () => {
      const frontier = new MerkleFrontier();
      const grown = grow(frontier, 4);
      await store.append(0, grown.leaves, grown.nodes);
      for (const size of [1, 2, 4]) await store.addTreeHead(head(size, frontier.root()));
      expect((await store.treeHeads()).map((h) => h.treeSize)).toEqual([1, 2, 4]);
      expect((await store.treeHeads({ fromSize: 2, limit: 1 })).map((h) => h.treeSize)).toEqual([2]);
      expect(await store.latestTreeHead()).toEqual(head(4, frontier.root()));
      expect((await store.treeHeadOfSize(2))?.treeSize).toBe(2);
      expect(await store.treeHeadOfSize(3)).toBeNull();
    });

    it('records where format 2 leaves start once, only at the expected size, and keeps it through appends', async () => {
      await store.recordLeafV2From(0, 1);
      expect(await store.state()).toEqual({ size: 0, lastPosition: 0, leafV2From: 1 });
      const frontier = new MerkleFrontier();
      const grown = grow(frontier, 3);
      await store.append(0, grown.leaves, grown.nodes);
      await store.recordLeafV2From(3, 99);
      expect(await store.state()).toEqual({ size: 3, lastPosition: 7, leafV2From: 1 });
    });

    it('records format 2 from a later position on a log of format 1 leaves, not when the log moved', async () => {
      const frontier = new MerkleFrontier();
      const grown = grow(frontier, 3);
      await store.append(0, grown.leaves, grown.nodes);
      await store.recordLeafV2From(2, 5);
      expect((await store.state()).leafV2From).toBeNull();
      await store.recordLeafV2From(3, 8);
      const more = grow(frontier, 2);
      await store.append(3, more.leaves, more.nodes);
      expect(await store.state()).toEqual({ size: 5, lastPosition: 13, leafV2From: 8 });
    });

    it('keeps the leaf format a tree head signs', async () => {
      const frontier = new MerkleFrontier();
      const grown = grow(frontier, 2);
      await store.append(0, grown.leaves, grown.nodes);
      await store.addTreeHead(head(1, frontier.root()));
      await store.addTreeHead({ ...head(2, frontier.root()), leafV2From: 4 });
      expect(await store.treeHeads()).toEqual([head(1, frontier.root()), { ...head(2, frontier.root()), leafV2From: 4 }]);
      expect(await store.latestTreeHead()).toEqual({ ...head(2, frontier.root()), leafV2From: 4 });
      expect(await store.treeHeadOfSize(1)).toEqual(head(1, frontier.root()));
    });
  });
}
