/**
 * A file open through the collaboration client: a local Automerge document kept in sync with the
 * gateway's copy. Edits apply locally at once and sync when connected; edits made offline merge
 * when the connection returns. Remote cursors are resolved against the local text.
 *
 * A change the gateway refuses (the file was locked, the user became a viewer) never stays in the
 * document: the client reopens the file with a fresh document, so it holds exactly what the gateway
 * holds, and keeps the refused changes aside as `unsaved` (their text, to copy; the changes
 * themselves, to re-apply once editing is allowed again; or to discard). Without this, every later
 * change would depend on one the gateway never stored and nothing would reach anyone again.
 *
 * The user's own changes count as saved only once the gateway acknowledged them as stored
 * (`collaboration:stored` names their hashes). Until then they are "pending" and announced as such,
 * so the page can keep them (e.g. in the browser's storage) and offer them again after a reload
 * with `restorePending`: an edit typed offline and never sent survives the page.
 *
 * Updates (the gateway's one message to every peer in sync, see update-message.ts) are answered
 * late: the gateway ignores a peer's answer to them while the peer is in sync, so the answer only
 * keeps the sync protocol's bookkeeping. It goes out with the next own change, or at most
 * `UPDATE_ANSWER_DELAY_MS` after the first unanswered update. Every other message (joining,
 * catching up, a reopen, a reconnect) is answered at once, as the protocol needs.
 *
 * An update's changes are applied to the document at once (`Automerge.applyChanges`, and the page
 * hears `change`); the sync state learns of the update a moment later: once the I/O waiting at
 * the time has been handled (`settleSoon`), and in any case before the next message goes out (the
 * late answer, an own change) or another comes in. The waiting updates then go through
 * `receiveSyncMessage` as one merged message (sync-batch.ts) whose changes are already here, which
 * leaves the sync state where receiving each update had left it (the changes are skipped as known;
 * heads, `have` and the sent changes are taken from the message as before). The page sees an
 * update after one Automerge apply; the sync state's copy into WebAssembly and back and the
 * protocol's bookkeeping come after, once for all the updates that arrived together. The gateway's
 * reply to an own change (`replyHeads`) waits the same way when it names exactly our heads: the
 * gateway then has everything we have and we have everything it has, so there is nothing to
 * apply and nothing to answer.
 */
import * as Automerge from '@automerge/automerge/next';
import type { CursorState, ProjectRoleName, ServerFrame } from '@resoft/contracts/socket';
import { mergeSyncMessages } from './sync-batch.js';
import { readUpdate, replyHeads } from './update-message.js';

/**
 * How long a replica in sync waits before answering the gateway's updates (see `answerLater`):
 * at most one answer per this many milliseconds, and none when an own change goes out first.
 */
export const UPDATE_ANSWER_DELAY_MS = 1000;

type TextDoc = { text: string };
type Listener<T> = (value: T) => void;
type Permissions = Extract<ServerFrame, { type: 'collaboration:permissions' }>;
type Opened = Extract<ServerFrame, { type: 'collaboration:opened' }>;

export interface RemoteCursor extends CursorState {
  /** The cursor's current index in the local text, or null when it cannot be placed yet. */
  readonly index: number | null;
  /** The cursor's selected ranges in the local text (from <= to), leaving out any that cannot be placed yet. */
  readonly selections: readonly { from: number; to: number }[];
}

/** Edits the gateway refused, kept out of the document until the user decides what to do with them. */
export interface UnsavedEdits {
  /** Why they were refused (`file_locked`, `read_only`, …). */
  readonly code: string;
  /** The text as the user had it, with the refused edits. */
  readonly text: string;
  /** The refused Automerge changes, re-applicable on top of the current document. */
  readonly changes: readonly Uint8Array[];
}

/** Own changes that became pending (made, not yet acknowledged as stored) or stopped being pending (stored, or refused and moved to `unsaved`). */
export interface PendingUpdate {
  readonly added: readonly { readonly hash: string; readonly change: Uint8Array }[];
  readonly removed: readonly string[];
}

export interface DocumentTransport {
  sendSync(fileId: string, message: Uint8Array): boolean;
  /** Sends the caret; `ranges` (null: unchanged) replaces the selections. */
  sendCursor(fileId: string, cursor: string, ranges: { anchor: string; head: string }[] | null): void;
  /** Closes and reopens the file on the gateway: the answer to the reopen resets the document (see `opened`). */
  reopen(document: ClientDocument): void;
}

