/**
 * Read-only SQL over given tables in DuckDB. Each query gets a fresh in-memory database created
 * with file and network access, extension installing and loading disabled and its configuration
 * locked (so the query cannot turn them back on), a memory limit and one thread. The query must be
 * one SELECT (checked on DuckDB's own parse, before it runs) and must not name a file-reading
 * function; it is interrupted at the time bound and its rows are cut at the row cap.
 */
import { DuckDBInstance, StatementType, type DuckDBConnection } from '@duckdb/node-api';
import { SqlLimitError, SqlRefusedError, type CellValue, type SqlLimits, type SqlResult, type SqlSandbox, type TableData } from '@resoft/ports';
import { loadTable } from './duckdb-tables.js';

/** Table functions that read files or other databases; refused by name for a clear answer (the locked configuration refuses them anyway). */
const FILE_FUNCTIONS = /\b(read_csv|read_csv_auto|read_parquet|parquet_scan|parquet_metadata|parquet_schema|parquet_file_metadata|parquet_kv_metadata|read_json|read_json_auto|read_json_objects|read_ndjson|read_ndjson_auto|read_ndjson_objects|read_text|read_blob|sniff_csv|glob|iceberg_scan|delta_scan|sqlite_scan|sqlite_attach|postgres_scan|mysql_scan|read_xlsx|query_table|query)\s*\(/i;

/** Ways a read-only query may begin; anything else (COPY, ATTACH, PRAGMA, SET, INSTALL, …) is refused before DuckDB sees it. */
const READ_ONLY_START = new Set(['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE', '(']);

/** The first keyword, past comments, whitespace and opening parentheses' contents. */
function firstKeyword(sql: string): string {
  const text = sql.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return text.startsWith('(') ? '(' : (/^[A-Za-z_]+/.exec(text)?.[0] ?? '').toUpperCase();
}

const plain = (value: unknown): CellValue => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
};

const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 500);

function limitError(error: unknown): Error {
  const message = firstLine(error);
  if (/interrupt/i.test(message)) return new SqlLimitError('query_timeout', 'The query ran out of time and was stopped');
  if (/out of memory|memory limit/i.test(message)) return new SqlLimitError('query_memory', `The query ran out of memory and was stopped (${message})`);
  return new SqlRefusedError('invalid_sql', message);
}

export class DuckDbSqlSandbox implements SqlSandbox {
  async query(tables: readonly TableData[], sql: string, limits: SqlLimits): Promise<SqlResult> {
    if (sql.length > limits.maxQueryChars) throw new SqlRefusedError('query_too_long', `The query is ${sql.length} characters long; at most ${limits.maxQueryChars} are allowed`);
    const keyword = firstKeyword(sql);
    if (!READ_ONLY_START.has(keyword)) throw new SqlRefusedError('forbidden_sql', `Only SELECT queries may run (this one starts with ${keyword || 'nothing'})`);
    const fileFunction = FILE_FUNCTIONS.exec(sql);
    if (fileFunction) throw new SqlRefusedError('forbidden_sql', `${fileFunction[1]}() reads files or other databases, which queries may not do`);

    const instance = await DuckDBInstance.create(':memory:', {
      enable_external_access: 'false',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      allow_community_extensions: 'false',
      memory_limit: `${limits.memoryMb}MB`,
      threads: '1',
      lock_configuration: 'true',
    });
    let connection: DuckDBConnection | null = null;
    let timer: NodeJS.Timeout | null = null;
    const close = (): void => {
      if (timer) clearTimeout(timer);
      timer = null;
      connection?.closeSync();
      connection = null;
      instance.closeSync();
    };
    try {
      connection = await instance.connect();
      for (const table of tables) await loadTable(connection, table);
      const statements = await connection.extractStatements(sql).catch((error: unknown) => {
        throw new SqlRefusedError('invalid_sql', firstLine(error));
      });
      if (statements.count !== 1) throw new SqlRefusedError('forbidden_sql', `Send exactly one statement (this has ${statements.count})`);
      const prepared = await statements.prepare(0).catch((error: unknown) => {
        throw new SqlRefusedError('invalid_sql', firstLine(error));
      });
      if (prepared.statementType !== StatementType.SELECT) {
        throw new SqlRefusedError('forbidden_sql', `Only SELECT queries may run (this is ${StatementType[prepared.statementType] ?? 'another kind of statement'})`);
      }
      if (prepared.parameterCount > 0) throw new SqlRefusedError('invalid_sql', 'The query has parameters ($1, ?): write the values into it');
      const running = connection;
      timer = setTimeout(() => running.interrupt(), limits.timeoutMs);
      const result = await prepared.stream().catch((error: unknown) => {
        throw limitError(error);
      });
      const names = result.columnNames();
      const types = result.columnTypes().map((t) => t.toString());
      let truncated = false;
      async function* rows(): AsyncIterable<readonly CellValue[]> {
        let count = 0;
        try {
          for await (const chunk of result.yieldRowsJs()) {
            for (const row of chunk) {
              if (count >= limits.maxRows) {
                truncated = true;
                return;
              }
              count += 1;
              yield row.map(plain);
            }
          }
        } catch (error) {
          throw limitError(error);
        } finally {
          close();
        }
      }
      return { columns: names.map((name, i) => ({ name, type: types[i] ?? 'UNKNOWN' })), rows: rows(), truncated: () => truncated, close };
    } catch (error) {
      close();
      throw error instanceof SqlRefusedError || error instanceof SqlLimitError ? error : limitError(error);
    }
  }
}
