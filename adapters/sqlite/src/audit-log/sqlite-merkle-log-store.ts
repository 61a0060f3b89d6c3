/**
 * The Merkle log in its own SQLite file beside the event store (WAL, shared by
 * the processes of one machine). Leaves are kept in blocks of 256 (one row per
 * block: their positions and hashes packed in two BLOBs), because a row per
 * leaf, with its position index, cost about half of what building the log
 * costs an append. Nodes below level 4 are not stored — they would be one row
 * per event — but folded from their (at most 8) leaves when a proof asks for
 * one. Nodes of levels 4 to 8 lie inside one block: the block's row keeps them
 * too (31 hashes in a third BLOB), since a row each cost the log's write more
 * than its leaves. Nodes of level 9 and up are rows keyed the way proofs read
 * them. Logs written before the block kept its nodes have them as rows: read
 * from there when the block's BLOB lacks them.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { nodeHash, nodeKey, type Hash, type NodeRef, type SignedTreeHead, type StoredNode } from '@resoft/domain';
import { MerkleLogMovedError, type LogLeaf, type MerkleLogState, type MerkleLogStore } from '@resoft/ports';

// A block holds the leaves block_index × 256 … (+255): `positions` 8 bytes per leaf (a float64, little
// endian: positions are integers below 2^53), `hashes` 32 bytes per leaf; the last block may be partial.
// `nodes` (added by `addColumns` to logs made before it; null in their rows): the block's nodes of levels
// 4 … 8, 32 bytes a slot (BLOCK_NODE_SLOTS), zeros in the slot of a node not complete when it was written.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS audit_leaf_blocks (block_index INTEGER PRIMARY KEY, first_position INTEGER NOT NULL UNIQUE, positions BLOB NOT NULL, hashes BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS audit_nodes (level INTEGER NOT NULL, node_index INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, node_index)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS audit_tree_heads (tree_size INTEGER PRIMARY KEY, last_position INTEGER NOT NULL, root_hash TEXT NOT NULL, timestamp TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL, leaf_v2_from INTEGER);
  CREATE TABLE IF NOT EXISTS audit_leaf_format (id INTEGER PRIMARY KEY CHECK (id = 1), leaf_v2_from INTEGER NOT NULL);
`;

/** Leaves per block row. */
export const LEAF_BLOCK = 256;
const HASH_BYTES = 32;
const POSITION_BYTES = 8;

/** Lowest level of the nodes stored (in their block's row up to BLOCK_LEVEL, rows of the nodes table above). */
const STORED_FROM_LEVEL = 4;
/** log2(LEAF_BLOCK): the level of the node of a whole block, the highest kept in its row. */
const BLOCK_LEVEL = 8;
/** A block's nodes of levels 4 … 8: 16 + 8 + 4 + 2 + 1. */
const BLOCK_NODE_SLOTS = 31;

/** The block whose row keeps the node (`level` 4 … 8), and its slot there: by level, then by index. */
const blockOfNode = (level: number, index: number): number => Math.floor(index / 2 ** (BLOCK_LEVEL - level));
const slotOfNode = (level: number, index: number): number => BLOCK_NODE_SLOTS + 1 - 2 ** (BLOCK_LEVEL + 1 - level) + (index % 2 ** (BLOCK_LEVEL - level));

interface BlockRow { block_index: number; first_position: number; positions: Buffer; hashes: Buffer; nodes: Buffer | null }
interface HeadRow { tree_size: number; last_position: number; root_hash: string; timestamp: string; key_id: string; signature: string; leaf_v2_from: number | null }

const countOf = (block: BlockRow): number => block.hashes.length / HASH_BYTES;
const positionOf = (block: BlockRow, i: number): number => block.positions.readDoubleLE(i * POSITION_BYTES);
const leafOf = (block: BlockRow, i: number): LogLeaf => ({ index: block.block_index * LEAF_BLOCK + i, position: positionOf(block, i), hash: block.hashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES) });
const toHead = (r: HeadRow): SignedTreeHead => {
  const head = { treeSize: r.tree_size, lastPosition: r.last_position, rootHash: r.root_hash, timestamp: r.timestamp, keyId: r.key_id, signature: r.signature };
  return r.leaf_v2_from === null ? head : { ...head, leafV2From: r.leaf_v2_from };
};

