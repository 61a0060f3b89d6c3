/**
 * Turns a read store `Filter` and `orderBy` into a parameterised SQL WHERE and
 * ORDER BY over JSON documents. Field names become index expressions (see
 * `fieldSql`); every value is bound, never spliced.
 */
import type { FieldCondition, Filter, FindOptions, Scalar } from '@resoft/ports';
import { fieldSql } from './sqlite-names.js';

export type SqlValue = string | number | null;

export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

const RANGE_OPERATORS = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;
type RangeOperator = keyof typeof RANGE_OPERATORS;

/** An empty fragment when there is nothing to filter on. */
export function whereSql(filter: Filter | undefined): SqlFragment {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  for (const [field, condition] of Object.entries(filter ?? {})) {
    const clause = conditionSql(fieldSql(field), field, condition);
    clauses.push(clause.sql);
    params.push(...clause.params);
  }
  return clauses.length === 0 ? { sql: '', params: [] } : { sql: `WHERE ${clauses.join(' AND ')}`, params };
}

/**
 * Ties are broken by `id` in the direction of the last sort field, so results
 * (and pages cut by `limit`) are deterministic; indexes are built on
 * `(field, id)` so a single-field sort still reads straight off the index.
 */
export function orderBySql(orderBy: FindOptions['orderBy']): string {
  const terms = (orderBy ?? []).map(({ field, direction }) => `${fieldSql(field)} ${directionSql(direction)}`);
  const last = orderBy?.[orderBy.length - 1];
  const tieBreak = `id ${last ? directionSql(last.direction) : 'ASC'}`;
  return `ORDER BY ${[...terms, tieBreak].join(', ')}`;
}

function conditionSql(column: string, field: string, condition: FieldCondition): SqlFragment {
  if (condition === null) return { sql: `${column} IS NULL`, params: [] };
  if (typeof condition !== 'object') return { sql: `${column} = ?`, params: [bindable(field, condition)] };
  if ('$in' in condition) return inSql(column, field, condition.$in);
  return rangeSql(column, field, condition);
}

/** SQL `IN` never matches NULL, so a null among the values becomes an `IS NULL` alternative. */
function inSql(column: string, field: string, values: readonly Scalar[]): SqlFragment {
  if (!Array.isArray(values)) throw new Error(`$in on ${field} needs an array`);
  const nonNull = values.filter((value) => value !== null);
  const alternatives: string[] = [];
  if (nonNull.length > 0) alternatives.push(`${column} IN (${nonNull.map(() => '?').join(', ')})`);
  if (nonNull.length < values.length) alternatives.push(`${column} IS NULL`);
  if (alternatives.length === 0) return { sql: '0', params: [] };
  return { sql: `(${alternatives.join(' OR ')})`, params: nonNull.map((value) => bindable(field, value)) };
}

function rangeSql(column: string, field: string, condition: Readonly<Record<string, unknown>>): SqlFragment {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  for (const [operator, bound] of Object.entries(condition)) {
    if (!(operator in RANGE_OPERATORS)) throw new Error(`Unsupported operator ${operator} on ${field}`);
    if (bound === undefined) continue;
    // Comparing with NULL is never true in SQL; refusing it beats silently matching nothing.
    if (bound === null) throw new Error(`${operator} on ${field} needs a non-null bound`);
    clauses.push(`${column} ${RANGE_OPERATORS[operator as RangeOperator]} ?`);
    params.push(bindable(field, bound as Scalar));
  }
  if (clauses.length === 0) throw new Error(`Empty condition on ${field}`);
  return { sql: clauses.join(' AND '), params };
}

/**
 * json_extract turns JSON true/false into 1/0, so booleans are bound as 1/0.
 * Strings and numbers compare by SQLite's own type order, never coerced.
 */
function bindable(field: string, value: Scalar): SqlValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`Non-finite number in condition on ${field}`);
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  throw new Error(`Unsupported value ${JSON.stringify(value)} in condition on ${field}`);
}

function directionSql(direction: 'asc' | 'desc'): 'ASC' | 'DESC' {
  if (direction === 'asc') return 'ASC';
  if (direction === 'desc') return 'DESC';
  throw new Error(`Unknown sort direction ${JSON.stringify(direction)}`);
}
