import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MerkleFrontier, inclusionProof, leafHash, nodeKey, verifyInclusion, withNodes, type StoredNode } from '@resoft/domain';
import type { LogLeaf } from '@resoft/ports';
import { describeMerkleLogStoreContract } from '@resoft/ports/contracts';
import { SqliteMerkleLogStore } from './sqlite-merkle-log-store.js';

describeMerkleLogStoreContract('SqliteMerkleLogStore', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-merkle-'));
  const store = new SqliteMerkleLogStore({ file: path.join(dir, 'audit-log.sqlite') });
  return { store, dispose: async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
});

describe('SqliteMerkleLogStore leaf blocks', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-merkle-blocks-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** `count` leaves after `frontier`, positions with gaps (as another engine or process would leave). */
  function grow(frontier: MerkleFrontier, count: number): { leaves: LogLeaf[]; nodes: StoredNode[] } {
    const leaves: LogLeaf[] = [];
    const nodes: StoredNode[] = [];
    for (let n = 0; n < count; n += 1) {
      const made = frontier.append(leafHash(`leaf ${frontier.size}`));
      leaves.push({ index: made[0]!.index, position: made[0]!.index * 2 + 5, hash: made[0]!.hash });
      nodes.push(...made.slice(1));
    }
    return { leaves, nodes };
  }

  it('keeps leaves appended in uneven pieces across block boundaries, found by index and by position, with proofs that verify', async () => {
    const store = new SqliteMerkleLogStore({ file: path.join(dir, 'audit-log.sqlite') });
    const frontier = new MerkleFrontier();
    const all: LogLeaf[] = [];
    for (const piece of [1, 7, 250, 3, 256, 300, 13]) {
      const grown = grow(frontier, piece);
      await store.append(frontier.size - piece, grown.leaves, grown.nodes);
      all.push(...grown.leaves);
    }
    const size = all.length;
    expect(await store.state()).toEqual({ size, lastPosition: all[size - 1]!.position, leafV2From: null });
    const read = await store.leaves(0, size + 10);
    expect(read.map((l) => [l.index, l.position, l.hash.toString('hex')])).toEqual(all.map((l) => [l.index, l.position, l.hash.toString('hex')]));
    expect((await store.leaves(255, 3)).map((l) => l.index)).toEqual([255, 256, 257]);
    for (const leaf of [all[0]!, all[255]!, all[256]!, all[511]!, all[512]!, all[size - 1]!]) {
      expect((await store.leafAt(leaf.position))?.hash.equals(leaf.hash)).toBe(true);
      expect(await store.leafAt(leaf.position + 1)).toBeNull();
    }
    expect(await store.leafAt(1)).toBeNull();
    const at = await store.leavesAt([all[3]!.position, all[700]!.position, 4, all[300]!.position]);
    expect([...at.keys()]).toEqual([all[3]!.position, all[700]!.position, all[300]!.position]);
    const root = frontier.root();
    for (const index of [0, 255, 256, 511, 600, size - 1]) {
      const proof = await withNodes((source) => inclusionProof(index, size, source), (refs) => store.nodes(refs));
      expect(verifyInclusion(all[index]!.hash, index, size, proof, root)).toBe(true);
    }
    await store.close();
  });

  it('answers every node a log of uneven appends has completed (levels 4 to 8 kept in their block), none it has not', async () => {
    const store = new SqliteMerkleLogStore({ file: path.join(dir, 'audit-log.sqlite') });
    const frontier = new MerkleFrontier();
    const made: StoredNode[] = [];
    for (const piece of [5, 40, 250, 211, 600, 1]) {
      const grown = grow(frontier, piece);
      await store.append(frontier.size - piece, grown.leaves, grown.nodes);
      made.push(...grown.nodes);
      const found = await store.nodes(made);
      expect(made.filter((n) => found.get(nodeKey(n.level, n.index))?.equals(n.hash) !== true)).toEqual([]);
      // The next node of each level 1 … 10, not complete yet.
      const next = Array.from({ length: 10 }, (_, i) => ({ level: i + 1, index: Math.floor(frontier.size / 2 ** (i + 1)) }));
      expect([...(await store.nodes(next)).keys()]).toEqual([]);
    }
    await store.close();
  });

  it('reads the nodes of a log whose blocks did not keep theirs (levels 4 to 8 as rows), and grows on from there', async () => {
    const file = path.join(dir, 'audit-log.sqlite');
    const frontier = new MerkleFrontier();
    const grown = grow(frontier, 600);
    const root600 = frontier.root();
    const old = new Database(file);
    old.exec('CREATE TABLE audit_leaf_blocks (block_index INTEGER PRIMARY KEY, first_position INTEGER NOT NULL UNIQUE, positions BLOB NOT NULL, hashes BLOB NOT NULL)');
    old.exec('CREATE TABLE audit_nodes (level INTEGER NOT NULL, node_index INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, node_index)) WITHOUT ROWID');
    const insertBlock = old.prepare('INSERT INTO audit_leaf_blocks VALUES (?, ?, ?, ?)');
    const insertNode = old.prepare('INSERT INTO audit_nodes VALUES (?, ?, ?)');
    old.transaction(() => {
      for (let block = 0; block * 256 < 600; block += 1) {
        const leaves = grown.leaves.slice(block * 256, (block + 1) * 256);
        const positions = Buffer.alloc(leaves.length * 8);
        leaves.forEach((leaf, i) => positions.writeDoubleLE(leaf.position, i * 8));
        insertBlock.run(block, leaves[0]!.position, positions, Buffer.concat(leaves.map((leaf) => leaf.hash)));
      }
      for (const node of grown.nodes) if (node.level >= 4) insertNode.run(node.level, node.index, node.hash);
    })();
    old.close();
    const store = new SqliteMerkleLogStore({ file });
    expect(await store.state()).toEqual({ size: 600, lastPosition: grown.leaves[599]!.position, leafV2From: null });
    const more = grow(frontier, 700);
    await store.append(600, more.leaves, more.nodes);
    const leaves = [...grown.leaves, ...more.leaves];
    const nodes = [...grown.nodes, ...more.nodes];
    const found = await store.nodes(nodes);
    expect(nodes.filter((n) => found.get(nodeKey(n.level, n.index))?.equals(n.hash) !== true)).toEqual([]);
    for (const [index, size, root] of [[300, 600, root600], [599, 1300, frontier.root()], [610, 1300, frontier.root()], [1299, 1300, frontier.root()]] as const) {
      const proof = await withNodes((source) => inclusionProof(index, size, source), (refs) => store.nodes(refs));
      expect(verifyInclusion(leaves[index]!.hash, index, size, proof, root)).toBe(true);
    }
    await store.close();
  });

  it('moves a log written with a row per leaf into blocks when it opens it, leaves and proofs unchanged', async () => {
    const file = path.join(dir, 'audit-log.sqlite');
    const frontier = new MerkleFrontier();
    const grown = grow(frontier, 600);
    const old = new Database(file);
    old.exec('CREATE TABLE audit_leaves (leaf_index INTEGER PRIMARY KEY, position INTEGER NOT NULL UNIQUE, hash BLOB NOT NULL)');
    old.exec('CREATE TABLE audit_nodes (level INTEGER NOT NULL, node_index INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, node_index)) WITHOUT ROWID');
    const insert = old.prepare('INSERT INTO audit_leaves VALUES (?, ?, ?)');
    const insertNode = old.prepare('INSERT INTO audit_nodes VALUES (?, ?, ?)');
    old.transaction(() => {
      for (const leaf of grown.leaves) insert.run(leaf.index, leaf.position, leaf.hash);
      for (const node of grown.nodes) if (node.level >= 4) insertNode.run(node.level, node.index, node.hash);
    })();
    old.close();
    const store = new SqliteMerkleLogStore({ file });
    expect(await store.state()).toEqual({ size: 600, lastPosition: grown.leaves[599]!.position, leafV2From: null });
    expect((await store.leaves(0, 600)).map((l) => l.hash.toString('hex'))).toEqual(grown.leaves.map((l) => l.hash.toString('hex')));
    const proof = await withNodes((source) => inclusionProof(300, 600, source), (refs) => store.nodes(refs));
    expect(verifyInclusion(grown.leaves[300]!.hash, 300, 600, proof, frontier.root())).toBe(true);
    // And it grows on from there.
    const more = grow(frontier, 5);
    await store.append(600, more.leaves, more.nodes);
    expect((await store.state()).size).toBe(605);
    await store.close();
    const reopened = new Database(file, { readonly: true });
    expect(reopened.prepare("SELECT name FROM sqlite_master WHERE name = 'audit_leaves'").get()).toBeUndefined();
    reopened.close();
  });
});
