/**
 * The live side of a project page: the connection to the collaboration gateway (kept retrying
 * while offline), the project's room (presence, following someone; its chat is `RoomChat`),
 * and the open file's document — its text and remote carets, whether this user may edit it and why
 * not (access notices), own edits waiting for the gateway (kept in the browser so a reload keeps
 * them) and refused edits offered again, and the saved / syncing / offline status.
 *
 * It holds no element: what needs the page's DOM (the editor, the chat scroll, toasts, navigation)
 * goes through `SessionView`, so the controller runs against a real gateway in a unit test.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient } from '../api/api-client.js';
import { connectCollaboration, type ClientDocument, type CollabClient } from '../collab/collab-connection.js';
import type { AccessNotice } from '../collab/edit-access-banner.js';
import { PresenceReporter } from '../collab/presence-reporter.js';
import { accessNoticeFor } from '../collab/access-notice.js';
import { loadUnsaved, saveUnsaved } from '../collab/unsaved-store.js';
import { loadPending, recordPending } from '../collab/pending-store.js';
import type { EditorCursor, TextEdit } from '../editor/code-editor.js';
import type { FileVersionsController } from './file-versions-controller.js';
import type { MembersController } from './members-controller.js';
import type { Notify } from './notify.js';
import { RoomChat } from './room-chat.js';
import type { PresenceEntry as ContractPresenceEntry } from '@resoft/contracts/socket';

/** The part of the socket contract's presence entry the page shows. */
export type PresenceEntry = Pick<ContractPresenceEntry, 'userId' | 'username' | 'color' | 'status' | 'viewing' | 'typing'>;

export type SyncStatus = 'saved' | 'syncing' | 'offline';

/** What the session asks of the page's DOM. */
export interface SessionView {
  readonly notify: Notify;
  readonly navigate: (path: string) => void;
  /** Puts a remote change straight into the editor showing the file; false when none shows it yet. */
  showText(text: string): boolean;
  /** Scrolls the editor to a caret (following someone). */
  revealCaret(index: number): void;
  /** The open file is rendered in the editor (the page sets the file's indentation). */
  fileShown(fileId: string): Promise<void>;
  /** The room's chat is shown (the page scrolls to a message an inbox link points at). */
  chatShown(): void;
}

export interface CollabSessionDependencies {
  readonly api: () => ApiClient;
  readonly projectId: () => string;
  readonly fileId: () => string | null;
  readonly selfId: () => string;
  readonly members: MembersController;
  readonly files: FileVersionsController;
  readonly view: SessionView;
  /** The network boundary: opens the gateway client (the page's own server by default). */
  readonly connect?: (api: ApiClient) => CollabClient;
  /** Where pending and unsaved edits survive a reload. */
  readonly storage?: Storage;
  /** The browser's own signal of a cut network (a cut often leaves the socket looking open for a while). */
  readonly isOnline?: () => boolean;
  readonly nextFrame?: (run: () => void) => void;
}

/** Events whose names start so change the file list. */
const FILE_EVENTS = /^File|^Document|^Template/;
/** How often the status badge looks at the connection and the open document. */
const SYNC_POLL_MS = 400;
/** "Editable again" fades after this long; "read-only" stays. */
const EDITABLE_NOTICE_MS = 6000;

export class CollabSessionController implements ReactiveController {
  presence: readonly PresenceEntry[] = [];
  sync: SyncStatus = 'syncing';
  /** The collaborator whose file and caret this user follows, or null. */
  following: string | null = null;
  docText: string | null = null;
  cursors: readonly EditorCursor[] = [];
  canEdit = false;
  lockedBy: string | null = null;
  accessNotice: AccessNotice | null = null;
  unsavedText: string | null = null;
  rollingBack = false;
  /** The file asked to be open (its document may still be on its way). */
  openedFile: string | null = null;
  readonly chat: RoomChat;

