/**
 * The server-side copy of one open file and the peers editing it. Incoming sync messages are
 * applied in arrival order; the new changes reach the other peers in the same turn and are stored
 * in batches (one `DocumentChanged` per author per flush window). Viewers and members locked out
 * of the file have their changes stripped and are told so (once, until the peer reopens the file or
 * its permissions change: a client rolls back on the first refusal, so one notice is enough).
 * Lock and role changes reach every peer at once as a permissions frame; each stored batch is
 * acknowledged to the connections whose changes it holds, with the event's position.
 *
 * Fan-out (issue 19): a peer is *live* once it has everything this copy has. New changes go to
 * every live peer as one sync message, encoded once and written as it is; the Automerge sync
 * protocol runs per peer only for peers that are joining, behind or that lost track (a message
 * asking for changes, starting from scratch, or naming heads we lack). A live peer's answer to an
 * update (its heads, no changes) needs no reply and costs no Automerge call beyond reading it;
 * collab-client answers updates late (with its next own change, or one answer after a short while),
 * so a live peer's heads here may lag: nothing below needs them current for a live peer.
 */
import { mayEditFiles, mayEditFile, type ProjectRole } from '@resoft/domain';
import { inSpan } from '@resoft/infra';
import { fastChangeHash, summarizeSyncMessage, type LiveTextDocument, type PeerSyncState, type TextDocument, withoutChanges } from '@resoft/documents';
import { encodeFrame, type Connection } from '../connection.js';
import { encodeSyncFrame, type CursorState } from '../protocol/protocol.js';

interface Peer {
  sync: PeerSyncState;
  /** Has everything this copy has (up to updates in flight to it): receives the shared update message. */
  live: boolean;
  role: ProjectRole;
  /** Whether this peer was already told its changes are refused (cleared when its permissions change). */
  refusedNotified: boolean;
}

/** One author's changes waiting for the next flush, and the connections they came from (to acknowledge). */
interface PendingBatch {
  readonly changes: Uint8Array[];
  readonly connections: Set<Connection>;
}

export type PermissionReason = 'locked' | 'unlocked' | 'role_changed' | 'removed';

export interface DocumentSink {
  /** Stores one author's changes; rejects when the command side refuses them. */
  store(userId: string, changes: Uint8Array[]): Promise<{ position: number }>;
  /** Tells other gateway instances about new changes or cursors (fire and forget). */
  share(message: SharedDocumentMessage): void;
}

export type SharedDocumentMessage =
  | { kind: 'changes'; changes: string[] }
  | { kind: 'cursors'; cursors: CursorState[] };

export class OpenDocument {
  private readonly peers = new Map<Connection, Peer>();
  private readonly pending = new Map<string, PendingBatch>();
  /** Cursors by connection id (local) or `<instance>:<connection>` (remote). */
  private readonly cursors = new Map<string, CursorState>();
  private readonly dirtyCursors = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private storing: Promise<void> = Promise.resolve();
  /**
   * Set when Automerge failed part-way through a peer's changes: its copy may then hold a change
   * without its ops, and later reads of it fail. Until `reload` brings the stored document, the
   * copy is not touched: peers' messages are dropped (their sync restarts after the reload).
   */
  private recovering = false;

  constructor(
    readonly fileId: string,
    readonly projectId: string,
    public path: string,
    public lockedBy: string | null,
    private readonly doc: LiveTextDocument,
    private readonly sink: DocumentSink,
    private readonly flushMs: number,
    private readonly onRefused: (connection: Connection, code: string, message: string) => void,
    private readonly onStoreFailed: (userId: string, error: unknown) => void,
    /** Automerge failed on a peer's message (see `recovering`): the owner reloads the stored document. */
    private readonly onBroken: () => void = () => undefined,
  ) {}

  get text(): string {
    return this.doc.text;
  }

  get peerCount(): number {
    return this.peers.size;
  }

  connections(): Connection[] {
    return [...this.peers.keys()];
  }

  canEdit(userId: string, role: ProjectRole): boolean {
    return mayEditFile({ role, userId, lockedBy: this.lockedBy });
  }

  addPeer(connection: Connection, role: ProjectRole): void {
    this.peers.set(connection, { sync: this.doc.newPeer(), live: false, role, refusedNotified: false });
    this.syncPeer(connection);
    const cursors = [...this.cursors.values()];
    if (cursors.length > 0) connection.send({ type: 'collaboration:cursor_update', fileId: this.fileId, cursors });
  }

  /** The file was locked or unlocked: every peer learns what it may do now. */
  setLock(lockedBy: string | null): void {
    if (lockedBy === this.lockedBy) return;
    this.lockedBy = lockedBy;
    for (const connection of this.peers.keys()) this.sendPermissions(connection, lockedBy ? 'locked' : 'unlocked');
  }