export class ClientDocument {
  canEdit = false;
  path = '';
  lockedBy: string | null = null;
  role: ProjectRoleName | null = null;
  /** Edits the gateway refused, waiting for the user (copy, re-apply or discard). */
  unsaved: UnsavedEdits | null = null;
  /** Position of the latest `DocumentChanged` holding this client's changes (an HTTP `?after=` read sees them). */
  storedPosition = 0;
  readonly ready: Promise<void>;
  private doc: Automerge.Doc<TextDoc> = Automerge.init<TextDoc>();
  private syncState = Automerge.initSyncState();
  /** While rolling back: the document as the user had it, shown and edited until the gateway's copy has arrived. */
  private before: Automerge.Doc<TextDoc> | null = null;
  private refusedCode = '';
  /** True between the refusal and the reopen's answer: sync frames of the old session are ignored. */
  private awaitingReopen = false;
  private hadSelection = false;
  /** Own changes not yet acknowledged as stored, by hash. */
  private readonly unacked = new Map<string, Uint8Array>();
  /** After a (re)open: the changes pending then, confirmed once the gateway's copy holds them (their ack went to an earlier connection). */
  private confirmOnSync: Set<string> | null = null;
  private readonly remoteCursors = new Map<string, CursorState>();
  /** Sync messages queued by `queueSync`, applied together before anything else reads or changes the document. */
  private queued: Uint8Array[] = [];
  /** The text of the last document version read: each read of `doc.text` copies the whole text out of Automerge, and one remote change reads it several times. */
  private lastText: { doc: Automerge.Doc<TextDoc>; text: string | undefined } | null = null;
  /** Updates whose changes are in the document but not yet in the sync state (see the module comment and `settleSync`). */
  private unsettled: Uint8Array[] = [];
  /** Set while updates wait for their answer (see `answerLater`). */
  private answerTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = {
    change: new Set<Listener<string>>(),
    cursors: new Set<Listener<RemoteCursor[]>>(),
    refused: new Set<Listener<{ code: string; message: string }>>(),
    permissions: new Set<Listener<Permissions>>(),
    unsaved: new Set<Listener<UnsavedEdits | null>>(),
    stored: new Set<Listener<number>>(),
    pending: new Set<Listener<PendingUpdate>>(),
    opened: new Set<Listener<Opened>>(),
  };
  private markReady!: () => void;

  constructor(
    readonly projectId: string,
    readonly fileId: string,
    /** This client's connection id (it changes on reconnect): its own cursor is never drawn. */
    private readonly selfConnection: () => string,
    private readonly transport: DocumentTransport,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  get text(): string {
    this.applyQueued();
    return this.textOf(this.before ?? this.doc) ?? '';
  }

  get isReady(): boolean {
    return this.textOf(this.doc) !== undefined;
  }

  /** True while refused edits are being taken out of the document. */
  get rollingBack(): boolean {
    return this.before !== null;
  }

  /** True when every local change is stored: sent, and acknowledged with `collaboration:stored` (not just received by the gateway). */
  get synced(): boolean {
    this.applyQueued();
    this.settleSync();
    return !this.rollingBack && this.unacked.size === 0 && Automerge.hasOurChanges(this.doc, this.syncState);
  }

  /** Own changes not yet acknowledged as stored (what a page keeps to survive a reload). */
  get pendingChanges(): Uint8Array[] {
    return [...this.unacked.values()];
  }

  get heads(): string[] {
    this.applyQueued();
    return Automerge.getHeads(this.doc);
  }

  on(event: 'change', listener: Listener<string>): () => void;
  on(event: 'cursors', listener: Listener<RemoteCursor[]>): () => void;
  on(event: 'refused', listener: Listener<{ code: string; message: string }>): () => void;
  on(event: 'permissions', listener: Listener<Permissions>): () => void;
  on(event: 'unsaved', listener: Listener<UnsavedEdits | null>): () => void;
  on(event: 'stored', listener: Listener<number>): () => void;
  /** Own changes became pending or stopped being pending (see PendingUpdate). */
  on(event: 'pending', listener: Listener<PendingUpdate>): () => void;
  /** The gateway (re)opened the file (after a reconnect the lock or role may have changed meanwhile). */
  on(event: 'opened', listener: Listener<Opened>): () => void;
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
    this.applyQueued();
    if (!this.isReady || this.rollingBack) return;
    const cursor = Automerge.getCursor(this.doc, ['text'], index);
    const ranges = selection ? [{ anchor: Automerge.getCursor(this.doc, ['text'], selection.anchor), head: Automerge.getCursor(this.doc, ['text'], selection.head) }] : [];
    // The selection is sent only when there is one, or to clear the one there was.
    this.transport.sendCursor(this.fileId, cursor, ranges.length > 0 || this.hadSelection ? ranges : null);
    this.hadSelection = ranges.length > 0;
  }

