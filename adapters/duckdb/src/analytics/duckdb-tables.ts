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

type Converter = (value: CellValue) => DuckDBValue;

/** Each column type's conversion, chosen once per column rather than per cell; null (or a missing cell) stays null. */
const CONVERTERS: Readonly<Record<ColumnType, Converter>> = {
  BIGINT: (value) => (value === null || value === undefined ? null : BigInt(Number.isSafeInteger(value) ? (value as number) : Math.trunc(Number(value)))),
  DOUBLE: (value) => (value === null || value === undefined ? null : Number(value)),
  BOOLEAN: (value) => (value === null || value === undefined ? null : Boolean(value)),
  // Milliseconds times 1,000 stay exact in a double (below 2^53 until the year 2255), so one BigInt per cell.
  TIMESTAMPTZ: (value) => (value === null || value === undefined ? null : timestampTZValue(BigInt(Date.parse(String(value)) * 1000))),
  VARCHAR: (value) => (value === null || value === undefined ? null : typeof value === 'string' ? value : String(value)),
};

/** The rows one by one, whatever shape they come in (a list's rows without an await each). */
async function eachRow(rows: TableData['rows'], onRow: (row: readonly CellValue[]) => void): Promise<void> {
  if ('chunks' in rows) {
    for await (const chunk of rows.chunks) for (const row of chunk) onRow(row);
  } else if (Symbol.iterator in rows) {
    for (const row of rows) onRow(row);
  } else {
    for await (const row of rows) onRow(row);
  }
}

export async function loadTable(connection: DuckDBConnection, table: TableData, onRow?: (rows: number) => void): Promise<number> {
  const columns = table.columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}`).join(', ');
  await connection.run(`CREATE TABLE ${quoteIdentifier(table.name)} (${columns})`);
  const appender = await connection.createAppender(table.name);
  const types = table.columns.map((c) => c.type);
  const duckTypes = types.map((t) => DUCKDB_TYPES[t]);
  const converters = types.map((t) => CONVERTERS[t]);
  const width = types.length;
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
    await eachRow(table.rows, (row) => {
      for (let i = 0; i < width; i++) pending[i]!.push(converters[i]!(row[i] as CellValue));
      rowsPending += 1;
      count += 1;
      if (rowsPending === CHUNK_ROWS) flush();
      if (count % PROGRESS_ROWS === 0) onRow?.(count);
    });
    flush();
    appender.flushSync();
    onRow?.(count);
  } finally {
    appender.closeSync();
  }
  return count;
}
