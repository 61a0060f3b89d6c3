/**
 * How the SQLite read store names its tables, indexes and JSON paths. Names
 * are spliced into SQL (identifiers and index expressions cannot be bound), so
 * every collection and field name is checked here before it gets near a query.
 */

import { assertCollectionName, assertFieldName } from '@resoft/ports';

export { assertCollectionName, assertFieldName, assertIndexSpec } from '@resoft/ports';

/** Live checkpoints; `rm__` cannot clash with a collection table, whose name starts `rm_<letter>`. */
export const CHECKPOINTS_TABLE = 'rm__checkpoints';
/** Checkpoints of rebuilds in progress, moved to `CHECKPOINTS_TABLE` on promote. */
export const STAGING_CHECKPOINTS_TABLE = 'rm__staging_checkpoints';

/** SQLite table names ignore case, so collection names do too; lower-casing makes that explicit. */
export function liveTable(collection: string): string {
  assertCollectionName(collection);
  return `rm_${collection.toLowerCase()}`;
}

export function stagingTable(collection: string): string {
  return `${liveTable(collection)}__staging`;
}

/**
 * SQLite index names are case-insensitive, so two fields differing only in case
 * share a name and the second index is not created; queries stay correct, only slower.
 */
export function indexName(table: string, fields: readonly string[]): string {
  fields.forEach(assertFieldName);
  return `${table}__ix_${fields.join('__')}`;
}

/**
 * The SQL for a document field. Queries must use exactly the expression the
 * index was built on, or SQLite will not use the index. `id` is the key column.
 */
export function fieldSql(field: string): string {
  assertFieldName(field);
  return field === 'id' ? 'id' : `json_extract(doc, '$.${field}')`;
}
