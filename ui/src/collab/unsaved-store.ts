/**
 * Keeps a user's refused edits ("your unsaved edits") in the browser's local storage per user and
 * file, so a reload or leaving the file does not drop them: they are offered again next time the
 * file opens, until the user re-applies or discards them.
 */
import type { UnsavedEdits } from '@resoft/collab-client';
import { changeFromText, changeToText } from './change-text.js';

interface Stored {
  readonly code: string;
  readonly text: string;
  readonly changes: readonly string[];
}

const keyOf = (userId: string, fileId: string) => `resoft.unsaved.${userId}.${fileId}`;

export function saveUnsaved(storage: Storage, userId: string, fileId: string, unsaved: UnsavedEdits | null): void {
  try {
    if (!unsaved) storage.removeItem(keyOf(userId, fileId));
    else storage.setItem(keyOf(userId, fileId), JSON.stringify({ code: unsaved.code, text: unsaved.text, changes: unsaved.changes.map(changeToText) } satisfies Stored));
  } catch {
    // Storage full or disabled: the edits stay offered for as long as the page lives.
  }
}

export function loadUnsaved(storage: Storage, userId: string, fileId: string): UnsavedEdits | null {
  try {
    const raw = storage.getItem(keyOf(userId, fileId));
    if (!raw) return null;
    const stored = JSON.parse(raw) as Stored;
    if (typeof stored.text !== 'string' || !Array.isArray(stored.changes)) return null;
    return { code: String(stored.code), text: stored.text, changes: stored.changes.map(changeFromText) };
  } catch {
    return null;
  }
}
