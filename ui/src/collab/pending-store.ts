/**
 * Keeps the user's own edits that the gateway has not acknowledged as stored yet ("pending") in the
 * browser's local storage, one item per Automerge change, so an edit typed offline survives a
 * reload: the next page that opens the file sends them (ClientDocument.restorePending). One small
 * item per change keeps each keystroke's write small however long the user stays offline; an item
 * is removed when its change is stored (or refused, when it moves to "your unsaved edits").
 */
import type { PendingUpdate } from '@resoft/collab-client';
import { changeFromText, changeToText } from './change-text.js';

const prefixOf = (userId: string, fileId: string) => `resoft.pending.${userId}.${fileId}.`;

export function recordPending(storage: Storage, userId: string, fileId: string, update: PendingUpdate): void {
  const prefix = prefixOf(userId, fileId);
  try {
    for (const hash of update.removed) storage.removeItem(prefix + hash);
    for (const { hash, change } of update.added) storage.setItem(prefix + hash, changeToText(change));
  } catch {
    // Storage full or disabled: the edits still sync while the page lives.
  }
}

export function loadPending(storage: Storage, userId: string, fileId: string): Uint8Array[] {
  const prefix = prefixOf(userId, fileId);
  const changes: Uint8Array[] = [];
  try {
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (!key?.startsWith(prefix)) continue;
      const value = storage.getItem(key);
      if (value) changes.push(changeFromText(value));
    }
  } catch {
    return [];
  }
  return changes;
}
