/** Parquet files written and read with DuckDB: rows are appended to an in-memory table, then copied out. */
import { DuckDBInstance } from '@duckdb/node-api';
import type { CellValue, ColumnarFiles, TableData } from '@resoft/ports';
import { loadTable } from './duckdb-tables.js';

const quoteLiteral = (text: string): string => `'${text.replace(/'/g, "''")}'`;
const plain = (value: unknown): CellValue => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
};

export class DuckDbColumnarFiles implements ColumnarFiles {
  async writeParquet(file: string, table: TableData, onRow?: (rows: number) => void): Promise<number> {
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const connection = await instance.connect();
    try {
      const count = await loadTable(connection, table, onRow);
      await connection.run(`COPY "${table.name.replace(/"/g, '""')}" TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`);
      return count;
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  async readParquet(file: string): Promise<{ columns: string[]; rows: CellValue[][] }> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet(${quoteLiteral(file)})`);
      return { columns: reader.columnNames(), rows: reader.getRowsJS().map((row) => row.map(plain)) };
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }
}
