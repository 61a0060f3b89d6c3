import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqlLimitError, SqlRefusedError, type CellValue, type SqlLimits, type TableData } from '@resoft/ports';
import { DuckDbColumnarFiles } from './duckdb-columnar-files.js';
import { DuckDbSqlSandbox } from './duckdb-sql-sandbox.js';

const limits: SqlLimits = { timeoutMs: 2000, memoryMb: 128, maxRows: 1000, maxQueryChars: 2000 };
const events = (n: number): TableData => ({
  name: 'events',
  columns: [{ name: 'position', type: 'BIGINT' }, { name: 'type', type: 'VARCHAR' }, { name: 'occurred_at', type: 'TIMESTAMPTZ' }, { name: 'score', type: 'DOUBLE' }],
  rows: Array.from({ length: n }, (_, i): CellValue[] => [i + 1, i % 3 === 0 ? 'ChatMessagePosted' : 'DocumentChanged', new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), i % 2 ? null : i / 2]),
});

async function run(sql: string, tables: TableData[] = [events(100)], bounds: SqlLimits = limits) {
  const result = await new DuckDbSqlSandbox().query(tables, sql, bounds);
  const rows: (readonly CellValue[])[] = [];
  for await (const row of result.rows) rows.push(row);
  return { columns: result.columns.map((c) => c.name), rows, truncated: result.truncated() };
}

async function refusal(sql: string, bounds: SqlLimits = limits): Promise<string> {
  try {
    await run(sql, [events(10)], bounds);
    return 'ran';
  } catch (error) {
    if (error instanceof SqlRefusedError || error instanceof SqlLimitError) return error.code;
    throw error;
  }
}

describe('the DuckDB SQL sandbox', () => {
  it('answers a SELECT over the loaded tables with plain values', async () => {
    const { columns, rows } = await run("SELECT type, count(*) AS n, min(occurred_at) AS first FROM events GROUP BY type ORDER BY type");
    expect(columns).toEqual(['type', 'n', 'first']);
    expect(rows).toEqual([['ChatMessagePosted', 34, '2026-01-01T00:00:00.000Z'], ['DocumentChanged', 66, '2026-01-01T00:01:00.000Z']]);
  });

  it('cuts the rows at the cap and says so', async () => {
    const { rows, truncated } = await run('SELECT * FROM events', [events(50)], { ...limits, maxRows: 20 });
    expect([rows.length, truncated]).toEqual([20, true]);
  });

  it.each([
    ["COPY events TO '/tmp/out.csv'", 'forbidden_sql'],
    ["ATTACH '/tmp/other.db' AS other", 'forbidden_sql'],
    ["SELECT * FROM read_csv('/etc/passwd')", 'forbidden_sql'],
    ["SELECT * FROM read_csv_auto ('/etc/passwd')", 'forbidden_sql'],
    ["SELECT * FROM '/etc/passwd'", 'invalid_sql'],
    ['INSTALL httpfs', 'forbidden_sql'],
    ['LOAD httpfs', 'forbidden_sql'],
    ['PRAGMA database_list', 'forbidden_sql'],
    ["SET memory_limit = '10GB'", 'forbidden_sql'],
    ["SELECT set_config('memory_limit', '10GB')", 'invalid_sql'],
    ['CREATE TABLE x AS SELECT 1', 'forbidden_sql'],
    ['DROP TABLE events', 'forbidden_sql'],
    ['SELECT 1; SELECT 2', 'forbidden_sql'],
    ['SELECT nonsense FROM', 'invalid_sql'], ['SELEC nonsense', 'forbidden_sql'], ['/* hidden */ COPY events TO stdout', 'forbidden_sql'],
    ['SELECT * FROM other_table', 'invalid_sql'],
    [`SELECT 1 ${'-- padding\n'.repeat(300)}`, 'query_too_long'],
  ])('refuses %s (%s) and runs nothing', async (sql, code) => {
    expect(await refusal(sql)).toBe(code);
  });

  it('stops a cartesian explosion at the time bound', async () => {
    const started = Date.now();
    expect(await refusal('SELECT count(*) FROM range(1000000000) a, range(1000000) b', { ...limits, timeoutMs: 500 })).toBe('query_timeout');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('stops a query that needs more memory than its bound', async () => {
    expect(await refusal("SELECT list(repeat('x', 1000)) FROM range(10000000)", { ...limits, memoryMb: 64, timeoutMs: 60_000 })).toMatch(/^query_(memory|timeout)$/);
  });
});

describe('Parquet files written with DuckDB', () => {
  it('read back equal to the rows written', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-parquet-'));
    try {
      const file = path.join(dir, 'events.parquet');
      const table = events(25);
      const seen: number[] = [];
      expect(await new DuckDbColumnarFiles().writeParquet(file, table, (n) => seen.push(n))).toBe(25);
      const back = await new DuckDbColumnarFiles().readParquet(file);
      expect(back.columns).toEqual(['position', 'type', 'occurred_at', 'score']);
      expect(back.rows).toEqual([...(table.rows as CellValue[][])].map((r) => [r[0], r[1], r[2], r[3]]));
      expect(seen[seen.length - 1]).toBe(25);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps timestamps to the millisecond whatever their offset, and whole numbers of BIGINT cells given as fractions or text', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-parquet-'));
    try {
      const file = path.join(dir, 'cells.parquet');
      const rows: CellValue[][] = [[1.9, '2026-08-14T18:44:59.245Z'], ['42', '2026-08-14T18:44:59.001+02:00'], [-3.5, '1969-12-31T23:59:59.999Z'], [null, null]];
      await new DuckDbColumnarFiles().writeParquet(file, { name: 'cells', columns: [{ name: 'n', type: 'BIGINT' }, { name: 'at', type: 'TIMESTAMPTZ' }], rows });
      expect((await new DuckDbColumnarFiles().readParquet(file)).rows).toEqual([[1, '2026-08-14T18:44:59.245Z'], [42, '2026-08-14T16:44:59.001Z'], [-3, '1969-12-31T23:59:59.999Z'], [null, null]]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
