/**
 * Sends an analytics answer as JSON, CSV or NDJSON. CSV and NDJSON are written row by row as the
 * rows arrive (waiting when the client reads slowly), so an export of a long history never sits
 * in memory whole; the position the answer reflects travels in the `Resoft-Position` header.
 */
import type { Response } from 'express';
import type { RouteResult } from '@resoft/http-kit';
import type { OutputFormat } from './analytics-schemas.js';

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

export interface Table {
  readonly columns: readonly string[];
  readonly rows: Iterable<Row> | AsyncIterable<Row>;
}

export const csvCell = (value: Cell | undefined): string => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

const csvLine = (columns: readonly string[], row: Row): string => `${columns.map((c) => csvCell(row[c])).join(',')}\r\n`;

async function write(res: Response, chunk: string): Promise<void> {
  if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', resolve));
}

/** Writes the table's rows in the format; chunks of rows go out together. */
export async function streamTable(res: Response, format: 'csv' | 'ndjson', table: Table, filename: string, position: number): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}.${format}"`);
  res.setHeader('Resoft-Position', String(position));
  let chunk = format === 'csv' ? csvLine(table.columns, Object.fromEntries(table.columns.map((c) => [c, c]))) : '';
  try {
    for await (const row of table.rows) {
      chunk += format === 'csv' ? csvLine(table.columns, row) : `${JSON.stringify(row)}\n`;
      if (chunk.length > 64 * 1024) {
        await write(res, chunk);
        chunk = '';
      }
    }
  } catch (error) {
    if (res.headersSent) {
      // Part of the download is out: break the connection so the client cannot take it for whole.
      res.destroy(error as Error);
    } else {
      // Nothing was sent: the error handler answers with a JSON error instead of a download.
      res.removeHeader('Content-Disposition');
      res.removeHeader('Resoft-Position');
    }
    throw error;
  }
  res.end(chunk);
}

/** The route's answer: JSON with the position and meta, or the rows streamed as CSV or NDJSON. */
export async function answer(res: Response, format: OutputFormat, filename: string, position: number, meta: Record<string, unknown>, table: Table): Promise<RouteResult> {
  if (format !== 'json') {
    await streamTable(res, format, table, filename, position);
    return {};
  }
  const rows: Row[] = [];
  for await (const row of table.rows) rows.push(row);
  return { body: { position, ...meta, columns: table.columns, rows }, headers: { 'Resoft-Position': String(position) } };
}
