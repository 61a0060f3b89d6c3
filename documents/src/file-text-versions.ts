/**
 * A file's text at every version, without Automerge on the read path (issue 13's as-of speed goal).
 * The files projection records, for each `DocumentChanged` it applies, the text edits that change
 * made as plain splices (position, deleted count, inserted text), and the whole text every
 * TEXT_CHECKPOINT_EVERY versions (and at version 0, the file as created). The text of version V is
 * the checkpoint at or before V with the splices of the versions after it up to V applied in order.
 * Loading an Automerge document costs time that grows with the file's history; this costs at most
 * TEXT_CHECKPOINT_EVERY small rows, however long the history.
 */
import type { CollectionSpec, ReadStore } from '@resoft/ports';

export const FILE_TEXT_VERSIONS = 'file_text_versions';
/** Versions between two full-text checkpoints: an as-of read applies at most this many rows of splices. */
export const TEXT_CHECKPOINT_EVERY = 100;

/** `[position, deleted, inserted]`: delete `deleted` UTF-16 code units at `position`, then insert `inserted` there. */
export type TextSplice = readonly [number, number, string];

export interface FileTextVersion {
  /** `<fileId>@<version>`. */
  readonly id: string;
  readonly fileId: string;
  readonly projectId: string;
  /** Document changes applied (0: as created); the `doc-<fileId>` stream's revision + 1. */
  readonly version: number;
  /** Whether `text` holds the whole text at this version (else `splices` lead from the version before). */
  readonly checkpoint: boolean;
  readonly splices: readonly TextSplice[];
  readonly text: string | null;
  readonly [key: string]: unknown;
}

export const fileTextVersionsCollection: CollectionSpec = { name: FILE_TEXT_VERSIONS, indexes: [['fileId', 'version'], ['fileId', 'checkpoint', 'version']] };

export const fileTextVersionId = (fileId: string, version: number): string => `${fileId}@${version}`;

export function applySplices(text: string, splices: readonly TextSplice[]): string {
  let result = text;
  for (const [at, deleted, inserted] of splices) result = result.slice(0, at) + inserted + result.slice(at + deleted);
  return result;
}

/**
 * The text of a file at `version` from the recorded versions, or null when they do not cover it
 * (the projection has not reached it yet, or the file's history predates the recording): the caller
 * then replays the document instead.
 */
export async function fileTextAtVersion(readStore: ReadStore, fileId: string, version: number): Promise<string | null> {
  const [checkpoint] = await readStore.find<FileTextVersion>(FILE_TEXT_VERSIONS, {
    where: { fileId, checkpoint: true, version: { $lte: version } }, orderBy: [{ field: 'version', direction: 'desc' }], limit: 1,
  });
  if (!checkpoint || checkpoint.text === null) return null;
  if (checkpoint.version === version) return checkpoint.text;
  const after = await readStore.find<FileTextVersion>(FILE_TEXT_VERSIONS, {
    where: { fileId, version: { $gt: checkpoint.version, $lte: version } }, orderBy: [{ field: 'version', direction: 'asc' }],
  });
  // Every version in between must be there, in order: a gap means the recording is incomplete.
  if (after.length !== version - checkpoint.version) return null;
  let text = checkpoint.text;
  for (const [i, row] of after.entries()) {
    if (row.version !== checkpoint.version + i + 1) return null;
    text = row.text ?? applySplices(text, row.splices);
  }
  return text;
}