  removePeer(connection: Connection): void {
    const peer = this.peers.get(connection);
    if (!peer) return;
    this.peers.delete(connection);
    this.doc.releasePeer(peer.sync);
    // A null cursor tells the others to remove it; it is dropped after that flush.
    if (this.cursors.has(connection.id)) this.setCursor(connection.id, { fileId: this.fileId, connectionId: connection.id, userId: connection.user.id, username: connection.user.username, color: connection.color, cursor: null, ranges: [] });
  }

  setRole(userId: string, role: ProjectRole | null): void {
    for (const [connection, peer] of this.peers) {
      if (connection.user.id !== userId) continue;
      if (role === null) {
        connection.send({ type: 'collaboration:permissions', fileId: this.fileId, projectId: this.projectId, canEdit: false, lockedBy: this.lockedBy, role: null, reason: 'removed' });
        this.peers.delete(connection);
        this.doc.releasePeer(peer.sync);
      } else {
        peer.role = role;
        this.sendPermissions(connection, 'role_changed');
      }
    }
  }

  private sendPermissions(connection: Connection, reason: PermissionReason): void {
    const peer = this.peers.get(connection);
    if (!peer) return;
    peer.refusedNotified = false;
    connection.send({ type: 'collaboration:permissions', fileId: this.fileId, projectId: this.projectId, canEdit: this.canEdit(connection.user.id, peer.role), lockedBy: this.lockedBy, role: peer.role, reason });
  }

  /** A peer's sync message: apply what it may change, reply when the peer needs it, and pass new changes on. Throws on bytes that are not a sync message. */
  receive(connection: Connection, message: Uint8Array): void {
    const peer = this.peers.get(connection);
    if (!peer || this.recovering) return;
    const summary = summarizeSyncMessage(message);
    if (!summary) throw new RangeError('not an Automerge sync message');
    // Decoding costs as much as applying, so only messages from members who may not edit are opened.
    if (summary.changes > 0 && !this.canEdit(connection.user.id, peer.role)) {
      const stripped = withoutChanges(message);
      const locked = mayEditFiles(peer.role);
      if (!peer.refusedNotified) this.onRefused(connection, locked ? 'file_locked' : 'read_only', locked ? 'The file is locked by another member: your changes were not applied' : 'You can view this file but not change it: your changes were not applied');
      peer.refusedNotified = true;
      message = stripped;
    }
    if (peer.live && summary.changes === 0 && summary.need === 0 && !summary.fromScratch) {
      // An acknowledgement of an update (heads we know, nothing asked): no answer, no Automerge call.
      if (this.doc.hasChanges(summary.heads)) return;
      // Heads we lack: the peer holds changes it did not send; the protocol asks for them.
      peer.live = false;
    }
    if (peer.live && (summary.need > 0 || summary.fromScratch)) this.restartSync(peer);
    let fresh: Uint8Array[];
    try {
      fresh = this.doc.receive(peer.sync, message);
    } catch (error) {
      // A message can decode and still carry a change Automerge cannot apply (an op on an object it
      // never had); Automerge then fails half-way and its copy cannot be trusted any more.
      this.recovering = true;
      this.onBroken();
      throw error;
    }
    if (fresh.length > 0) {
      // The live peers first: nothing below changes what they are sent, and each step before the writes delays every one of them.
      this.fanOut(fresh, connection);
      const mine = this.pending.get(connection.user.id) ?? { changes: [], connections: new Set<Connection>() };
      mine.changes.push(...fresh);
      mine.connections.add(connection);
      this.pending.set(connection.user.id, mine);
      this.sink.share({ kind: 'changes', changes: fresh.map((c) => Buffer.from(c).toString('base64')) });
      this.scheduleFlush();
    }
    // Heads we still lack after its changes: the peer holds more than it sent.
    if (peer.live && !this.doc.hasChanges(summary.heads)) peer.live = false;
    if (peer.live) {
      connection.sendBinary(encodeSyncFrame(this.fileId, this.doc.replyMessage(summary.heads)));
      return;
    }
    this.syncPeer(connection);
    // Live once it has, or has been sent, everything here (while others type, its heads rarely match ours exactly).
    if (!peer.live && summary.need === 0 && this.doc.hasChanges(summary.heads) && (sameHeads(summary.heads, this.doc.heads()) || this.doc.sentEverything(peer.sync))) peer.live = true;
  }

  /** Changes that reached this gateway another way (stored by another writer, or shared by another instance). */
  applyExternal(changes: readonly Uint8Array[]): void {
    // While recovering, stored changes come with the reload; the peers' resync brings the others.
    if (this.recovering) return;
    const missing = changes.filter((c) => !this.doc.hasChanges([fastChangeHash(c)]));
    if (missing.length === 0) return;
    const fresh = this.doc.apply(missing);
    if (fresh.length > 0) this.fanOut(fresh, null);
  }

