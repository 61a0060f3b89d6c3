/**
 * Data keys in MongoDB (or a MongoDB-wire engine such as FerretDB), for deployments whose processes run on
 * several machines. A destroyed key's document is replaced by its tombstone; whether the engine's files
 * still hold the old bytes for a while (journal, free space) is the engine's matter: see docs/audit.md.
 */
import { randomBytes } from 'node:crypto';
import { Binary, MongoClient, MongoServerError, type Collection, type Db } from 'mongodb';
import { mongoClientOptions } from '../read-store/mongo-client-options.js';
import { DATA_KEY_BYTES, type DataKeyStatus, type KeyStore } from '@resoft/ports';

interface KeyDoc { _id: string; key: Binary | null; erasedAt: string | null }

const DUPLICATE_KEY = 11000;

export class MongoKeyStore implements KeyStore {
  private readonly keys: Collection<KeyDoc>;

  private constructor(private readonly client: MongoClient, readonly database: Db) {
    this.keys = database.collection<KeyDoc>('personal_data_keys');
  }

  static async connect(options: { readonly url: string; readonly database: string; readonly operationTimeoutMs?: number }): Promise<MongoKeyStore> {
    const client = await MongoClient.connect(options.url, mongoClientOptions('resoft-key-store', options.operationTimeoutMs));
    return new MongoKeyStore(client, client.db(options.database));
  }

  async find(ownerId: string): Promise<DataKeyStatus | null> {
    const doc = await this.keys.findOne({ _id: ownerId });
    if (!doc) return null;
    return doc.key ? { status: 'active', key: Buffer.from(doc.key.buffer) } : { status: 'erased', erasedAt: doc.erasedAt ?? '' };
  }

  async keyFor(ownerId: string): Promise<Buffer | null> {
    const known = await this.find(ownerId);
    if (known) return known.status === 'active' ? known.key : null;
    try {
      await this.keys.insertOne({ _id: ownerId, key: new Binary(randomBytes(DATA_KEY_BYTES)), erasedAt: null });
    } catch (error) {
      // Someone made (or erased) it first: theirs stands.
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
    }
    const found = await this.find(ownerId);
    return found?.status === 'active' ? found.key : null;
  }

  async destroy(ownerId: string, erasedAt = new Date().toISOString()): Promise<void> {
    await this.keys.updateOne({ _id: ownerId, key: { $ne: null } }, { $set: { key: null, erasedAt } });
    // A user without a key yet still gets the tombstone, so no key is ever made for them afterwards.
    try {
      await this.keys.insertOne({ _id: ownerId, key: null, erasedAt });
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
