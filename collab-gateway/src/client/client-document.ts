/**
 * A file open through the collaboration client: a local Automerge document kept in sync with the
 * gateway's copy. Edits apply locally at once and sync when connected; edits made offline merge
 * when the connection returns. Remote cursors are resolved against the local text.
 */
import * as Automerge from '@automerge/automerge';
import type { CursorState } from '../protocol/protocol.js';

type TextDoc = { text: string };
type Listener<T> = (value: T) => void;

export interface RemoteCursor extends CursorState {
  /** The cursor's current index in the local text, or null when it cannot be placed yet. */
  readonly index: number | null;
  /** The cursor's selected ranges in the local text (from <= to), leaving out any that cannot be placed yet. */
  readonly selections: readonly { from: number; to: number }[];
}

export class ClientDocument {
  canEdit = false;
  path = '';
  lockedBy: string | null = null;
  readonly ready: Promise<void>;
  private doc: Automerge.Doc<TextDoc> = Automerge.init<TextDoc>();
  private syncState = Automerge.initSyncState();
  private readonly remoteCursors = new Map<string, CursorState>();
  private readonly listeners = { change: new Set<Listener<string>>(), cursors: new Set<Listener<RemoteCursor[]>>(), refused: new Set<Listener<{ code: string; message: string }>>() };
  private markReady!: () => void;

  constructor(
    readonly projectId: string,
    readonly fileId: string,
    private readonly selfUserId: string,
    private readonly transport: { sendSync(fileId: string, message: Uint8Array): boolean; sendCursor(fileId: string, cursor: string, ranges: { anchor: string; head: string }[]): void },
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  get text(): string {
    return typeof this.doc.text === 'string' ? this.doc.text : '';
  }

  get isReady(): boolean {
    return typeof this.doc.text === 'string';
  }

  /** True when the gateway has every local change (nothing waits to be sent or acknowledged). */
  get synced(): boolean {
    return Automerge.hasOurChanges(this.doc, this.syncState);
  }

  get heads(): string[] {
    return Automerge.getHeads(this.doc);
  }

  on(event: 'change', listener: Listener<string>): () => void;
  on(event: 'cursors', listener: Listener<RemoteCursor[]>): () => void;
  on(event: 'refused', listener: Listener<{ code: string; message: string }>): () => void;
  on(event: keyof ClientDocument['listeners'], listener: Listener<never>): () => void {
    const set = this.listeners[event] as Set<Listener<never>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  insert(index: number, text: string): void {
    this.edit((d) => Automerge.splice(d, ['text'], index, 0, text));
  }

  delete(index: number, count: number): void {
    this.edit((d) => Automerge.splice(d, ['text'], index, count));
  }

  /** Makes the text equal `text` with a minimal change. */
  replace(text: string): void {
    this.edit((d) => Automerge.updateText(d, ['text'], text));
  }

  /** Shares the caret (and optionally a selection) as Automerge cursors, which survive concurrent edits. */
  setCursor(index: number, selection?: { anchor: number; head: number }): void {
    if (!this.isReady) return;
    const cursor = Automerge.getCursor(this.doc, ['text'], index);
    const ranges = selection ? [{ anchor: Automerge.getCursor(this.doc, ['text'], selection.anchor), head: Automerge.getCursor(this.doc, ['text'], selection.head) }] : [];
    this.transport.sendCursor(this.fileId, cursor, ranges);
  }

  cursors(): RemoteCursor[] {
    return [...this.remoteCursors.values()].map((c) => ({ ...c, index: this.resolve(c.cursor), selections: this.resolveRanges(c.ranges) }));
  }

  /** Internal: a sync message from the gateway. */
  receiveSync(message: Uint8Array): void {
    const before = this.text;
    [this.doc, this.syncState] = Automerge.receiveSyncMessage(this.doc, this.syncState, message);
    if (this.isReady) this.markReady();
    this.flush();
    if (this.text !== before) for (const l of this.listeners.change) l(this.text);
  }

  /** Internal: the connection was (re)established; sync starts afresh and offline edits go out. */
  resetSync(): void {
    this.syncState = Automerge.initSyncState();
    this.flush();
  }

  /** Internal: cursor updates from the gateway. */
  receiveCursors(cursors: readonly CursorState[]): void {
    for (const c of cursors) {
      if (c.userId === this.selfUserId) continue;
      if (c.cursor === null && c.ranges.length === 0) this.remoteCursors.delete(c.userId);
      else this.remoteCursors.set(c.userId, c);
    }
    const resolved = this.cursors();
    for (const l of this.listeners.cursors) l(resolved);
  }

  /** Internal: the gateway refused our changes. */
  refused(code: string, message: string): void {
    for (const l of this.listeners.refused) l({ code, message });
  }

  private edit(change: (d: TextDoc) => void): void {
    if (!this.isReady) throw new Error('The document has not loaded yet: await doc.ready first');
    const before = this.text;
    this.doc = Automerge.change(this.doc, change);
    this.flush();
    if (this.text !== before) for (const l of this.listeners.change) l(this.text);
  }

  private flush(): void {
    const [syncState, message] = Automerge.generateSyncMessage(this.doc, this.syncState);
    if (!message) return;
    // Only a message that left counts as sent; offline, the state is reset on reconnect anyway.
    if (this.transport.sendSync(this.fileId, message)) this.syncState = syncState;
  }

  private resolveRanges(ranges: readonly { anchor: string; head: string }[]): { from: number; to: number }[] {
    const resolved: { from: number; to: number }[] = [];
    for (const range of ranges) {
      const anchor = this.resolve(range.anchor);
      const head = this.resolve(range.head);
      if (anchor === null || head === null) continue;
      resolved.push({ from: Math.min(anchor, head), to: Math.max(anchor, head) });
    }
    return resolved;
  }

  private resolve(cursor: string | null): number | null {
    if (cursor === null || !this.isReady) return null;
    try {
      return Automerge.getCursorPosition(this.doc, ['text'], cursor);
    } catch {
      return null;
    }
  }
}
