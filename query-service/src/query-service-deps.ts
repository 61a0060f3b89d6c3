/** What the read routes need, built once by the entry file and passed down. */
import type { AuditKeyRing, PersonalDataCodec } from '@resoft/infra';
import type { ColumnarFiles, EventStore, MerkleLogStore, ReadStore, SourceStore, SqlLimits, SqlSandbox } from '@resoft/ports';
import type { TemplateCatalog } from '@resoft/templates';
import type { ReadModelMark } from './consistency/answers-per-change.js';

export interface QueryServiceDeps {
  readonly readStore: ReadStore;
  /** For the raw audit view and chain verification: the event store is the source of truth. */
  readonly eventStore: EventStore;
  /** Submitted code of checks, by the SHA-256 their `CheckRequested` recorded. */
  readonly sources: SourceStore;
  /** Resolves true once every projection has reached the position, false after the timeout. */
  readonly waitForPosition: (position: number, timeoutMs: number) => Promise<boolean>;
  readonly readWaitMs: number;
  /** Usernames or emails (lower-case) of administrators. */
  readonly admins: readonly string[];
  /** The template catalog that list, show, preview and zip downloads read. */
  readonly templates: TemplateCatalog;
  /** The Merkle audit log (proofs, tree heads, bundles) and the keys its tree heads are checked against. */
  readonly auditLog: MerkleLogStore;
  readonly auditKeys: AuditKeyRing;
  /** Analysts' tools (issue 14): Parquet files, and SQL over a project's history within these bounds. */
  readonly columnarFiles: ColumnarFiles;
  readonly sqlSandbox: SqlSandbox;
  readonly sqlLimits: SqlLimits;
  /** Reveals sealed personal data in events read straight from the log (time travel); without it they are shown as stored. */
  readonly personalData?: PersonalDataCodec;
  /**
   * The read store's change mark, when it has one (SQLite): a number per set of collections that moves
   * whenever their documents may have changed, in this process or another. The hottest answers are
   * kept until it moves (see AnswersPerChange); without it they are read on every request.
   */
  readonly readModelMark?: ReadModelMark;
}
