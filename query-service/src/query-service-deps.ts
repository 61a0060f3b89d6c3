/** What the read routes need, built once by the entry file and passed down. */
import type { ColumnarFiles, EventStore, ReadStore, SqlLimits, SqlSandbox } from '@resoft/infra';
import type { TemplateCatalog } from '@resoft/templates';

export interface QueryServiceDeps {
  readonly readStore: ReadStore;
  /** For the raw audit view and chain verification: the event store is the source of truth. */
  readonly eventStore: EventStore;
  /** Resolves true once every projection has reached the position, false after the timeout. */
  readonly waitForPosition: (position: number, timeoutMs: number) => Promise<boolean>;
  readonly readWaitMs: number;
  /** Usernames or emails (lower-case) of administrators. */
  readonly admins: readonly string[];
  /** The template catalog that list, show, preview and zip downloads read. */
  readonly templates: TemplateCatalog;
  /** Analysts' tools (issue 14): Parquet files, and SQL over a project's history within these bounds. */
  readonly columnarFiles: ColumnarFiles;
  readonly sqlSandbox: SqlSandbox;
  readonly sqlLimits: SqlLimits;
}