  private client: CollabClient | null = null;
  private doc: ClientDocument | null = null;
  private docOff: (() => void)[] = [];
  private clientOff: (() => void)[] = [];
  private reporter: PresenceReporter | null = null;
  private syncTimer: ReturnType<typeof setInterval> | null = null;
  private noticeTimer: ReturnType<typeof setTimeout> | null = null;
  /** A once-per-frame update of the page's text and carets is pending (see receiveText). */
  private framePending = false;
  private cursorsMoved = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly deps: CollabSessionDependencies,
  ) {
    this.chat = new RoomChat(() => this.changed(), deps.view.notify);
    host.addController(this);
  }

  /** The project's room once joined (null before, and after the page left). */
  get roomId(): string | null {
    return this.chat.room;
  }

  hostDisconnected(): void {
    this.teardown();
  }

  /** Connects to the gateway, joins the project's room (created by the first member who may), and reports presence. */
  async connect(): Promise<void> {
    const client = (this.deps.connect ?? connectCollaboration)(this.deps.api());
    this.client = client;
    this.clientOff.push(
      client.on('collaboration:presence', (f) => {
        if (f.roomId !== this.roomId) return;
        this.presence = f.presence;
        this.changed();
        this.followToFile();
      }),
      client.on('collaboration:message', (f) => this.chat.receive(f.kind, f.message)),
      // Mentions are told by the header's inbox (on every page, with a link), not here as well.
      client.on('collaboration:event', (f) => {
        if (f.projectId !== this.deps.projectId()) return;
        if (FILE_EVENTS.test(f.eventType)) void this.deps.files.load().catch(() => undefined);
        if (/^Member/.test(f.eventType)) void this.deps.members.load().catch(() => undefined);
      }),
      client.on('collaboration:user_joined', (f) => {
        if (f.roomId === this.roomId && f.userId !== this.deps.selfId()) {
          const name = this.deps.members.members.find((m) => m.userId === f.userId)?.username ?? 'A member';
          this.deps.view.notify('info', `${name} joined the room`);
        }
      }),
      client.on('collaboration:resync', () => void this.deps.files.load().catch(() => undefined)),
      // A new connection starts with no presence on the gateway: report it again.
      client.on('collaboration:welcome', () => this.reporter?.forget()),
    );
    // The badge follows the connection from the start (offline while a page loaded offline waits).
    this.syncTimer = setInterval(() => this.updateSyncStatus(), SYNC_POLL_MS);
    try {
      // Loaded without a connection: wait for it (the client keeps retrying); the file opens then.
      await client.connect().catch(() => client.connected());
      const projectId = this.deps.projectId();
      const api = this.deps.api();
      const rooms = await api.get<{ items: { id: string; name: string }[] }>(`/api/projects/${projectId}/rooms`);
      let roomId = rooms.items[0]?.id ?? null;
      if (!roomId && this.deps.members.roleOf(this.deps.selfId()) !== 'viewer') roomId = (await api.post<{ id: string }>('/api/collaboration/rooms', { projectId, name: 'General' })).id;
      if (!roomId || this.client !== client) return;
      const joined = await client.join(roomId);
      this.presence = joined.presence;
      this.changed();
      this.reporter = new PresenceReporter((state) => client.setPresence(state.status, { viewing: state.viewing, typing: state.typing }));
      this.reporter.view(this.deps.fileId());
      this.reporter.start();
      await this.chat.open(client, roomId);
      this.deps.view.chatShown();
    } catch (error) {
      this.deps.view.notify('error', `Collaboration is unavailable: ${(error as Error).message}`);
    }
  }

  /** Opens the page's current file (closing the one open before): its text, carets, access and the edits kept for it. */
  async openFile(): Promise<void> {
    const fileId = this.deps.fileId();
    this.openedFile = fileId;
    this.closeDoc();
    if (!fileId || !this.client) return;
    const selfId = this.deps.selfId();
    const storage = this.storage();
    try {
      const doc = await this.client.open(this.deps.projectId(), fileId);
      await doc.ready;
      if (this.openedFile !== fileId) return;
      this.doc = doc;
      this.canEdit = doc.canEdit;
      this.lockedBy = doc.lockedBy;
      this.docText = doc.text;
      this.cursors = toEditorCursors(doc);
      // Refused edits from before a reload or from an earlier visit are offered again.
      const kept = loadUnsaved(storage, selfId, fileId);
      if (kept) doc.restoreUnsaved(kept);
      this.unsavedText = doc.unsaved?.text ?? null;
      this.showAccess(doc.canEdit ? null : accessNoticeFor({ canEdit: false, lockedBy: doc.lockedBy, role: this.myRole(), selfId, names: this.deps.members.names() }));
      this.changed();
      this.docOff.push(
        doc.on('change', (text) => {
          this.receiveText(text);
          this.setRollingBack(doc.rollingBack);
        }),
        // Remote carets are drawn once per frame, however many updates arrive: off the path of remote text.
        doc.on('cursors', () => this.inNextFrame(true)),
        // A lock or role change: the editor turns read-only or editable at once, with a banner saying why.
        doc.on('permissions', (f) => {
          this.canEdit = f.canEdit;
          this.lockedBy = f.lockedBy;
          this.showAccess(accessNoticeFor({ canEdit: f.canEdit, lockedBy: f.lockedBy, role: f.role, selfId, names: this.deps.members.names(), reason: f.reason }));
          void this.deps.files.load().catch(() => undefined);
        }),
        // Locked or read-only refusals are explained by the banner and end in "your unsaved edits"; only other failures toast (once per refusal, not per keystroke).
        doc.on('refused', ({ code, message }) => {
          this.setRollingBack(doc.rollingBack);
          if (code !== 'file_locked' && code !== 'read_only') this.deps.view.notify('error', `Your change was not saved: ${message}`);
        }),
        doc.on('opened', (f) => {
          if (f.canEdit === this.canEdit && f.lockedBy === this.lockedBy) return;
          this.canEdit = f.canEdit;
          this.lockedBy = f.lockedBy;
          this.showAccess(accessNoticeFor({ canEdit: f.canEdit, lockedBy: f.lockedBy, role: this.myRole(), selfId, names: this.deps.members.names(), reason: f.canEdit ? 'unlocked' : 'locked' }));
        }),
        doc.on('unsaved', (unsaved) => {
          saveUnsaved(storage, selfId, fileId, unsaved);
          this.unsavedText = unsaved?.text ?? null;
          this.rollingBack = doc.rollingBack;
          this.changed();
        }),
        // Own edits not stored yet are kept in the browser until the gateway acknowledges them, so a reload (even offline) keeps them.
        doc.on('pending', (update) => recordPending(storage, selfId, fileId, update)),
        doc.on('stored', () => this.updateSyncStatus()),
      );
      // Edits typed before a reload and never stored are sent now (a refusal offers them as unsaved edits).
      doc.restorePending(loadPending(storage, selfId, fileId));
      await this.host.updateComplete;
      this.reporter?.view(fileId);
      this.followToCaret();
      await this.deps.view.fileShown(fileId);
    } catch (error) {
      this.deps.view.notify('error', `Could not open the file: ${(error as Error).message}`);
    }
  }

  /** The user's own edits in the editor, applied to the document. */
  edit(edits: readonly TextEdit[]): void {
    const doc = this.doc;
    if (!doc) return;
    for (const e of edits) {
      if (e.deleteCount > 0) doc.delete(e.index, e.deleteCount);
      if (e.insert) doc.insert(e.index, e.insert);
    }
    // The editor already shows the text: the page's copy follows within a frame.
    this.inNextFrame();
    this.reporter?.typed();
    // Typing takes the user's own way: they stop following someone else.
    this.setFollowing(null);
    this.updateSyncStatus();
  }

  moveCaret(caret: { head: number; anchor: number }): void {
    this.doc?.setCursor(caret.head, caret.anchor !== caret.head ? { anchor: caret.anchor, head: caret.head } : undefined);
  }

  reapplyUnsaved(): void {
    this.doc?.reapplyUnsaved();
  }

  discardUnsaved(): void {
    this.doc?.discardUnsaved();
  }

  follow(userId: string | null): void {
    this.setFollowing(userId);
    this.followToFile();
    this.followToCaret();
  }

  /** Closes the document and the connection: the page left the project. */
  teardown(): void {
    this.closeDoc();
    for (const off of this.clientOff) off();
    this.clientOff = [];
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.syncTimer = null;
    this.reporter?.stop();
    this.reporter = null;
    this.following = null;
    this.client?.close();
    this.client = null;
    this.chat.close();
    this.presence = [];
    this.changed();
  }

  private myRole() {
    return this.deps.members.roleOf(this.deps.selfId());
  }

  private storage(): Storage {
    return this.deps.storage ?? localStorage;
  }

  private changed() {
    this.host.requestUpdate();
  }

  private setFollowing(userId: string | null) {
    if (this.following === userId) return;
    this.following = userId;
    this.changed();
  }

  private setRollingBack(rollingBack: boolean) {
    if (this.rollingBack === rollingBack) return;
    this.rollingBack = rollingBack;
    this.changed();
  }

  /**
   * A remote change reaches the editor at once, without re-rendering the whole page (members, chat,
   * presence): the page's own copy of the text (history panel, later renders) and the remote carets
   * follow once per animation frame. With many editors typing this keeps each keystroke's work in a
   * receiving page to the editor itself.
   */
  private receiveText(text: string) {
    if (this.docText === null || !this.deps.view.showText(text)) {
      this.docText = text;
      this.changed();
      return;
    }
    this.inNextFrame();
  }

  private inNextFrame(cursorsMoved = false) {
    this.cursorsMoved ||= cursorsMoved;
    if (this.framePending) return;
    this.framePending = true;
    (this.deps.nextFrame ?? ((run) => void requestAnimationFrame(run)))(() => {
      this.framePending = false;
      const doc = this.doc;
      if (!doc) return;
      this.docText = doc.text;
      this.changed();
      if (!this.cursorsMoved) return;
      this.cursorsMoved = false;
      this.cursors = toEditorCursors(doc);
      this.followToCaret();
    });
  }

  /** Shows why the file is (not) editable; "editable again" fades after a few seconds, "read-only" stays. */
  private showAccess(notice: AccessNotice | null) {
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.noticeTimer = null;
    this.accessNotice = notice;
    this.changed();
    if (notice?.tone === 'editable') {
      this.noticeTimer = setTimeout(() => {
        this.accessNotice = null;
        this.changed();
      }, EDITABLE_NOTICE_MS);
    }
  }

  /** Following someone: open the file they view. */
  private followToFile() {
    if (!this.following) return;
    const viewing = this.presence.find((p) => p.userId === this.following)?.viewing ?? null;
    if (viewing && viewing !== this.deps.fileId() && this.deps.files.byId(viewing)) this.deps.view.navigate(`/projects/${this.deps.projectId()}/files/${viewing}`);
  }

  /** Following someone in this file: keep their caret in view. */
  private followToCaret() {
    if (!this.following || !this.doc) return;
    const caret = this.doc.cursors().find((c) => c.userId === this.following && c.index !== null);
    if (!caret) return;
    const index = caret.index!;
    void this.host.updateComplete.then(() => this.deps.view.revealCaret(index));
  }

  private updateSyncStatus() {
    const online = this.deps.isOnline ?? (() => navigator.onLine);
    const next: SyncStatus = this.client?.state !== 'open' || !online() ? 'offline' : this.doc && !this.doc.synced ? 'syncing' : 'saved';
    let changed = next !== this.sync;
    this.sync = next;
    if (this.doc && this.doc.rollingBack !== this.rollingBack) {
      this.rollingBack = this.doc.rollingBack;
      changed = true;
    }
    if (this.doc && (this.doc.lockedBy !== this.lockedBy || this.doc.canEdit !== this.canEdit)) {
      this.lockedBy = this.doc.lockedBy;
      this.canEdit = this.doc.canEdit;
      changed = true;
    }
    if (changed) this.changed();
  }

  private closeDoc() {
    for (const off of this.docOff) off();
    this.docOff = [];
    const doc = this.doc;
    this.doc = null;
    this.docText = null;
    this.cursors = [];
    this.unsavedText = null;
    this.rollingBack = false;
    this.showAccess(null);
    if (doc && this.client) void this.client.closeDocument(doc.fileId).catch(() => undefined);
  }
}

function toEditorCursors(doc: ClientDocument): EditorCursor[] {
  return doc.cursors().map((c) => ({ key: c.connectionId, userId: c.userId, username: c.username, color: c.color, index: c.index, selection: c.selections[0] ?? null }));
}
