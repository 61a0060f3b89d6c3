/**
 * Turns a read store `Filter` and `orderBy` into a MongoDB query and sort, and
 * documents into their stored shape and back (`id` ↔ `_id`). Only the
 * operators of the port are accepted; values are checked, never interpreted.
 */
import type { Document, FieldCondition, Filter, FindOptions, Scalar } from '@resoft/ports';
import { mongoField } from './mongo-names.js';

export type MongoQuery = Record<string, unknown>;
export type MongoSort = [string, 1 | -1][];
/** A document as stored: `_id` instead of `id`. */
export type StoredDocument = { _id: string } & Record<string, unknown>;

const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

/**
 * MongoDB's equality already matches what the port asks: `null` matches a
 * null or missing field, `$in` with a null does too, comparisons never cross
 * types (1 never matches '1', a number range never matches a string). One
 * difference from SQLite: a condition on a field that holds an array matches
 * when any element does; the port only filters on scalar fields.
 */
export function mongoQuery(filter: Filter | undefined): MongoQuery {
  const query: MongoQuery = {};
  for (const [field, condition] of Object.entries(filter ?? {})) {
    query[mongoField(field)] = mongoCondition(field, condition);
  }
  return query;
}

/** Ties are broken by `_id` in the direction of the last sort field, as in every adapter, so pages cut by `limit` are deterministic. */
export function mongoSort(orderBy: FindOptions['orderBy']): MongoSort {
  const sort = new Map<string, 1 | -1>();
  for (const { field, direction } of orderBy ?? []) {
    const key = mongoField(field);
    if (!sort.has(key)) sort.set(key, sortDirection(direction));
  }
  const last = orderBy?.[orderBy.length - 1];
  if (!sort.has('_id')) sort.set('_id', last ? sortDirection(last.direction) : 1);
  return [...sort];
}

export function checkLimit(limit: number | undefined): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new Error(`limit must be a non-negative integer, got ${limit}`);
}

/**
 * Documents are normalised through JSON, as the SQLite adapter stores them, so
 * both return the same thing (no `undefined`, no Dates, no class instances).
 */
export function toStored(collection: string, doc: Document): StoredDocument {
  if (typeof doc?.id !== 'string') throw new Error(`A document in ${collection} has no string id`);
  const { id, ...rest } = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  if ('_id' in rest) throw new Error(`Document ${id as string} in ${collection} has an _id field, which the store keeps for its id`);
  return { _id: id as string, ...rest };
}

export function fromStored<T extends Document>(stored: Record<string, unknown>): T {
  const { _id, ...rest } = stored;
  return { id: _id, ...rest } as unknown as T;
}

function mongoCondition(field: string, condition: FieldCondition): unknown {
  if (condition === null || typeof condition !== 'object') return { $eq: scalar(field, condition) };
  if ('$in' in condition) {
    if (!Array.isArray(condition.$in)) throw new Error(`$in on ${field} needs an array`);
    return { $in: condition.$in.map((value) => scalar(field, value)) };
  }
  const range: Record<string, Scalar> = {};
  for (const [operator, bound] of Object.entries(condition)) {
    if (!RANGE_OPERATORS.has(operator)) throw new Error(`Unsupported operator ${operator} on ${field}`);
    if (bound === undefined) continue;
    // MongoDB would compare with null by type order; the port, like SQL, has no such comparison.
    if (bound === null) throw new Error(`${operator} on ${field} needs a non-null bound`);
    range[operator] = scalar(field, bound as Scalar);
  }
  if (Object.keys(range).length === 0) throw new Error(`Empty condition on ${field}`);
  return range;
}

function scalar(field: string, value: Scalar): Scalar {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`Non-finite number in condition on ${field}`);
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new Error(`Unsupported value ${JSON.stringify(value)} in condition on ${field}`);
}

function sortDirection(direction: 'asc' | 'desc'): 1 | -1 {
  if (direction === 'asc') return 1;
  if (direction === 'desc') return -1;
  throw new Error(`Unknown sort direction ${JSON.stringify(direction)}`);
}
