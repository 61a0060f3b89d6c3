/**
 * The names every read-store adapter accepts for collections and fields. They
 * are spliced into SQL or used as MongoDB keys, so they are checked before
 * they get near a query: letters, digits and single underscores, starting
 * with a letter (`__` marks staging and bookkeeping names).
 */
import { indexFields, type IndexSpec } from './read-store.js';

const SAFE_NAME = /^[a-z][a-z0-9_]*$/i;

function assertSafe(kind: 'collection' | 'field', name: unknown): asserts name is string {
  if (typeof name !== 'string' || !SAFE_NAME.test(name) || name.includes('__')) {
    throw new Error(`Unsafe ${kind} name ${JSON.stringify(name)}: use letters, digits and single underscores, starting with a letter`);
  }
}

export function assertCollectionName(name: unknown): asserts name is string {
  assertSafe('collection', name);
}

export function assertFieldName(name: unknown): asserts name is string {
  assertSafe('field', name);
}

export function assertIndexSpec(index: IndexSpec): void {
  const fields = indexFields(index);
  if (fields.length === 0) throw new Error('An index needs at least one field');
  fields.forEach(assertFieldName);
}
