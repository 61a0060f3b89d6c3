/**
 * How the MongoDB read store names its collections, fields and indexes. Names
 * end up in queries and collection names, so each is checked here first, with
 * the same rules as the SQLite adapter: a projection valid on one is valid on both.
 */
import { indexFields, type IndexSpec, assertCollectionName, assertFieldName, assertIndexSpec } from '@resoft/ports';

export { assertCollectionName, assertFieldName, assertIndexSpec } from '@resoft/ports';
const SAFE_DATABASE = /^[a-z][a-z0-9_-]{0,62}$/i;

/**
 * Bookkeeping collections start with `__`, which no collection name can (a
 * name starts with a letter), so they never clash with a projection's.
 */
export const CHECKPOINTS_COLLECTION = '__checkpoints';
/** Checkpoints of rebuilds in progress, moved to `CHECKPOINTS_COLLECTION` on promote. */
export const STAGING_CHECKPOINTS_COLLECTION = '__staging_checkpoints';
/** Ops of batches too large to sit in their checkpoint document (see mongo-batch-log.ts). */
export const JOURNAL_COLLECTION = '__journal';

export function assertDatabaseName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !SAFE_DATABASE.test(name)) {
    throw new Error(`Unsafe database name ${JSON.stringify(name)}: use up to 63 letters, digits, '_' and '-', starting with a letter`);
  }
}

export function assertCheckpointName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) throw new Error(`Invalid checkpoint name ${JSON.stringify(name)}`);
}

export function liveCollection(collection: string): string {
  assertCollectionName(collection);
  return collection;
}

export function stagingCollection(collection: string): string {
  return `${liveCollection(collection)}__staging`;
}

/** Where promote moves the live collection aside on engines whose rename cannot drop its target. */
export function retiredCollection(collection: string): string {
  return `${liveCollection(collection)}__retired`;
}

/** A document's `id` is MongoDB's `_id`; every other field keeps its name. */
export function mongoField(field: string): string {
  assertFieldName(field);
  return field === 'id' ? '_id' : field;
}

/**
 * The key of an index: the fields in the listed order, ascending, then `_id`,
 * so a sort (whose ties are broken by `_id`) reads straight off the index. A
 * lone `id` is the `_id` index every collection has, so it yields null.
 */
export function indexKey(index: IndexSpec): [string, 1][] | null {
  assertIndexSpec(index);
  const fields = indexFields(index).map(mongoField);
  if (fields.length === 1 && fields[0] === '_id') return null;
  const key = new Map<string, 1>(fields.map((field) => [field, 1]));
  key.set('_id', 1);
  return [...key];
}