  cursors(): RemoteCursor[] {
    this.applyQueued();
    return [...this.remoteCursors.values()].map((c) => ({ ...c, index: this.resolve(c.cursor), selections: this.resolveRanges(c.ranges) }));
  }

  /** Re-applies the refused edits on top of the current text (they merge with what others wrote since). */
  reapplyUnsaved(): void {
    this.applyQueued();
    const unsaved = this.unsaved;
    if (!unsaved || !this.isReady || this.rollingBack) return;
    const before = this.text;
    [this.doc] = Automerge.applyChanges(this.doc, [...unsaved.changes]);
    this.addPending(unsaved.changes);
    this.setUnsaved(null);
    this.flush();
    if (this.text !== before) this.emit('change', this.text);
  }

  /** Offers edits refused in an earlier session (kept by the UI across a reload), unless some are offered already. */
  restoreUnsaved(unsaved: UnsavedEdits): void {
    if (!this.unsaved) this.setUnsaved(unsaved);
  }

  /**
   * Takes back own changes that were pending when the page went away (kept by the UI across a
   * reload): those the gateway's copy already holds are done; the others are applied and sent (a
   * refusal then moves them to `unsaved`, as for any refused edit). Call once the document is ready.
   */
  restorePending(changes: readonly Uint8Array[]): void {
    this.applyQueued();
    if (changes.length === 0 || !this.isReady || this.rollingBack) return;
    const held: string[] = [];
    const missing: Uint8Array[] = [];
    for (const change of changes) {
      const hash = Automerge.decodeChange(change).hash;
      if (this.unacked.has(hash)) continue;
      if (Automerge.hasHeads(this.doc, [hash])) held.push(hash);
      else missing.push(change);
    }
    if (held.length > 0) this.emit('pending', { added: [], removed: held } satisfies PendingUpdate);
    if (missing.length === 0) return;
    const before = this.text;
    [this.doc] = Automerge.applyChanges(this.doc, missing);
    this.addPending(missing);
    this.flush();
    if (this.text !== before) this.emit('change', this.text);
  }

  discardUnsaved(): void {
    this.setUnsaved(null);
  }

  /**
   * Internal: a sync message from the gateway, applied with the others that arrive in the same
   * turn (see sync-batch.ts) at the end of it, or before anything reads or changes the document.
   */
  queueSync(message: Uint8Array): void {
    if (this.queued.push(message) === 1) queueMicrotask(() => this.applyQueued());
  }

  /** Internal: a sync message from the gateway, applied at once. */
  receiveSync(message: Uint8Array): void {
    this.applyQueued();
    this.applySync(message);
  }

  private applyQueued(): void {
    if (this.queued.length === 0) return;
    const messages = this.queued;
    this.queued = [];
    for (const message of mergeSyncMessages(messages)) this.applySync(message);
  }

  private applySync(message: Uint8Array): void {
    if (this.awaitingReopen) return;
    // In sync (not loading, rolling back or confirming after a reconnect): an update's changes go straight into the document.
    const inSync = this.isReady && !this.before && !this.confirmOnSync;
    const update = inSync ? readUpdate(message) : null;
    if (update) return this.applyUpdate(message, update.heads, update.changes);
    // The gateway's reply to an own change, naming exactly our heads: nothing to apply and nothing to answer now.
    const reply = inSync ? replyHeads(message) : null;
    if (reply && sameHeadSet(reply, Automerge.getHeads(this.doc))) return this.settleSoon(message);
    this.settleSync();
    const before = this.text;
    [this.doc, this.syncState] = Automerge.receiveSyncMessage(this.doc, this.syncState, message);
    if (this.isReady) {
      this.markReady();
      if (this.before) this.finishRollback();
    }
    this.confirmHeld();
    // The page shows the new text before the answer to the gateway is made and sent (an Automerge
    // call of its own): a remote edit reaches the screen that much sooner.
    if (this.text !== before) this.emit('change', this.text);
    this.flush();
  }

