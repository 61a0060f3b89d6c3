/**
 * The Merkle log in its own SQLite file beside the event store (WAL, shared by
 * the processes of one machine). Leaves and nodes are BLOBs keyed the way
 * proofs read them. Nodes below level 4 are not stored — they would be one
 * row per event, almost doubling what an append writes — but folded from
 * their (at most 8) leaves when a proof asks for one.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { nodeHash, nodeKey, type Hash, type NodeRef, type SignedTreeHead, type StoredNode } from '@resoft/domain';
import { MerkleLogMovedError, type LogLeaf, type MerkleLogState, type MerkleLogStore } from '@resoft/ports';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS audit_leaves (leaf_index INTEGER PRIMARY KEY, position INTEGER NOT NULL UNIQUE, hash BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS audit_nodes (level INTEGER NOT NULL, node_index INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, node_index)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS audit_tree_heads (tree_size INTEGER PRIMARY KEY, last_position INTEGER NOT NULL, root_hash TEXT NOT NULL, timestamp TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL);
`;

/** Lowest level of the nodes kept in the nodes table. */
const STORED_FROM_LEVEL = 4;
/** Leaves under one node of level STORED_FROM_LEVEL − 1, read together. */
const LOW_BLOCK = 2 ** (STORED_FROM_LEVEL - 1);

interface LeafRow { leaf_index: number; position: number; hash: Buffer }
interface HeadRow { tree_size: number; last_position: number; root_hash: string; timestamp: string; key_id: string; signature: string }

const toLeaf = (r: LeafRow): LogLeaf => ({ index: r.leaf_index, position: r.position, hash: r.hash });
const toHead = (r: HeadRow): SignedTreeHead => ({ treeSize: r.tree_size, lastPosition: r.last_position, rootHash: r.root_hash, timestamp: r.timestamp, keyId: r.key_id, signature: r.signature });

export class SqliteMerkleLogStore implements MerkleLogStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(options: { readonly file: string; readonly synchronous?: 'NORMAL' | 'FULL' }) {
    if (options.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.exec(SCHEMA);
    this.statements = {
      last: this.db.prepare<[], LeafRow>('SELECT leaf_index, position, hash FROM audit_leaves ORDER BY leaf_index DESC LIMIT 1'),
      insertLeaf: this.db.prepare('INSERT INTO audit_leaves (leaf_index, position, hash) VALUES (?, ?, ?)'),
      insertNode: this.db.prepare('INSERT INTO audit_nodes (level, node_index, hash) VALUES (?, ?, ?)'),
      leaves: this.db.prepare<[number, number], LeafRow>('SELECT leaf_index, position, hash FROM audit_leaves WHERE leaf_index >= ? ORDER BY leaf_index LIMIT ?'),
      leafAt: this.db.prepare<[number], LeafRow>('SELECT leaf_index, position, hash FROM audit_leaves WHERE position = ?'),
      node: this.db.prepare<[number, number], { hash: Buffer }>('SELECT hash FROM audit_nodes WHERE level = ? AND node_index = ?'),
      insertHead: this.db.prepare('INSERT OR IGNORE INTO audit_tree_heads (tree_size, last_position, root_hash, timestamp, key_id, signature) VALUES (?, ?, ?, ?, ?, ?)'),
      heads: this.db.prepare<[number, number], HeadRow>('SELECT * FROM audit_tree_heads WHERE tree_size >= ? ORDER BY tree_size LIMIT ?'),
      latestHead: this.db.prepare<[], HeadRow>('SELECT * FROM audit_tree_heads ORDER BY tree_size DESC LIMIT 1'),
      headOfSize: this.db.prepare<[number], HeadRow>('SELECT * FROM audit_tree_heads WHERE tree_size = ?'),
    };
  }

  async state(): Promise<MerkleLogState> {
    const last = this.statements.last.get();
    return last ? { size: last.leaf_index + 1, lastPosition: last.position } : { size: 0, lastPosition: 0 };
  }

  async append(expectedSize: number, leaves: readonly LogLeaf[], nodes: readonly StoredNode[]): Promise<void> {
    this.db.transaction(() => {
      const last = this.statements.last.get();
      const size = last ? last.leaf_index + 1 : 0;
      if (size !== expectedSize) throw new MerkleLogMovedError(expectedSize, size);
      for (const leaf of leaves) this.statements.insertLeaf.run(leaf.index, leaf.position, leaf.hash);
      for (const node of nodes) if (node.level >= STORED_FROM_LEVEL) this.statements.insertNode.run(node.level, node.index, node.hash);
    }).immediate();
  }

  async leaves(fromIndex: number, maxCount: number): Promise<LogLeaf[]> {
    return this.statements.leaves.all(fromIndex, maxCount).map(toLeaf);
  }

  async leafAt(position: number): Promise<LogLeaf | null> {
    const row = this.statements.leafAt.get(position);
    return row ? toLeaf(row) : null;
  }

  async leavesAt(positions: readonly number[]): Promise<Map<number, LogLeaf>> {
    const found = new Map<number, LogLeaf>();
    this.db.transaction(() => {
      for (const position of positions) {
        const row = this.statements.leafAt.get(position);
        if (row) found.set(position, toLeaf(row));
      }
    })();
    return found;
  }

  async nodes(refs: readonly NodeRef[]): Promise<Map<string, Hash>> {
    const found = new Map<string, Hash>();
    // Leaves in aligned blocks of 8 (one level-3 subtree), each read once per call: proofs of
    // neighbouring leaves ask for the same low nodes.
    const blocks = new Map<number, Hash[]>();
    const block = (start: number): Hash[] => {
      let leaves = blocks.get(start);
      if (!leaves) blocks.set(start, (leaves = this.statements.leaves.all(start, LOW_BLOCK).map((r) => r.hash)));
      return leaves;
    };
    // One read transaction so a concurrent append cannot show half a tree.
    this.db.transaction(() => {
      for (const { level, index } of refs) {
        const hash = level >= STORED_FROM_LEVEL ? this.statements.node.get(level, index)?.hash : this.lowNode(level, index, block);
        if (hash) found.set(nodeKey(level, index), hash);
      }
    })();
    return found;
  }

  /** A node below level 4 (a leaf included) from its block of leaves; null while the subtree is incomplete. */
  private lowNode(level: number, index: number, block: (start: number) => Hash[]): Hash | null {
    const width = 2 ** level;
    const first = index * width;
    const start = first - (first % LOW_BLOCK);
    let layer = block(start).slice(first - start, first - start + width);
    if (layer.length < width) return null;
    while (layer.length > 1) {
      const next: Hash[] = [];
      for (let i = 0; i < layer.length; i += 2) next.push(nodeHash(layer[i]!, layer[i + 1]!));
      layer = next;
    }
    return layer[0]!;
  }

  async addTreeHead(head: SignedTreeHead): Promise<void> {
    this.statements.insertHead.run(head.treeSize, head.lastPosition, head.rootHash, head.timestamp, head.keyId, head.signature);
  }

  async treeHeads(options: { readonly fromSize?: number; readonly limit?: number } = {}): Promise<SignedTreeHead[]> {
    return this.statements.heads.all(options.fromSize ?? 0, options.limit ?? 1000).map(toHead);
  }

  async latestTreeHead(): Promise<SignedTreeHead | null> {
    const row = this.statements.latestHead.get();
    return row ? toHead(row) : null;
  }

  async treeHeadOfSize(size: number): Promise<SignedTreeHead | null> {
    const row = this.statements.headOfSize.get(size);
    return row ? toHead(row) : null;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
