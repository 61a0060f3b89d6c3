/**
 * The source store port: the text of submitted code, stored once under the SHA-256 of its UTF-8
 * bytes, outside the event log. A check's `CheckRequested` names each file by hash and size, so the
 * log grows by a few dozen bytes per file instead of the file itself, and the same code submitted
 * again is stored once. Sources are part of the durable record (the log refers to them): nothing
 * here deletes. Adapters pass `source-store.contract.ts`.
 */
import { textAddress } from '@resoft/domain';

export interface StoredSource {
  /** Lower-case hex SHA-256 of the text's UTF-8 bytes. */
  readonly sha256: string;
  /** Length of the text in UTF-8 bytes. */
  readonly bytes: number;
}

export interface SourceStore {
  /**
   * Stores each text under its hash and answers the hashes in the same order. A text already stored
   * (by anyone, in any process) is not stored again. Once the promise resolves the texts are as
   * durable as an appended event, so an event naming them may be appended next.
   */
  put(texts: readonly string[]): Promise<StoredSource[]>;
  /** The texts stored under these hashes; a hash with nothing stored is absent from the map. */
  get(hashes: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** How many distinct texts are stored and their total size, for operators and tests. */
  size(): Promise<{ readonly count: number; readonly bytes: number }>;
  /** Resolves when the backing store answers; rejects otherwise (for readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The address of a text: what every adapter stores it under and what `CheckRequested` names (one definition, in the domain). */
export const sourceAddress = (text: string): StoredSource => textAddress(text);
