/** The columns of a project's raw event history, shared by the exports (CSV, NDJSON, Parquet) and the SQL `events` table. */
import type { CellValue, EventWithDataText, TableColumn } from '@resoft/ports';

/** The event history's columns, as in Parquet and in SQL (`events` table). */
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

/** One event as cells in `EVENT_COLUMNS` order, `data` the stored JSON text as read; without `withData` the `data` cell is left null (it is the costly one). */
export const eventCells = (e: EventWithDataText, withData = true): CellValue[] => [e.position, e.streamId, e.revision, e.type, e.metadata.occurredAt, e.metadata.actor, e.metadata.correlationId, withData ? e.dataText : null];

