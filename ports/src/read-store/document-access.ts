/**
 * The reads and writes every read-store class delegates the same way — live
 * and staging, SQLite and MongoDB: each holds a document accessor over its
 * own tables or collections and differs only in how it is created, staged
 * and closed.
 */
import type { Document, Filter, FindOptions, WriteBatch } from './read-store.js';

/** What a document accessor offers; SQLite answers synchronously, MongoDB asynchronously. */
export interface DocumentOperations {
  get(collection: string, id: string): Document | null | Promise<Document | null>;
  getMany(collection: string, ids: readonly string[]): Document[] | Promise<Document[]>;
  find(collection: string, options?: FindOptions): Document[] | Promise<Document[]>;
  findJson(collection: string, options?: FindOptions): string[] | Promise<string[]>;
  count(collection: string, where?: Filter): number | Promise<number>;
  write(batch: WriteBatch): void | Promise<void>;
  writeBatches(batches: readonly WriteBatch[]): void | Promise<void>;
  getCheckpoint(name: string): number | Promise<number>;
  readCheckpoints(names: readonly string[]): Map<string, number> | Promise<Map<string, number>>;
}

export abstract class DocumentAccess {
  protected abstract readonly documents: DocumentOperations;

  async get<T extends Document>(collection: string, id: string): Promise<T | null> {
    return (await this.documents.get(collection, id)) as T | null;
  }

  async getMany<T extends Document>(collection: string, ids: readonly string[]): Promise<T[]> {
    return (await this.documents.getMany(collection, ids)) as T[];
  }

  async find<T extends Document>(collection: string, options?: FindOptions): Promise<T[]> {
    return (await this.documents.find(collection, options)) as T[];
  }

  async findJson(collection: string, options?: FindOptions): Promise<string[]> {
    return this.documents.findJson(collection, options);
  }

  async count(collection: string, where?: Filter): Promise<number> {
    return this.documents.count(collection, where);
  }

  async write(batch: WriteBatch): Promise<void> {
    await this.documents.write(batch);
  }

  async writeBatches(batches: readonly WriteBatch[]): Promise<void> {
    assertSeparateCheckpoints(batches);
    if (batches.length > 0) await this.documents.writeBatches(batches);
  }

  async getCheckpoint(name: string): Promise<number> {
    return this.documents.getCheckpoint(name);
  }

  async readCheckpoints(names: readonly string[]): Promise<Map<string, number>> {
    return this.documents.readCheckpoints(names);
  }
}

/** `writeBatches` takes batches that each move their own checkpoint: two on one checkpoint would refuse each other. */
function assertSeparateCheckpoints(batches: readonly WriteBatch[]): void {
  const names = new Set<string>();
  for (const batch of batches) {
    if (!batch.checkpoint) throw new Error('writeBatches takes batches with a checkpoint each (use write for one without)');
    if (names.has(batch.checkpoint.name)) throw new Error(`writeBatches got two batches on checkpoint ${batch.checkpoint.name}`);
    names.add(batch.checkpoint.name);
  }
}
