/**
 * A submitted file as a check records it: path, language, and the SHA-256 and size of its text,
 * which lives in the source store (content-addressed, stored once) instead of the event, so the log
 * grows by a few dozen bytes per file rather than by the file. Checks requested before the text
 * moved out of the log (events of schema 1) still hold it inline: the upcaster keeps it there as
 * `content` and adds the hash, size and line count, so every reader sees one shape.
 */
import { createHash } from 'node:crypto';
import type { CheckFile, Language } from './check-model.js';

export interface CheckedFile {
  readonly path: string;
  readonly language: Language;
  /** Lower-case hex SHA-256 of the text's UTF-8 bytes: its address in the source store. */
  readonly sha256: string;
  /** The text's size in UTF-8 bytes. */
  readonly bytes: number;
  /** Its line count, recorded so reports need not fetch the text. */
  readonly lines: number;
  readonly origin?: { readonly fileId: string; readonly version: number };
  /** Part of the project tree, read by the linters for imports but not checked (see CheckFile.context). */
  readonly context?: boolean;
}

/** A file of a recorded `CheckRequested`: the text inline only for checks requested before schema 2. */
export type RecordedCheckedFile = CheckedFile & { readonly content?: string };

export const lineCount = (content: string): number => (content === '' ? 0 : content.split('\n').length - (content.endsWith('\n') ? 1 : 0));

export function textAddress(content: string): { sha256: string; bytes: number } {
  const bytes = Buffer.from(content, 'utf8');
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

/** What an event records of a submitted file whose text is stored at `address`. */
export function checkedFile(file: CheckFile & { language: Language }, address: { sha256: string; bytes: number }): CheckedFile {
  return {
    path: file.path, language: file.language, sha256: address.sha256, bytes: address.bytes, lines: lineCount(file.content),
    ...(file.origin ? { origin: { fileId: file.origin.fileId, version: file.origin.version } } : {}),
    ...(file.context ? { context: true } : {}),
  };
}

/** Only the recorded fields, whatever else the object carries (never the text). */
export const withoutContent = ({ path, language, sha256, bytes, lines, origin, context }: CheckedFile): CheckedFile =>
  ({ path, language, sha256, bytes, lines, ...(origin ? { origin } : {}), ...(context ? { context } : {}) });

/** Schema 1 → 2 of `CheckRequested`: files held their text; add its address, size and lines, keep the text. */
export function upcastInlineCheckFiles(data: unknown): unknown {
  const d = data as { files?: (CheckFile & { language: Language; sha256?: string })[] };
  if (!Array.isArray(d.files)) return data;
  return {
    ...d,
    files: d.files.map((file) => (typeof file.sha256 === 'string' || typeof file.content !== 'string'
      ? file
      : { ...checkedFile(file, textAddress(file.content)), content: file.content })),
  };
}
