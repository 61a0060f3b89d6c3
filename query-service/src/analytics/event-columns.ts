/**
 * The columns of a project's raw event history, shared by the exports (CSV, NDJSON, Parquet) and the
 * SQL `events` table. The event store's `readEventColumns` hands each event as cells in this very
 * order (`EventColumnValues`), so the history's readers pass its rows on as they come.
 */
import type { TableColumn } from '@resoft/ports';

/** The event history's columns, as in Parquet and in SQL (`events` table); `data` is the stored JSON text. */
export const EVENT_COLUMNS: readonly TableColumn[] = [
  { name: 'position', type: 'BIGINT' },
  { name: 'stream_id', type: 'VARCHAR' },
  { name: 'revision', type: 'BIGINT' },
  { name: 'type', type: 'VARCHAR' },
  { name: 'occurred_at', type: 'TIMESTAMPTZ' },
  { name: 'actor_id', type: 'VARCHAR' },
  { name: 'correlation_id', type: 'VARCHAR' },
  { name: 'data', type: 'VARCHAR' },
];

/** Index of the `data` cell in a history row. */
export const DATA_CELL = 7;
