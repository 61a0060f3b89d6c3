/**
 * Ports for analysts' tools over a project's history: tables loaded from rows, SQL over them in a
 * sandbox, and columnar files (Parquet). The query side describes tables; an adapter runs them.
 */
export type ColumnType = 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'BOOLEAN' | 'TIMESTAMPTZ';

export interface TableColumn {
  readonly name: string;
  readonly type: ColumnType;
}

export type CellValue = string | number | boolean | null;

/**
 * Rows that come in lists (pages of a read, a history kept in memory): handed over a list at a time,
 * so a loader waits once per list instead of once per row (a row's await was a tenth of loading
 * 100k events: docs/performance.md).
 */
export interface RowChunks {
  readonly chunks: AsyncIterable<readonly (readonly CellValue[])[]>;
}

export interface TableData {
  readonly name: string;
  readonly columns: readonly TableColumn[];
  /** Rows as arrays in column order, one by one or in lists; TIMESTAMPTZ cells are ISO 8601 strings. */
  readonly rows: AsyncIterable<readonly CellValue[]> | Iterable<readonly CellValue[]> | RowChunks;
}

export interface SqlLimits {
  readonly timeoutMs: number;
  readonly memoryMb: number;
  readonly maxRows: number;
  readonly maxQueryChars: number;
}

export interface SqlResult {
  readonly columns: readonly TableColumn[] | readonly { name: string; type: string }[];
  readonly rows: AsyncIterable<readonly CellValue[]>;
  /** Resolves once the rows were read: whether the row cap cut them. */
  readonly truncated: () => boolean;
  /** Frees the database; call when done with the rows (also after an error). */
  close(): void;
}

/** The query is not allowed, or not valid SQL: a 400, and nothing ran. */
export class SqlRefusedError extends Error {
  constructor(readonly code: 'invalid_sql' | 'forbidden_sql' | 'query_too_long', message: string) {
    super(message);
    this.name = 'SqlRefusedError';
  }
}

/** The query ran out of time or memory: a 400 naming the bound. */
export class SqlLimitError extends Error {
  constructor(readonly code: 'query_timeout' | 'query_memory', message: string) {
    super(message);
    this.name = 'SqlLimitError';
  }
}

export interface SqlSandbox {
  /** Loads the tables into a fresh database with no file, network or extension access and runs one read-only query. */
  query(tables: readonly TableData[], sql: string, limits: SqlLimits): Promise<SqlResult>;
}

export interface ColumnarFiles {
  /** Writes the table to a Parquet file (replacing it); calls `onRow` as rows are loaded. */
  writeParquet(file: string, table: TableData, onRow?: (rows: number) => void): Promise<number>;
  /** Reads a Parquet file back as column names and rows (for checks and tests). */
  readParquet(file: string): Promise<{ columns: string[]; rows: CellValue[][] }>;
}
