/** The query service's settings: the read-your-writes wait and the bounds of an analysts' SQL query. */
import { z } from 'zod';
import { positiveIntSetting as positiveInt } from '@resoft/infra/config';

export const queryServiceConfigSchema = z.object({
  /** How long a query with `?after=` waits for projections, at most. */
  RESOFT_READ_WAIT_MS: positiveInt(2000),
  // Analysts' SQL (issue 14): bounds of one query.
  RESOFT_SQL_TIMEOUT_MS: positiveInt(5_000),
  RESOFT_SQL_MEMORY_MB: positiveInt(256),
  RESOFT_SQL_MAX_ROWS: positiveInt(10_000),
  RESOFT_SQL_MAX_QUERY_CHARS: positiveInt(8_000),
});

export interface QueryServiceConfig {
  readonly readWaitMs: number;
  /** Bounds of one analysts' SQL query (`POST /api/projects/:id/analytics/sql`). */
  readonly sql: { readonly timeoutMs: number; readonly memoryMb: number; readonly maxRows: number; readonly maxQueryChars: number };
}

export function queryServiceConfig(c: z.output<typeof queryServiceConfigSchema>): QueryServiceConfig {
  return {
    readWaitMs: c.RESOFT_READ_WAIT_MS,
    sql: { timeoutMs: c.RESOFT_SQL_TIMEOUT_MS, memoryMb: c.RESOFT_SQL_MEMORY_MB, maxRows: c.RESOFT_SQL_MAX_ROWS, maxQueryChars: c.RESOFT_SQL_MAX_QUERY_CHARS },
  };
}
