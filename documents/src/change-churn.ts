/**
 * Characters a stored change inserts into and removes from a file's text, read from the change's
 * own operations: no document state is needed, so a projection can count churn from one event.
 * For a change that edits one region this equals `textDelta` (the version list's prefix/suffix
 * count); a change that edits several regions counts only what it touched, which is less than
 * `textDelta` counts around them; a change that types and deletes in one flush counts both.
 */
import * as Automerge from '@automerge/automerge/next';
import { churnFromChangeColumns } from './change-columns.js';
import { decodeChangeBytes } from './text-document.js';

export interface ChangeChurn {
  readonly inserted: number;
  readonly removed: number;
}

export function changeChurn(changes: readonly string[]): ChangeChurn {
  let inserted = 0;
  let removed = 0;
  for (const change of changes) {
    const bytes = decodeChangeBytes(change);
    // Read from the change's columns (no op objects built); Automerge decodes what that reader does not know.
    const churn = churnFromChangeColumns(bytes) ?? churnByDecoding(bytes);
    inserted += churn.inserted;
    removed += churn.removed;
  }
  return { inserted, removed };
}

/** The same count from Automerge's decoded ops: the reference the column reader is checked against. */
export function churnByDecoding(change: Uint8Array): ChangeChurn {
  let inserted = 0;
  let removed = 0;
  // The decoded ops carry `insert` and `multiOp`, which the library's `Op` type leaves out.
  for (const op of Automerge.decodeChange(change).ops as { action: string; value?: unknown; insert?: boolean; multiOp?: number }[]) {
    if (op.action === 'set' && op.insert && typeof op.value === 'string') inserted += op.value.length;
    else if (op.action === 'del') removed += op.multiOp ?? 1;
  }
  return { inserted, removed };
}
