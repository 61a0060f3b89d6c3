/** Creates a table in a DuckDB database and fills it through an appender, row by row. */
import { timestampTZValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { CellValue, ColumnType, TableData } from './analytical-tables.js';

const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function append(appender: DuckDBAppender, type: ColumnType, value: CellValue): void {
  if (value === null) return appender.appendNull();
  switch (type) {
    case 'BIGINT':
      return appender.appendBigInt(BigInt(Math.trunc(Number(value))));
    case 'DOUBLE':
      return appender.appendDouble(Number(value));
    case 'BOOLEAN':
      return appender.appendBoolean(Boolean(value));
    case 'TIMESTAMPTZ':
      return appender.appendTimestampTZ(timestampTZValue(BigInt(Date.parse(String(value))) * 1000n));
    default:
      return appender.appendVarchar(String(value));
  }
}

export async function loadTable(connection: DuckDBConnection, table: TableData, onRow?: (rows: number) => void): Promise<number> {
  const columns = table.columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}`).join(', ');
  await connection.run(`CREATE TABLE ${quoteIdentifier(table.name)} (${columns})`);
  const appender = await connection.createAppender(table.name);
  let count = 0;
  try {
    for await (const row of table.rows) {
      table.columns.forEach((column, i) => append(appender, column.type, row[i] ?? null));
      appender.endRow();
      count += 1;
      if (count % 10_000 === 0) {
        appender.flushSync();
        onRow?.(count);
      }
    }
    appender.flushSync();
    onRow?.(count);
  } finally {
    appender.closeSync();
  }
  return count;
}
