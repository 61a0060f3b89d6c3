/**
 * `resoft analytics export|sql`: a project's history for analysts, read from the stores this
 * configuration names (like `resoft rebuild`, an operator's tool on the server's machine: it
 * checks no membership). `export` writes the raw event history as Parquet, CSV or NDJSON with a
 * progress bar; `sql` runs one read-only query with the server's sandbox and bounds.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { loadConfig, openStores, type Config, type Stores } from '@resoft/app';
import { type CellValue, type EventColumnValues } from '@resoft/ports';
import { DuckDbColumnarFiles, DuckDbSqlSandbox } from '@resoft/adapter-duckdb';
import { AnalyticsReadModels, type AnalyticsStreamView } from '@resoft/projectors';
import { DATA_CELL, EVENT_COLUMNS, csvCell, projectHistoryPages, runProjectSql, type QueryServiceDeps } from '@resoft/query-service';
import { sharedCatalog } from '@resoft/templates';
import { progressBar } from './progress-bar.js';

export interface ExportOptions {
  readonly project: string;
  readonly format: 'parquet' | 'csv' | 'ndjson';
  readonly out: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function depsOf(config: Config, stores: Stores): QueryServiceDeps {
  return {
    readStore: stores.readModels, eventStore: stores.events, sources: stores.sources, auditLog: stores.auditLog, auditKeys: stores.auditKeys,
    waitForPosition: async () => true, readWaitMs: 0, admins: [], templates: sharedCatalog(),
    columnarFiles: new DuckDbColumnarFiles(), sqlSandbox: new DuckDbSqlSandbox(), sqlLimits: config.sql,
  };
}

/** The project's streams as the analytics read model knows them; refuses an unknown project. */
async function projectStreams(stores: Stores, projectId: string): Promise<AnalyticsStreamView[]> {
  if (!UUID.test(projectId)) throw new Error(`--project must be a project id (a UUID), not "${projectId}"`);
  const streams = await stores.readModels.find<AnalyticsStreamView>(AnalyticsReadModels.streams, { where: { projectId } });
  if (streams.length === 0) throw new Error(`No project ${projectId} in the analytics read model (is the id right? has the server projected it? \`resoft rebuild analytics\` builds it)`);
  return streams;
}

/** The pages as they come, `onEvent` told the count after each. */
async function* counted(pages: AsyncIterable<EventColumnValues[]>, onEvent: (n: number) => void): AsyncIterable<EventColumnValues[]> {
  let n = 0;
  for await (const page of pages) {
    yield page;
    n += page.length;
    onEvent(n);
  }
  onEvent(n);
}

async function writeText(file: string, lines: AsyncIterable<string>): Promise<void> {
  const out = fs.createWriteStream(file);
  for await (const line of lines) if (!out.write(line)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

export async function analyticsExportCommand(options: ExportOptions, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream = process.stdout, progressOut: NodeJS.WriteStream = process.stderr): Promise<number> {
  if (!['parquet', 'csv', 'ndjson'].includes(options.format)) throw new Error(`--format must be parquet, csv or ndjson, not "${options.format}"`);
  const config = loadConfig(env);
  const stores = await openStores(config);
  try {
    const streams = await projectStreams(stores, options.project);
    const total = streams.reduce((n, s) => n + s.events, 0);
    const upTo = Math.max(...streams.map((s) => s.lastPosition));
    const bar = progressBar(`export ${options.format}`, progressOut);
    const started = Date.now();
    let written = 0;
    const pages = counted(projectHistoryPages(depsOf(config, stores), options.project, { upTo }), (n) => bar.update((written = n), Math.max(total, n)));
    if (options.format === 'parquet') {
      await new DuckDbColumnarFiles().writeParquet(options.out, { name: 'events', columns: EVENT_COLUMNS, rows: { chunks: pages } });
    } else {
      const names = EVENT_COLUMNS.map((c) => c.name);
      await writeText(options.out, (async function* () {
        if (options.format === 'csv') yield `${names.join(',')}\r\n`;
        for await (const page of pages) for (const cells of page) {
          yield options.format === 'csv' ? `${cells.map((c) => csvCell(c)).join(',')}\r\n` : `${JSON.stringify({ ...Object.fromEntries(names.map((n, i) => [n, cells[i] ?? null])), data: JSON.parse(cells[DATA_CELL]!) as unknown })}\n`;
        }
      })());
    }
    bar.stop();
    out.write(`exported ${written} events of project ${options.project} (up to position ${upTo}) to ${options.out} in ${Date.now() - started} ms\n`);
    return written;
  } finally {
    await stores.close();
  }
}

export interface SqlOptions {
  readonly project: string;
  readonly format: 'table' | 'csv' | 'json';
}

function tableText(columns: readonly string[], rows: readonly (readonly CellValue[])[]): string {
  const text = (v: CellValue | undefined) => (v === null || v === undefined ? '' : String(v));
  const widths = columns.map((c, i) => Math.min(60, Math.max(c.length, ...rows.map((r) => text(r[i]).length))));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.slice(0, 60).padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(r.map(text)))].join('\n') + '\n';
}

export async function analyticsSqlCommand(query: string, options: SqlOptions, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (!['table', 'csv', 'json'].includes(options.format)) throw new Error(`--format must be table, csv or json, not "${options.format}"`);
  const config = loadConfig(env);
  const stores = await openStores(config);
  try {
    const streams = await projectStreams(stores, options.project);
    const upTo = Math.max(...streams.map((s) => s.lastPosition));
    const result = await runProjectSql(depsOf(config, stores), options.project, upTo, query).catch((error: { message?: string }) => {
      throw new Error(error.message ?? String(error));
    });
    const rows: (readonly CellValue[])[] = [];
    try {
      for await (const row of result.rows) rows.push(row);
    } finally {
      result.close();
    }
    const columns = result.columns.map((c) => c.name);
    if (options.format === 'json') out.write(`${JSON.stringify({ columns: result.columns, rows: rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null]))), truncated: result.truncated() }, null, 2)}\n`);
    else if (options.format === 'csv') out.write([columns.map((c) => csvCell(c)).join(','), ...rows.map((r) => r.map((c) => csvCell(c)).join(','))].join('\r\n') + '\r\n');
    else out.write(tableText(columns, rows) + (result.truncated() ? `(cut at ${config.sql.maxRows} rows)\n` : ''));
  } finally {
    await stores.close();
  }
}

export function analyticsCommand(program: Command, env: NodeJS.ProcessEnv): void {
  const analytics = program.command('analytics').description("Analysts' tools over a project's history (reads this configuration's stores)");
  analytics
    .command('export')
    .description("Write a project's raw event history (every stream of the project, in log order) to a file, with a progress bar")
    .requiredOption('--project <id>', 'the project id')
    .option('--format <format>', 'parquet, csv or ndjson', 'parquet')
    .requiredOption('--out <file>', 'the file to write (replaced if it exists)')
    .action(async (options: ExportOptions) => {
      await analyticsExportCommand(options, env);
    });
  analytics
    .command('sql')
    .description('Run one read-only SQL query (DuckDB dialect) over a project\'s events and read models; tables in docs/analytics.md')
    .argument('<query>', 'e.g. "SELECT type, count(*) FROM events GROUP BY type"')
    .requiredOption('--project <id>', 'the project id')
    .option('--format <format>', 'table, csv or json', 'table')
    .action(async (query: string, options: SqlOptions) => analyticsSqlCommand(query, options, env));
}