  /** An update while in sync: its changes now, its effect on the sync state later (see the module comment). */
  private applyUpdate(message: Uint8Array, heads: readonly string[], changes: Uint8Array[]): void {
    const before = this.text;
    [this.doc] = Automerge.applyChanges(this.doc, changes);
    this.settleSoon(message);
    if (this.text !== before) this.emit('change', this.text);
    // An update that left us with the gateway's heads (nothing it lacks): the answer would only name them.
    if (sameHeadSet(heads, Automerge.getHeads(this.doc))) this.answerLater();
    else this.flush();
  }

  /**
   * Keeps a message for the sync state, which receives it after the messages that arrived with it
   * (other sockets, other documents) have been read, so their text is shown first, and in any
   * case before the next message goes out (`flush`) or comes in.
   */
  private settleSoon(message: Uint8Array): void {
    if (this.unsettled.push(message) > 1) return;
    afterIo(() => this.settleSync());
  }

  /** Lets the sync state receive the updates already applied to the document (one merged message; their changes are skipped as known). */
  private settleSync(): void {
    if (this.unsettled.length === 0) return;
    const messages = mergeSyncMessages(this.unsettled);
    this.unsettled = [];
    for (const message of messages) [this.doc, this.syncState] = Automerge.receiveSyncMessage(this.doc, this.syncState, message);
  }

  /**
   * Answers the updates received since the last message sent, later: with the next own change (any
   * `flush` cancels this), or after `UPDATE_ANSWER_DELAY_MS`. A room's updates arrive many times a
   * second; answering each at once cost every replica an Automerge call and the gateway a frame to
   * read per peer per edit, for an answer it does not use.
   */
  private answerLater(): void {
    this.answerTimer ??= setTimeout(() => {
      this.answerTimer = null;
      this.applyQueued();
      this.flush();
    }, UPDATE_ANSWER_DELAY_MS);
    // In Node, a late answer alone does not keep the process alive (a browser's timer is a number).
    (this.answerTimer as { unref?: () => void }).unref?.();
  }

  /** Internal: the file was closed here (or the client closed): a late answer would reach a gateway that no longer has it open. */
  detach(): void {
    if (this.answerTimer) clearTimeout(this.answerTimer);
    this.answerTimer = null;
  }

  /** Internal: the gateway answered an open (first open, reopen after a refusal, or after a reconnect). */
  opened(frame: Opened): void {
    this.applyQueued();
    this.canEdit = frame.canEdit;
    this.path = frame.path;
    this.lockedBy = frame.lockedBy;
    if (this.awaitingReopen) {
      // Start again from nothing: the gateway sends its whole copy, which holds only accepted changes.
      this.awaitingReopen = false;
      this.doc = Automerge.init<TextDoc>();
      this.unsettled = [];
    } else if (this.unacked.size > 0) {
      // A reconnect: acks for changes stored through the old connection were lost with it.
      this.confirmOnSync = new Set(this.unacked.keys());
    }
    this.resetSync();
    this.emit('opened', frame);
  }

  /** Internal: the connection was (re)established; sync starts afresh and offline edits go out. */
  resetSync(): void {
    this.applyQueued();
    // Their changes are in the document; a fresh sync state learns what the gateway has from its next message.
    this.unsettled = [];
    this.syncState = Automerge.initSyncState();
    this.flush();
  }

  /** Internal: cursor updates from the gateway. */
  receiveCursors(cursors: readonly CursorState[]): void {
    for (const c of cursors) {
      if (c.connectionId === this.selfConnection()) continue;
      if (c.cursor === null && c.ranges.length === 0) this.remoteCursors.delete(c.connectionId);
      else this.remoteCursors.set(c.connectionId, c);
    }
    // Resolving every cursor costs an Automerge call each: only when someone listens.
    if (this.listeners.cursors.size > 0) this.emit('cursors', this.cursors());
  }

  /** Internal: what this connection may do changed (lock, unlock, role, removal). */
  permissions(frame: Permissions): void {
    this.canEdit = frame.canEdit;
    this.lockedBy = frame.lockedBy;
    this.role = frame.role;
    this.emit('permissions', frame);
  }

