/**
 * The SQL sandbox and Parquet files of the analytics feature, whose engine (DuckDB, a native library of
 * ~60 MB) is imported the first time a query or an export runs, not when the server starts: most
 * processes never use it (issue 19).
 */
import type { CellValue, ColumnarFiles, SqlLimits, SqlResult, SqlSandbox, TableData } from '@resoft/ports';

type AnalyticsEngine = typeof import('@resoft/adapter-duckdb');

let engine: Promise<AnalyticsEngine> | null = null;
/** One import per process, shared by every caller; a failed import is tried again next time. */
const loadEngine = (): Promise<AnalyticsEngine> =>
  (engine ??= import('@resoft/adapter-duckdb').catch((error: unknown) => {
    engine = null;
    throw error;
  }));

export class SqlSandboxOnFirstUse implements SqlSandbox {
  private sandbox: SqlSandbox | null = null;

  async query(tables: readonly TableData[], sql: string, limits: SqlLimits): Promise<SqlResult> {
    this.sandbox ??= new (await loadEngine()).DuckDbSqlSandbox();
    return this.sandbox.query(tables, sql, limits);
  }
}

export class ColumnarFilesOnFirstUse implements ColumnarFiles {
  private files: ColumnarFiles | null = null;

  async writeParquet(file: string, table: TableData, onRow?: (rows: number) => void): Promise<number> {
    return (await this.loaded()).writeParquet(file, table, onRow);
  }

  async readParquet(file: string): Promise<{ columns: string[]; rows: CellValue[][] }> {
    return (await this.loaded()).readParquet(file);
  }

  private async loaded(): Promise<ColumnarFiles> {
    this.files ??= new (await loadEngine()).DuckDbColumnarFiles();
    return this.files;
  }
}