  /** New changes: one encoded update for every live peer, the sync protocol for the others. */
  private fanOut(fresh: readonly Uint8Array[], from: Connection | null): void {
    let update: Uint8Array | null = null;
    for (const [connection, peer] of this.peers) {
      if (connection === from) continue;
      if (!peer.live) {
        this.syncPeer(connection);
        continue;
      }
      update ??= encodeSyncFrame(this.fileId, this.doc.updateMessage(fresh));
      connection.sendBinary(update);
    }
  }

  /** Forgets what the peer was sent: the protocol starts again from what its next message says it has. */
  private restartSync(peer: Peer): void {
    this.doc.releasePeer(peer.sync);
    peer.sync = this.doc.newPeer();
    peer.live = false;
  }

  cursorOf(connectionId: string): CursorState | null {
    return this.cursors.get(connectionId) ?? null;
  }

  /**
   * Replaces the gateway's copy with `stored` (the document as the event store has it) after the
   * command side refused to store changes the gateway had already applied and passed on (a lock or
   * role change it had not heard of yet). Keeping them would make every later change depend on one
   * that is not stored. Every peer's sync restarts: a peer that holds the refused changes and may
   * edit sends them again (so nothing is lost; they are stored as that peer's), their author is
   * told `not_stored` and rolls back.
   */
  reload(stored: TextDocument): void {
    this.doc.replace(stored);
    this.recovering = false;
    for (const [connection, peer] of this.peers) {
      this.restartSync(peer);
      this.syncPeer(connection);
    }
  }

  /** Frees the Automerge copy and the peers' sync states (the document was unloaded). */
  release(): void {
    for (const peer of this.peers.values()) this.doc.releasePeer(peer.sync);
    this.peers.clear();
    this.doc.release();
  }

  /** A local peer's cursor or selection, sent to everyone at the next flush. */
  setCursor(key: string, cursor: CursorState): void {
    this.cursors.set(key, cursor);
    this.dirtyCursors.add(key);
    this.scheduleFlush();
  }

  /** Cursors shared by another instance: shown to local peers at once. */
  applyRemoteCursors(instance: string, cursors: readonly CursorState[]): void {
    for (const cursor of cursors) {
      const key = `${instance}:${cursor.connectionId}`;
      if (cursor.cursor === null && cursor.ranges.length === 0) this.cursors.delete(key);
      else this.cursors.set(key, cursor);
    }
    if (this.peers.size === 0) return;
    const frame = encodeFrame({ type: 'collaboration:cursor_update', fileId: this.fileId, cursors: [...cursors] });
    for (const connection of this.peers.keys()) connection.sendEncoded(frame);
  }

  /** Stores and broadcasts whatever is pending now; resolves when stored. */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.dirtyCursors.size > 0) {
      const cursors = [...this.dirtyCursors].map((key) => this.cursors.get(key)).filter((c): c is CursorState => c !== undefined);
      this.dirtyCursors.clear();
      // Encoded once for everyone; a sender does not get its own cursor back (it knows where it
      // is), so the few connections whose cursor moved get the list without theirs.
      const movers = new Set(cursors.map((c) => c.connectionId));
      const shared = encodeFrame({ type: 'collaboration:cursor_update', fileId: this.fileId, cursors });
      for (const connection of this.peers.keys()) {
        if (!movers.has(connection.id)) {
          connection.sendEncoded(shared);
          continue;
        }
        const others = cursors.filter((c) => c.connectionId !== connection.id);
        if (others.length > 0) connection.send({ type: 'collaboration:cursor_update', fileId: this.fileId, cursors: others });
      }
      this.sink.share({ kind: 'cursors', cursors });
      for (const [key, cursor] of this.cursors) if (cursor.cursor === null && cursor.ranges.length === 0) this.cursors.delete(key);
    }
    const batches = [...this.pending];
    this.pending.clear();
    for (const [userId, batch] of batches) {
      // A flush starts its own trace; the DocumentChanged events it appends carry it to the projectors.
      const store = () => inSpan('document flush', { parent: null, attributes: { 'resoft.file_id': this.fileId, 'resoft.changes': batch.changes.length } }, () => this.sink.store(userId, batch.changes));
      this.storing = this.storing.then(async () => {
        try {
          const { position } = await store();
          const hashes = batch.changes.map(fastChangeHash);
          for (const connection of batch.connections) {
            if (this.peers.has(connection)) connection.send({ type: 'collaboration:stored', fileId: this.fileId, position, changes: hashes });
          }
        } catch (error) {
          this.onStoreFailed(userId, error);
        }
      });
    }
    await this.storing;
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  private syncPeer(connection: Connection): void {
    const peer = this.peers.get(connection);
    if (!peer || this.recovering) return;
    // One message per round: the protocol continues when the peer answers.
    const message = this.doc.generate(peer.sync);
    if (message) connection.sendBinary(encodeSyncFrame(this.fileId, message));
  }
}

function sameHeads(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sorted = [...b].sort();
  return [...a].sort().every((hash, i) => hash === sorted[i]);
}