/** The hash in slot `slot` of a block's nodes, or null (no BLOB: a block written before it, or zeros: not complete then). */
function nodeInBlock(block: BlockRow, slot: number): Hash | null {
  if (!block.nodes || block.nodes.length < (slot + 1) * HASH_BYTES) return null;
  const hash = block.nodes.subarray(slot * HASH_BYTES, (slot + 1) * HASH_BYTES);
  for (let i = 0; i < HASH_BYTES; i += 1) if (hash[i] !== 0) return hash;
  return null;
}

/** The index in `block` of the leaf at `position`, or -1 (positions grow with the index: binary search). */
function indexOfPosition(block: BlockRow, position: number): number {
  let lo = 0;
  let hi = countOf(block) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = positionOf(block, mid);
    if (at === position) return mid;
    if (at < position) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export class SqliteMerkleLogStore implements MerkleLogStore {
  /** Nodes below level 4 are folded from the leaves: the builder need not hand them over (7 in 8 of its nodes). */
  readonly storesNodesFrom = STORED_FROM_LEVEL;
  private readonly db: Database.Database;
  private readonly statements;

  constructor(options: { readonly file: string; readonly synchronous?: 'NORMAL' | 'FULL' }) {
    if (options.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.exec(SCHEMA);
    this.addColumns();
    this.statements = {
      lastBlock: this.db.prepare<[], BlockRow>('SELECT * FROM audit_leaf_blocks ORDER BY block_index DESC LIMIT 1'),
      putBlock: this.db.prepare('INSERT OR REPLACE INTO audit_leaf_blocks (block_index, first_position, positions, hashes, nodes) VALUES (?, ?, ?, ?, ?)'),
      blocksFrom: this.db.prepare<[number, number], BlockRow>('SELECT * FROM audit_leaf_blocks WHERE block_index >= ? ORDER BY block_index LIMIT ?'),
      blockOfPosition: this.db.prepare<[number], BlockRow>('SELECT * FROM audit_leaf_blocks WHERE first_position <= ? ORDER BY first_position DESC LIMIT 1'),
      insertNode: this.db.prepare('INSERT INTO audit_nodes (level, node_index, hash) VALUES (?, ?, ?)'),
      node: this.db.prepare<[number, number], { hash: Buffer }>('SELECT hash FROM audit_nodes WHERE level = ? AND node_index = ?'),
      insertHead: this.db.prepare('INSERT OR IGNORE INTO audit_tree_heads (tree_size, last_position, root_hash, timestamp, key_id, signature, leaf_v2_from) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      leafV2From: this.db.prepare<[], { leaf_v2_from: number }>('SELECT leaf_v2_from FROM audit_leaf_format WHERE id = 1'),
      recordLeafV2From: this.db.prepare('INSERT OR IGNORE INTO audit_leaf_format (id, leaf_v2_from) VALUES (1, ?)'),
      heads: this.db.prepare<[number, number], HeadRow>('SELECT * FROM audit_tree_heads WHERE tree_size >= ? ORDER BY tree_size LIMIT ?'),
      latestHead: this.db.prepare<[], HeadRow>('SELECT * FROM audit_tree_heads ORDER BY tree_size DESC LIMIT 1'),
      headOfSize: this.db.prepare<[number], HeadRow>('SELECT * FROM audit_tree_heads WHERE tree_size = ?'),
    };
    this.moveLeafRowsIntoBlocks();
  }

  /**
   * Columns logs made before them lack, added once: the tree heads' `leaf_v2_from` (null: format 1, for
   * the heads made before leaf format 2) and the blocks' `nodes` (null: the block's nodes are rows).
   */
  private addColumns(): void {
    for (const [table, column, type] of [['audit_tree_heads', 'leaf_v2_from', 'INTEGER'], ['audit_leaf_blocks', 'nodes', 'BLOB']] as const) {
      const columns = this.db.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all();
      if (columns.some((c) => c.name === column)) continue;
      try {
        this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
      } catch (error) {
        // Another process opening the same file may have added it first.
        if (!/duplicate column/i.test((error as Error).message)) throw error;
      }
    }
  }

  /** Logs written before the blocks kept a row per leaf (`audit_leaves`): moved into blocks once, on open. */
  private moveLeafRowsIntoBlocks(): void {
    const held = (): boolean => this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit_leaves'").get() !== undefined;
    if (!held()) return;
    this.db.transaction(() => {
      // Another process opening the same file may have moved them while this one waited for the lock.
      if (!held()) return;
      const page = this.db.prepare<[number, number], { leaf_index: number; position: number; hash: Buffer }>('SELECT leaf_index, position, hash FROM audit_leaves WHERE leaf_index >= ? ORDER BY leaf_index LIMIT ?');
      // A block's worth at a time: SQLite cannot write while a statement still iterates.
      for (let size = this.size(); ; ) {
        const rows = page.all(size, LEAF_BLOCK);
        if (rows.length === 0) break;
        this.writeLeaves(size, rows.map((row) => ({ index: row.leaf_index, position: row.position, hash: row.hash })));
        size += rows.length;
      }
      this.db.exec('DROP TABLE audit_leaves');
    }).immediate();
  }

  async state(): Promise<MerkleLogState> {
    return this.db.transaction(() => {
      const leafV2From = this.statements.leafV2From.get()?.leaf_v2_from ?? null;
      const last = this.statements.lastBlock.get();
      if (!last) return { size: 0, lastPosition: 0, leafV2From };
      const count = countOf(last);
      return { size: last.block_index * LEAF_BLOCK + count, lastPosition: positionOf(last, count - 1), leafV2From };
    })();
  }

  async recordLeafV2From(expectedSize: number, fromPosition: number): Promise<void> {
    this.db.transaction(() => {
      if (this.size() === expectedSize) this.statements.recordLeafV2From.run(fromPosition);
    }).immediate();
  }

  async append(expectedSize: number, leaves: readonly LogLeaf[], nodes: readonly StoredNode[]): Promise<void> {
    this.db.transaction(() => {
      const size = this.size();
      if (size !== expectedSize) throw new MerkleLogMovedError(expectedSize, size);
      // Each node of levels 4 … 8 completes with a leaf of its block, which this write rewrites: it goes in the block's row.
      const inBlocks = new Map<number, StoredNode[]>();
      for (const node of nodes) {
        if (node.level < STORED_FROM_LEVEL || node.level > BLOCK_LEVEL) continue;
        const block = blockOfNode(node.level, node.index);
        const list = inBlocks.get(block);
        if (list) list.push(node);
        else inBlocks.set(block, [node]);
      }
      this.writeLeaves(size, leaves, inBlocks);
      // Levels 9 and up (about 4 a thousand leaves), and any node whose block this write did not rewrite (none from a builder).
      for (const node of nodes) if (node.level > BLOCK_LEVEL) this.statements.insertNode.run(node.level, node.index, node.hash);
      for (const left of inBlocks.values()) for (const node of left) this.statements.insertNode.run(node.level, node.index, node.hash);
    }).immediate();
  }

  private size(): number {
    const last = this.statements.lastBlock.get();
    return last ? last.block_index * LEAF_BLOCK + countOf(last) : 0;
  }

  /**
   * Writes leaves `size`, `size`+1, … (inside a transaction): the partial last block is rewritten with them, the rest go in
   * new blocks; each block's row with its nodes of levels 4 … 8 held so far and those of `inBlocks` (by block; taken out of it).
   */
  private writeLeaves(size: number, leaves: readonly LogLeaf[], inBlocks?: Map<number, readonly StoredNode[]>): void {
    let next = 0;
    while (next < leaves.length) {
      const index = size + next;
      const blockIndex = Math.floor(index / LEAF_BLOCK);
      const offset = index % LEAF_BLOCK;
      const count = Math.min(LEAF_BLOCK - offset, leaves.length - next);
      const held = offset > 0 ? this.statements.lastBlock.get() : undefined;
      if (offset > 0 && (!held || held.block_index !== blockIndex || countOf(held) !== offset)) throw new Error(`audit leaf block ${blockIndex} does not hold ${offset} leaves`);
      const positions = Buffer.allocUnsafe((offset + count) * POSITION_BYTES);
      const hashes = Buffer.allocUnsafe((offset + count) * HASH_BYTES);
      if (held) {
        held.positions.copy(positions, 0);
        held.hashes.copy(hashes, 0);
      }
      for (let i = 0; i < count; i += 1) {
        const leaf = leaves[next + i]!;
        if (leaf.index !== index + i) throw new Error(`audit leaf ${leaf.index} given where leaf ${index + i} goes`);
        positions.writeDoubleLE(leaf.position, (offset + i) * POSITION_BYTES);
        hashes.set(leaf.hash, (offset + i) * HASH_BYTES);
      }
      const blockNodes = Buffer.alloc(BLOCK_NODE_SLOTS * HASH_BYTES);
      if (held?.nodes) held.nodes.copy(blockNodes, 0, 0, Math.min(held.nodes.length, blockNodes.length));
      for (const node of inBlocks?.get(blockIndex) ?? []) blockNodes.set(node.hash, slotOfNode(node.level, node.index) * HASH_BYTES);
      inBlocks?.delete(blockIndex);
      this.statements.putBlock.run(blockIndex, held ? held.first_position : leaves[next]!.position, positions, hashes, blockNodes);
      next += count;
    }
  }

  async leaves(fromIndex: number, maxCount: number): Promise<LogLeaf[]> {
    const found: LogLeaf[] = [];
    if (maxCount <= 0) return found;
    const first = Math.floor(fromIndex / LEAF_BLOCK);
    const blocks = this.statements.blocksFrom.all(first, Math.ceil(((fromIndex % LEAF_BLOCK) + maxCount) / LEAF_BLOCK));
    for (const block of blocks) {
      for (let i = 0; i < countOf(block) && found.length < maxCount; i += 1) {
        if (block.block_index * LEAF_BLOCK + i >= fromIndex) found.push(leafOf(block, i));
      }
    }
    return found;
  }

  async leafAt(position: number): Promise<LogLeaf | null> {
    return this.findLeaf(position, null)[0];
  }

  async leavesAt(positions: readonly number[]): Promise<Map<number, LogLeaf>> {
    const found = new Map<number, LogLeaf>();
    this.db.transaction(() => {
      // Positions asked together are mostly near each other: the block of the last one is tried first.
      let block: BlockRow | null = null;
      for (const position of positions) {
        let leaf: LogLeaf | null;
        [leaf, block] = this.findLeaf(position, block);
        if (leaf) found.set(position, leaf);
      }
    })();
    return found;
  }

  /** The leaf at `position` and the block it was looked for in (`known` is used when it spans the position). */
  private findLeaf(position: number, known: BlockRow | null): [LogLeaf | null, BlockRow | null] {
    const spans = known && known.first_position <= position && positionOf(known, countOf(known) - 1) >= position;
    const block = spans ? known : this.statements.blockOfPosition.get(position) ?? null;
    if (!block) return [null, null];
    const i = indexOfPosition(block, position);
    return [i < 0 ? null : leafOf(block, i), block];
  }

  async nodes(refs: readonly NodeRef[]): Promise<Map<string, Hash>> {
    const found = new Map<string, Hash>();
    // Leaf blocks read once per call: proofs of neighbouring leaves ask for the same low nodes.
    const blocks = new Map<number, BlockRow | null>();
    const blockRow = (blockIndex: number): BlockRow | null => {
      let block = blocks.get(blockIndex);
      if (block === undefined) {
        block = this.statements.blocksFrom.get(blockIndex, 1) ?? null;
        if (block && block.block_index !== blockIndex) block = null;
        blocks.set(blockIndex, block);
      }
      return block;
    };
    const leafHashes = (start: number, count: number): Hash[] => {
      const block = blockRow(Math.floor(start / LEAF_BLOCK));
      if (!block) return [];
      const hashes: Hash[] = [];
      for (let i = start % LEAF_BLOCK; i < Math.min(countOf(block), (start % LEAF_BLOCK) + count); i += 1) hashes.push(block.hashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES));
      return hashes;
    };
    // One read transaction so a concurrent append cannot show half a tree.
    this.db.transaction(() => {
      for (const { level, index } of refs) {
        let hash: Hash | null | undefined;
        if (level < STORED_FROM_LEVEL) hash = this.lowNode(level, index, leafHashes);
        else {
          // Levels 4 … 8 from the block's row; a row of the nodes table when it lacks them (a block written before it kept them).
          const block = level <= BLOCK_LEVEL ? blockRow(blockOfNode(level, index)) : null;
          hash = (block && nodeInBlock(block, slotOfNode(level, index))) || this.statements.node.get(level, index)?.hash;
        }
        if (hash) found.set(nodeKey(level, index), hash);
      }
    })();
    return found;
  }

  /** A node below level 4 (a leaf included) from its leaves; null while the subtree is incomplete. */
  private lowNode(level: number, index: number, leafHashes: (start: number, count: number) => Hash[]): Hash | null {
    const width = 2 ** level;
    // At most 8 leaves, aligned on their number: they never straddle two blocks of 256.
    let layer = leafHashes(index * width, width);
    if (layer.length < width) return null;
    while (layer.length > 1) {
      const next: Hash[] = [];
      for (let i = 0; i < layer.length; i += 2) next.push(nodeHash(layer[i]!, layer[i + 1]!));
      layer = next;
    }
    return layer[0]!;
  }

  async addTreeHead(head: SignedTreeHead): Promise<void> {
    this.statements.insertHead.run(head.treeSize, head.lastPosition, head.rootHash, head.timestamp, head.keyId, head.signature, head.leafV2From ?? null);
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
