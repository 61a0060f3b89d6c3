/**
 * The reads and writes the live and the staging SQLite stores share: both are
 * a `SqliteDocuments` over their own tables, and differ only in how they are
 * created, staged and closed.
 */
import type { Document, Filter, FindOptions, WriteBatch } from './read-store.js';
import type { SqliteDocuments } from './sqlite-documents.js';

export abstract class SqliteDocumentAccess {
  protected abstract readonly documents: SqliteDocuments;

  async get<T extends Document>(collection: string, id: string): Promise<T | null> {
    return this.documents.get<T>(collection, id);
  }

  async getMany<T extends Document>(collection: string, ids: readonly string[]): Promise<T[]> {
    return this.documents.getMany<T>(collection, ids);
  }

  async find<T extends Document>(collection: string, options?: FindOptions): Promise<T[]> {
    return this.documents.find<T>(collection, options);
  }

  async count(collection: string, where?: Filter): Promise<number> {
    return this.documents.count(collection, where);
  }

  async write(batch: WriteBatch): Promise<void> {
    this.documents.write(batch);
  }

  async getCheckpoint(name: string): Promise<number> {
    return this.documents.getCheckpoint(name);
  }
}
