/**
 * The Merkle log in MongoDB (or a MongoDB-wire engine such as FerretDB), for
 * deployments whose query processes run on other machines than the builder.
 * No transactions: leaves and nodes are upserted first (a leaf's content is
 * fixed by the event at its place, so two builders write the same bytes),
 * then one conditional update of the state document moves the size — the
 * commit point. Readers trust the state's size, never leaves beyond it.
 */
import { Binary, MongoClient, MongoServerError, type Collection, type Db } from 'mongodb';
import { mongoClientOptions } from '../read-store/mongo-client-options.js';
import { nodeKey, type Hash, type NodeRef, type SignedTreeHead, type StoredNode } from '@resoft/domain';
import { DEFAULT_MAX_OPS_PER_WRITE, slices } from '../read-store/mongo-batch-log.js';
import { MerkleLogMovedError, type LogLeaf, type MerkleLogState, type MerkleLogStore } from '@resoft/ports';

interface LeafDoc { _id: number; position: number; hash: Binary }
interface NodeDoc { _id: string; hash: Binary }
interface HeadDoc extends Omit<SignedTreeHead, 'treeSize'> { _id: number }
interface StateDoc { _id: 'state'; size: number; lastPosition: number; leafV2From?: number }

const hashOf = (b: Binary): Hash => Buffer.from(b.buffer);
const toLeaf = (d: LeafDoc): LogLeaf => ({ index: d._id, position: d.position, hash: hashOf(d.hash) });
const toHead = ({ _id, ...rest }: HeadDoc): SignedTreeHead => {
  const head = { treeSize: _id, lastPosition: rest.lastPosition, rootHash: rest.rootHash, timestamp: rest.timestamp, keyId: rest.keyId, signature: rest.signature };
  return typeof rest.leafV2From === 'number' ? { ...head, leafV2From: rest.leafV2From } : head;
};
const DUPLICATE_KEY = 11000;

export class MongoMerkleLogStore implements MerkleLogStore {
  private readonly leavesCollection: Collection<LeafDoc>;
  private readonly nodesCollection: Collection<NodeDoc>;
  private readonly heads: Collection<HeadDoc>;
  private readonly stateCollection: Collection<StateDoc>;

  private constructor(private readonly client: MongoClient, readonly database: Db, private readonly maxOpsPerWrite: number) {
    this.leavesCollection = database.collection<LeafDoc>('audit_leaves');
    this.nodesCollection = database.collection<NodeDoc>('audit_nodes');
    this.heads = database.collection<HeadDoc>('audit_tree_heads');
    this.stateCollection = database.collection<StateDoc>('audit_state');
  }

  static async connect(options: { readonly url: string; readonly database: string; readonly maxOpsPerWrite?: number; readonly operationTimeoutMs?: number }): Promise<MongoMerkleLogStore> {
    const client = await MongoClient.connect(options.url, mongoClientOptions('resoft-audit-log', options.operationTimeoutMs));
    const store = new MongoMerkleLogStore(client, client.db(options.database), options.maxOpsPerWrite ?? DEFAULT_MAX_OPS_PER_WRITE);
    await store.leavesCollection.createIndex({ position: 1 }, { unique: true });
    return store;
  }

  async state(): Promise<MerkleLogState> {
    const doc = await this.stateCollection.findOne({ _id: 'state' });
    const leafV2From = typeof doc?.leafV2From === 'number' ? doc.leafV2From : null;
    return doc ? { size: doc.size, lastPosition: doc.lastPosition, leafV2From } : { size: 0, lastPosition: 0, leafV2From };
  }

  async recordLeafV2From(expectedSize: number, fromPosition: number): Promise<void> {
    const unrecorded = { _id: 'state' as const, size: expectedSize, leafV2From: { $exists: false } };
    try {
      // An empty log may have no state document yet: the upsert makes it (a clash means another builder made it first).
      await this.stateCollection.updateOne(unrecorded, { $set: { leafV2From: fromPosition }, ...(expectedSize === 0 ? { $setOnInsert: { lastPosition: 0 } } : {}) }, { upsert: expectedSize === 0 });
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
    }
  }