  /** Internal: the gateway stored changes of this connection (`changes`: their hashes). */
  stored(position: number, changes: readonly string[] = []): void {
    this.storedPosition = Math.max(this.storedPosition, position);
    const removed = changes.filter((hash) => this.unacked.delete(hash));
    if (removed.length > 0) this.emit('pending', { added: [], removed } satisfies PendingUpdate);
    this.emit('stored', this.storedPosition);
  }

  /** Internal: the gateway refused our changes: take them out of the document (see the module comment). */
  refused(code: string, message: string): void {
    this.applyQueued();
    this.emit('refused', { code, message });
    if (this.rollingBack || !this.isReady) return;
    this.before = this.doc;
    this.refusedCode = code;
    this.awaitingReopen = true;
    this.transport.reopen(this);
  }

  private finishRollback(): void {
    let mine = this.before!;
    this.before = null;
    // Pending changes are now either in the gateway's copy (accepted) or among the refused ones (unsaved).
    this.confirmOnSync = null;
    if (this.unacked.size > 0) {
      const removed = [...this.unacked.keys()];
      this.unacked.clear();
      this.emit('pending', { added: [], removed } satisfies PendingUpdate);
    }
    // Edits refused earlier and not dealt with yet stay offered, together with the new ones.
    if (this.unsaved) [mine] = Automerge.applyChanges(Automerge.clone(mine), [...this.unsaved.changes]);
    const refused = Automerge.getAllChanges(mine).filter((change) => !Automerge.hasHeads(this.doc, [Automerge.decodeChange(change).hash]));
    // Nothing refused after all (another peer had them stored): listeners still learn the rollback ended.
    if (refused.length === 0) return this.emit('unsaved', this.unsaved);
    this.setUnsaved({ code: this.refusedCode, text: typeof mine.text === 'string' ? mine.text : '', changes: refused });
  }

  private setUnsaved(unsaved: UnsavedEdits | null): void {
    this.unsaved = unsaved;
    this.emit('unsaved', unsaved);
  }

  private edit(change: (d: TextDoc) => void): void {
    this.applyQueued();
    if (this.before) {
      // Typed while rolling back: kept with the refused edits, never lost.
      const before = this.text;
      this.before = Automerge.change(this.before, change);
      if (this.text !== before) this.emit('change', this.text);
      return;
    }
    if (!this.isReady) throw new Error('The document has not loaded yet: await doc.ready first');
    const before = this.text;
    const changed = Automerge.change(this.doc, change);
    // Automerge answers the same document when the edit made no change.
    if (changed === this.doc) return;
    this.doc = changed;
    // Sent first: the others see the edit sooner; its bookkeeping (pending, the page's `change`) follows in the same turn.
    this.flush();
    const made = Automerge.getLastLocalChange(this.doc);
    if (made) this.addPending([made]);
    if (this.text !== before) this.emit('change', this.text);
  }

  private textOf(doc: Automerge.Doc<TextDoc>): string | undefined {
    if (this.lastText?.doc !== doc) this.lastText = { doc, text: typeof doc.text === 'string' ? doc.text : undefined };
    return this.lastText.text;
  }

  private addPending(changes: readonly Uint8Array[]): void {
    const added = changes.map((change) => ({ hash: Automerge.decodeChange(change).hash, change }));
    for (const { hash, change } of added) this.unacked.set(hash, change);
    this.emit('pending', { added, removed: [] } satisfies PendingUpdate);
  }

  /** After a reconnect: the changes pending then that the gateway's copy holds are stored (or their author hears `not_stored`). */
  private confirmHeld(): void {
    if (!this.confirmOnSync) return;
    this.settleSync();
    if (!Automerge.hasOurChanges(this.doc, this.syncState)) return;
    const removed = [...this.confirmOnSync].filter((hash) => this.unacked.delete(hash));
    this.confirmOnSync = null;
    if (removed.length > 0) this.emit('pending', { added: [], removed } satisfies PendingUpdate);
  }

  private emit(event: keyof ClientDocument['listeners'], value: unknown): void {
    for (const l of this.listeners[event] as Set<Listener<unknown>>) l(value);
  }

  private flush(): void {
    // Whatever goes out now names our heads: it answers any updates waiting for an answer.
    this.detach();
    if (this.awaitingReopen) return;
    this.settleSync();
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

/** Runs `fn` once the I/O events waiting now have been handled (Node's `setImmediate`; a zero timeout in a browser). */
const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
const afterIo = (fn: () => void): void => void (immediate ? immediate(fn) : setTimeout(fn, 0));

function sameHeadSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((h) => b.includes(h));
}
