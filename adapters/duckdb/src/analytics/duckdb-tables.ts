/**
 * Creates a table in a DuckDB database and fills it a data chunk (2,048 rows, column by column) at
 * a time: one appender call per chunk instead of one per cell, which was most of the cost of loading
 * a long history (docs/performance.md, `bench:analytics`).
 */
import { BIGINT, BOOLEAN, DOUBLE, DuckDBDataChunk, TIMESTAMPTZ, VARCHAR, timestampTZValue, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { CellValue, ColumnType, TableData } from '@resoft/ports';

/** DuckDB's standard vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;
/** Progress is reported every this many rows. */
const PROGRESS_ROWS = 5 * CHUNK_ROWS;

const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

const DUCKDB_TYPES: Readonly<Record<ColumnType, DuckDBType>> = { BIGINT, DOUBLE, VARCHAR, BOOLEAN, TIMESTAMPTZ };

function duckValue(type: ColumnType, value: CellValue): DuckDBValue {
  if (value === null) return null;
  switch (type) {
    case 'BIGINT':
      return BigInt(Math.trunc(Number(value)));
    case 'DOUBLE':
      return Number(value);
    case 'BOOLEAN':
      return Boolean(value);
    case 'TIMESTAMPTZ':
      return timestampTZValue(BigInt(Date.parse(String(value))) * 1000n);
    default:
      return String(value);
  }
}

export async function loadTable(connection: DuckDBConnection, table: TableData, onRow?: (rows: number) => void): Promise<number> {
  const columns = table.columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}`).join(', ');
  await connection.run(`CREATE TABLE ${quoteIdentifier(table.name)} (${columns})`);
  const appender = await connection.createAppender(table.name);
  const types = table.columns.map((c) => c.type);
  const duckTypes = types.map((t) => DUCKDB_TYPES[t]);
  let pending: DuckDBValue[][] = types.map(() => []);
  let rowsPending = 0;
  let count = 0;
  const flush = (): void => {
    if (rowsPending === 0) return;
    const chunk = DuckDBDataChunk.create(duckTypes, rowsPending);
    chunk.setColumns(pending);
    appender.appendDataChunk(chunk);
    pending = types.map(() => []);
    rowsPending = 0;
  };
  try {
    for await (const row of table.rows) {
      for (let i = 0; i < types.length; i++) pending[i]!.push(duckValue(types[i]!, row[i] ?? null));
      rowsPending += 1;
      count += 1;
      if (rowsPending === CHUNK_ROWS) flush();
      if (count % PROGRESS_ROWS === 0) onRow?.(count);
    }
    flush();
    appender.flushSync();
    onRow?.(count);
  } finally {
    appender.closeSync();
  }
  return count;
}