  async append(expectedSize: number, leaves: readonly LogLeaf[], nodes: readonly StoredNode[]): Promise<void> {
    if ((await this.state()).size !== expectedSize) throw new MerkleLogMovedError(expectedSize, (await this.state()).size);
    if (leaves.length === 0) return;
    const next = { size: expectedSize + leaves.length, lastPosition: leaves[leaves.length - 1]!.position };
    try {
      // Two builders may write the same leaves at once (two projectors processes): the writes are idempotent, a
      // clash on the unique position means another builder moved the log. Bounded bulk writes, as for read models.
      for (const part of slices(leaves, this.maxOpsPerWrite)) {
        await this.leavesCollection.bulkWrite(part.map((l) => ({ replaceOne: { filter: { _id: l.index }, replacement: { _id: l.index, position: l.position, hash: new Binary(l.hash) }, upsert: true } })), { ordered: false });
      }
      for (const part of slices(nodes.filter((n) => n.level > 0), this.maxOpsPerWrite)) {
        await this.nodesCollection.bulkWrite(part.map((n) => ({ replaceOne: { filter: { _id: nodeKey(n.level, n.index) }, replacement: { _id: nodeKey(n.level, n.index), hash: new Binary(n.hash) }, upsert: true } })), { ordered: false });
      }
      // The commit point: moves only from the expected size (an insert when the log was empty and had no
      // state document yet; one may hold the leaf format with size 0; a clash on the insert means another builder moved it).
      const update = await this.stateCollection.updateOne({ _id: 'state', size: expectedSize }, { $set: next }, { upsert: expectedSize === 0 });
      const moved = update.modifiedCount === 1 || update.upsertedCount === 1;
      if (!moved) throw new MerkleLogMovedError(expectedSize, (await this.state()).size);
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) throw new MerkleLogMovedError(expectedSize, (await this.state()).size);
      throw error;
    }
  }

  async leaves(fromIndex: number, maxCount: number): Promise<LogLeaf[]> {
    const { size } = await this.state();
    const docs = await this.leavesCollection.find({ _id: { $gte: fromIndex, $lt: Math.min(size, fromIndex + maxCount) } }).sort({ _id: 1 }).toArray();
    return docs.map(toLeaf);
  }

  async leafAt(position: number): Promise<LogLeaf | null> {
    return (await this.leavesAt([position])).get(position) ?? null;
  }

  async leavesAt(positions: readonly number[]): Promise<Map<number, LogLeaf>> {
    const { size } = await this.state();
    const found = new Map<number, LogLeaf>();
    for (const doc of await this.leavesCollection.find({ position: { $in: [...positions] } }).toArray()) if (doc._id < size) found.set(doc.position, toLeaf(doc));
    return found;
  }

  async nodes(refs: readonly NodeRef[]): Promise<Map<string, Hash>> {
    const { size } = await this.state();
    const found = new Map<string, Hash>();
    const leafIndexes = refs.filter((r) => r.level === 0 && r.index < size).map((r) => r.index);
    const innerKeys = refs.filter((r) => r.level > 0 && (r.index + 1) * 2 ** r.level <= size).map((r) => nodeKey(r.level, r.index));
    if (leafIndexes.length > 0) for (const d of await this.leavesCollection.find({ _id: { $in: leafIndexes } }).toArray()) found.set(nodeKey(0, d._id), hashOf(d.hash));
    if (innerKeys.length > 0) for (const d of await this.nodesCollection.find({ _id: { $in: innerKeys } }).toArray()) found.set(d._id, hashOf(d.hash));
    return found;
  }

  async addTreeHead(head: SignedTreeHead): Promise<void> {
    const { treeSize, ...rest } = head;
    await this.heads.updateOne({ _id: treeSize }, { $setOnInsert: { _id: treeSize, ...rest } }, { upsert: true });
  }

  async treeHeads(options: { readonly fromSize?: number; readonly limit?: number } = {}): Promise<SignedTreeHead[]> {
    const docs = await this.heads.find({ _id: { $gte: options.fromSize ?? 0 } }).sort({ _id: 1 }).limit(options.limit ?? 1000).toArray();
    return docs.map(toHead);
  }

  async latestTreeHead(): Promise<SignedTreeHead | null> {
    const [doc] = await this.heads.find({}).sort({ _id: -1 }).limit(1).toArray();
    return doc ? toHead(doc) : null;
  }

  async treeHeadOfSize(size: number): Promise<SignedTreeHead | null> {
    const doc = await this.heads.findOne({ _id: size });
    return doc ? toHead(doc) : null;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
