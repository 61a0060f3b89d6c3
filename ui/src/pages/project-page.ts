/**
 * One project: members (owners manage them), the file tree, the collaborative editor of the open
 * file (CodeMirror bound to the file's Automerge document through the gateway client), presence,
 * lock and sync status, and the project room's chat. Everything shown comes from the API and the
 * gateway; this page is a lazy chunk with the editor and Automerge.
 */
import { LitElement, css, html } from 'lit';
import { ApiError, type ApiClient } from '../api/api-client.js';
import { plainFieldMessage, plainMessage } from '../api/plain-messages.js';
import type { Session } from '../api/session-store.js';
import { sharedStyles } from '../styles/shared-styles.js';
import { navigate, toast } from '../events.js';
import { connectCollaboration, type ClientDocument, type CollabClient } from '../collab/collab-connection.js';
import type { Member } from '../components/member-panel.js';
import type { FileEntry } from '../components/file-tree.js';
import type { PresenceView } from '../components/presence-list.js';
import type { ChatLine } from '../components/chat-panel.js';
import type { EditorCursor, EditorLanguage, TextEdit } from '../components/code-editor.js';
import '../components/member-panel.js';
import '../components/file-tree.js';
import '../components/presence-list.js';
import '../components/chat-panel.js';
import '../components/code-editor.js';
import '../components/history-panel.js';
import '../components/time-slider.js';
import '../collab/edit-access-banner.js';
import type { AccessNotice } from '../collab/edit-access-banner.js';
import { PresenceReporter } from '../collab/presence-reporter.js';
import { accessNoticeFor } from '../collab/access-notice.js';
import { loadUnsaved, saveUnsaved } from '../collab/unsaved-store.js';
import { loadPending, recordPending } from '../collab/pending-store.js';
import { trapTab } from '../components/focus-trap.js';
import type { HistoryPanel } from '../components/history-panel.js';
import { applyIndentation } from '../components/editor-indentation.js';

interface Project {
  readonly id: string;
  readonly name: string;
  readonly description: string;
}
interface PresenceEntry {
  readonly userId: string;
  readonly username: string;
  readonly color: string;
  readonly status: 'online' | 'away' | 'offline';
  readonly viewing: string | null;
  readonly typing: boolean;
}
interface ChatFrame {
  readonly messageId: string;
  readonly authorId: string;
  readonly text: string | null;
  readonly mentions: readonly string[];
  readonly deleted: boolean;
  readonly edited: boolean;
  readonly position: number;
  readonly at: string;
}
type SyncStatus = 'saved' | 'syncing' | 'offline';

const FILE_EVENTS = /^File|^Document|^Template/;

export function languageOf(path: string): EditorLanguage {
  if (/\.py$/i.test(path)) return 'python';
  if (/\.[cm]?tsx?$/i.test(path)) return 'typescript';
  if (/\.[cm]?jsx?$/i.test(path)) return 'javascript';
  return 'text';
}

export class ProjectPage extends LitElement {
  static override properties = {
    api: { attribute: false },
    session: { attribute: false },
    projectId: { attribute: false },
    fileId: { attribute: false },
    project: { state: true },
    members: { state: true },
    files: { state: true },
    presence: { state: true },
    messages: { state: true },
    olderCursor: { state: true },
    docText: { state: true },
    cursors: { state: true },
    canEdit: { state: true },
    lockedBy: { state: true },
    sync: { state: true },
    memberError: { state: true },
    missing: { state: true },
    accessNotice: { state: true },
    unsavedText: { state: true },
    rollingBack: { state: true },
    following: { state: true },
    historyOpen: { state: true },
    drawerOpen: { state: true },
  };
  declare api: ApiClient;
  declare session: Session | null;
  declare projectId: string;
  declare fileId: string | null;
  declare project: Project | null;
  declare members: readonly Member[];
  declare files: readonly FileEntry[];
  declare presence: readonly PresenceEntry[];
  declare messages: readonly ChatFrame[];
  declare olderCursor: number | null;
  declare docText: string | null;
  declare cursors: readonly EditorCursor[];
  declare canEdit: boolean;
  declare lockedBy: string | null;
  declare sync: SyncStatus;
  declare memberError: string;
  declare missing: boolean;
  declare accessNotice: AccessNotice | null;
  declare unsavedText: string | null;
  declare rollingBack: boolean;
  /** The collaborator whose file and caret this user follows, or null. */
  declare following: string | null;
  private reporter: PresenceReporter | null = null;
  private noticeTimer: ReturnType<typeof setTimeout> | null = null;
  declare historyOpen: boolean;
  /** Phones: the files, people and members panel slides in over the editor. */
  declare drawerOpen: boolean;

  private client: CollabClient | null = null;
  private roomId: string | null = null;
  private doc: ClientDocument | null = null;
  private docOff: (() => void)[] = [];
  private clientOff: (() => void)[] = [];
  private syncTimer: ReturnType<typeof setInterval> | null = null;
  private loadedProject: string | null = null;
  private openedFile: string | null = null;
  /** The pending once-per-frame update of the page's text and carets (see showText). */
  private frame: number | null = null;
  private cursorsMoved = false;

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; padding: 1rem; }
      .layout { display: grid; grid-template-columns: 15rem minmax(0, 1fr) 20rem; gap: 1rem; align-items: start; }
      aside, .editor, .chat { display: flex; flex-direction: column; gap: 1rem; min-width: 0; }
      .filebar { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; margin-bottom: 0.5rem; }
      .filebar h2 { margin: 0; flex: 1; word-break: break-all; }
      .badge { font-size: 0.8rem; padding: 0.1rem 0.5rem; border-radius: 999px; background: #e8ecf3; }
      .badge.saved { background: #dcf3e4; color: #15602f; }
      .badge.syncing { background: #fff1cc; color: #7a5300; }
      .badge.offline { background: #fde2e0; color: #8c1d18; }
      code-editor { height: 60vh; }
      details summary { cursor: pointer; font-weight: 600; }
      section.history { margin-top: 0.75rem; border-top: 1px solid #eef1f5; padding-top: 0.5rem; }
      @media (max-width: 1100px) { .layout { grid-template-columns: 14rem minmax(0, 1fr); } .chat { grid-column: 1 / -1; } }
      .drawer-toggle, .drawer-close, .backdrop { display: none; }
      /* Phones (issue 12): the editor comes first; files, people and members live in a drawer. */
      @media (max-width: 720px) {
        :host { padding: 0.5rem; }
        .layout { display: flex; flex-direction: column; align-items: stretch; gap: 0.75rem; }
        .filebar h2 { flex-basis: 100%; font-size: 1rem; }
        .editor { order: 1; padding: 0.6rem; }
        .chat { order: 2; }
        code-editor { height: 55vh; }
        .drawer-toggle { display: inline-block; }
        aside { position: fixed; inset: 0 auto 0 0; z-index: 30; width: min(86vw, 22rem); overflow-y: auto; background: #f4f6fa; padding: 0.75rem; box-shadow: 4px 0 18px rgb(0 0 0 / 0.25); transform: translateX(-105%); transition: transform 0.2s ease; visibility: hidden; }
        aside.open { transform: none; visibility: visible; }
        .drawer-close { display: block; align-self: flex-end; }
        .backdrop.open { display: block; position: fixed; inset: 0; z-index: 25; background: rgb(20 25 40 / 0.4); }
        h1 { font-size: 1.2rem; margin-bottom: 0.25rem; }
      }
    `,
  ];

  constructor() {
    super();
    this.project = null;
    this.members = [];
    this.files = [];
    this.presence = [];
    this.messages = [];
    this.olderCursor = null;
    this.docText = null;
    this.cursors = [];
    this.historyOpen = false;
    this.drawerOpen = false;
    this.canEdit = false;
    this.lockedBy = null;
    this.sync = 'syncing';
    this.memberError = '';
    this.missing = false;
    this.fileId = null;
    this.accessNotice = null;
    this.unsavedText = null;
    this.rollingBack = false;
    this.following = null;
  }

  private get selfId(): string {
    return this.session?.user.id ?? '';
  }

  private get myRole(): Member['role'] | null {
    return this.members.find((m) => m.userId === this.selfId)?.role ?? null;
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('projectId') && this.projectId !== this.loadedProject) void this.loadProject();
    else if (changed.has('fileId') && this.fileId !== this.openedFile) void this.openFile();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.teardown();
  }

  override render() {
    if (this.missing) return html`<section class="card"><h1>Project not found</h1><p>It does not exist or you are not a member. <a href="/projects">Your projects</a></p></section>`;
    if (!this.project) return html`<p class="muted" role="status">Loading project…</p>`;
    const file = this.files.find((f) => f.id === this.fileId) ?? null;
    const names = new Map(this.members.map((m) => [m.userId, m.username]));
    const mayEdit = this.myRole === 'owner' || this.myRole === 'editor';
    const viewing = new Map(this.files.map((f) => [f.id, f.path]));
    // The file list follows lock events live; the document knows the lock it was opened with.
    const lockedBy = file ? file.lockedBy : this.lockedBy;
    return html`
      <h1>${this.project.name}</h1>
      <p><a href="/projects/${this.projectId}/insights">Insights</a> · <a href="/projects/${this.projectId}/quality">Code quality</a> · <a href="/projects/${this.projectId}/audit">Audit</a></p>
      ${this.project.description ? html`<p class="muted">${this.project.description}</p>` : null}
      <button class="secondary drawer-toggle" aria-expanded=${this.drawerOpen ? 'true' : 'false'} aria-controls="project-drawer" @click=${() => this.toggleDrawer(true)}>Files and people</button>
      <div class="backdrop ${this.drawerOpen ? 'open' : ''}" @click=${() => this.toggleDrawer(false)}></div>
      <div class="layout">
        <aside id="project-drawer" class=${this.drawerOpen ? 'open' : ''} aria-label="Files and people" @keydown=${(e: KeyboardEvent) => this.drawerKey(e)}>
          <button class="secondary drawer-close" @click=${() => this.toggleDrawer(false)}>Close</button>
          <div class="card"><file-tree .files=${this.files} .selected=${this.fileId} ?can-create=${mayEdit} .lockNames=${names} @open-file=${(e: CustomEvent<string>) => { this.drawerOpen = false; navigate(this, `/projects/${this.projectId}/files/${e.detail}`); }} @create-file=${(e: CustomEvent<string>) => this.createFile(e.detail)}></file-tree></div>
          <div class="card"><presence-list .people=${this.presence.map((p): PresenceView => ({ userId: p.userId, username: p.username, color: p.color, status: p.status, typing: p.typing, viewingPath: p.viewing ? (viewing.get(p.viewing) ?? null) : null }))} self-id=${this.selfId} .following=${this.following} @follow=${(e: CustomEvent<string | null>) => this.follow(e.detail)}></presence-list></div>
          <details class="card"><summary>Members (${this.members.length})</summary>
            <member-panel .members=${this.members} ?can-manage=${this.myRole === 'owner'} self-id=${this.selfId} .error=${this.memberError} @add-member=${(e: CustomEvent<{ username: string; role: string }>) => this.addMember(e.detail.username, e.detail.role)} @change-role=${(e: CustomEvent<{ userId: string; role: string }>) => this.changeRole(e.detail.userId, e.detail.role)}></member-panel>
          </details>
        </aside>
        <section class="editor card" aria-label="Editor">
          ${file && this.docText !== null
            ? html`<div class="filebar">
                  <h2>${file.path}</h2>
                  ${lockedBy ? html`<span class="badge" data-testid="lock">🔒 locked by ${lockedBy === this.selfId ? 'you' : (names.get(lockedBy) ?? 'a member')}</span>` : null}
                  ${!this.canEdit ? html`<span class="badge">read only</span>` : null}
                  ${mayEdit && !lockedBy ? html`<button class="secondary" @click=${() => this.setLock(file.id, true)}>Lock</button>` : null}
                  ${lockedBy && (lockedBy === this.selfId || this.myRole === 'owner') ? html`<button class="secondary" @click=${() => this.setLock(file.id, false)}>Unlock</button>` : null}
                  ${lockedBy && lockedBy !== this.selfId && mayEdit ? html`<button class="secondary" @click=${() => this.askUnlock(file.id, names.get(lockedBy) ?? 'the lock holder')}>Ask to release the lock</button>` : null}
                  <span class="badge ${this.sync}" data-testid="sync-status" role="status">${this.sync}</span>
                  <button class="secondary" aria-expanded=${this.historyOpen ? 'true' : 'false'} aria-controls="file-history" @click=${() => this.toggleHistory()}>Version history</button>
                </div>
                <edit-access-banner .notice=${this.accessNotice} .unsavedText=${this.unsavedText} ?can-reapply=${this.canEdit && !this.rollingBack} @reapply-unsaved=${() => this.doc?.reapplyUnsaved()} @discard-unsaved=${() => this.doc?.discardUnsaved()}></edit-access-banner>
                <code-editor .value=${this.docText} language=${languageOf(file.path)} ?read-only=${!this.canEdit || this.rollingBack} .cursors=${this.cursors} label="Contents of ${file.path}" @edit=${(e: CustomEvent<TextEdit[]>) => this.localEdit(e.detail)} @caret=${(e: CustomEvent<{ head: number; anchor: number }>) => this.localCaret(e.detail)}></code-editor>
                ${this.historyOpen
                  ? html`<section class="history" id="file-history" aria-labelledby="history-title"><h3 id="history-title" tabindex="-1">Version history of ${file.path}</h3>
                      <history-panel .api=${this.api} .projectId=${this.projectId} .fileId=${file.id} .currentText=${this.docText} .names=${names} ?can-restore=${this.canEdit}></history-panel></section>`
                  : null}`
            : this.fileId
              ? this.sync === 'offline'
                ? html`<p class="muted">The file opens when the connection is back; edits you made offline are kept. <span class="badge offline" data-testid="sync-status" role="status">offline</span></p>`
                : html`<p class="muted" role="status">Opening the file…</p>`
              : html`<p class="muted">Choose a file on the left${mayEdit ? ', or create one' : ''}.</p>`}
        </section>
        <section class="chat card" aria-label="Chat">
          <chat-panel .messages=${this.messages.map((m): ChatLine => ({ id: m.messageId, author: names.get(m.authorId) ?? 'someone', text: m.text, deleted: m.deleted, edited: m.edited, at: m.at, mentionsMe: m.mentions.includes(this.selfId), mine: m.authorId === this.selfId }))} .people=${this.members.filter((m) => m.userId !== this.selfId).map((m) => m.username)} ?has-older=${this.olderCursor !== null} ?disabled=${!this.roomId} @send=${(e: CustomEvent<string>) => this.sendChat(e.detail)} @load-older=${() => this.loadOlder()} @edit-message=${(e: CustomEvent<{ id: string; text: string }>) => this.editChat(e.detail.id, e.detail.text)} @delete-message=${(e: CustomEvent<string>) => this.deleteChat(e.detail)}></chat-panel>
        </section>
      </div>
      <time-slider .api=${this.api} .projectId=${this.projectId}></time-slider>
    `;
  }

  private async loadProject() {
    this.teardown();
    this.loadedProject = this.projectId;
    this.project = null;
    this.missing = false;
    try {
      const [project, members, files] = await Promise.all([
        this.api.get<Project>(`/api/projects/${this.projectId}`),
        this.api.get<{ items: Member[] }>(`/api/projects/${this.projectId}/members`),
        this.api.get<{ items: FileEntry[] }>(`/api/projects/${this.projectId}/files`),
      ]);
      this.project = project;
      this.members = members.items;
      this.files = files.items;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) this.missing = true;
      else toast(this, 'error', `Could not load the project: ${(error as Error).message}`);
      return;
    }
    await this.connect();
    await this.openFile();
  }

  private async connect() {
    const client = connectCollaboration(this.api);
    this.client = client;
    this.clientOff.push(
      client.on('collaboration:presence', (f) => {
        if (f.roomId !== this.roomId) return;
        this.presence = f.presence;
        this.followToFile();
      }),
      client.on('collaboration:message', (f) => this.receiveMessage(f.kind, f.message)),
      // Mentions are told by the header's inbox (on every page, with a link), not here as well.
      client.on('collaboration:event', (f) => {
        if (f.projectId !== this.projectId) return;
        if (FILE_EVENTS.test(f.eventType)) void this.reloadFiles();
        if (/^Member/.test(f.eventType)) void this.reloadMembers();
      }),
      client.on('collaboration:user_joined', (f) => {
        if (f.roomId === this.roomId && f.userId !== this.selfId) {
          const name = this.members.find((m) => m.userId === f.userId)?.username ?? 'A member';
          toast(this, 'info', `${name} joined the room`);
        }
      }),
      client.on('collaboration:resync', () => void this.reloadFiles()),
      // A new connection starts with no presence on the gateway: report it again.
      client.on('collaboration:welcome', () => this.reporter?.forget()),
    );
    // The badge follows the connection from the start (offline while a page loaded offline waits).
    this.syncTimer = setInterval(() => this.updateSyncStatus(), 400);
    try {
      // Loaded without a connection: wait for it (the client keeps retrying); the file opens then.
      await client.connect().catch(() => client.connected());
      const rooms = await this.api.get<{ items: { id: string; name: string }[] }>(`/api/projects/${this.projectId}/rooms`);
      let roomId = rooms.items[0]?.id ?? null;
      if (!roomId && this.myRole !== 'viewer') roomId = (await this.api.post<{ id: string }>('/api/collaboration/rooms', { projectId: this.projectId, name: 'General' })).id;
      if (!roomId || this.client !== client) return;
      const joined = await client.join(roomId);
      this.roomId = roomId;
      this.presence = joined.presence;
      this.reporter = new PresenceReporter((state) => client.setPresence(state.status, { viewing: state.viewing, typing: state.typing }));
      this.reporter.view(this.fileId);
      this.reporter.start();
      const history = await client.history(roomId);
      this.messages = history.messages;
      this.olderCursor = history.nextBefore;
      void this.revealLinkedMessage();
    } catch (error) {
      toast(this, 'error', `Collaboration is unavailable: ${(error as Error).message}`);
    }
  }

  private async openFile() {
    const fileId = this.fileId;
    this.openedFile = fileId;
    this.closeDoc();
    if (!fileId || !this.client) return;
    try {
      const doc = await this.client.open(this.projectId, fileId);
      await doc.ready;
      if (this.openedFile !== fileId) return;
      this.doc = doc;
      this.canEdit = doc.canEdit;
      this.lockedBy = doc.lockedBy;
      this.docText = doc.text;
      this.cursors = this.toEditorCursors(doc);
      // Refused edits from before a reload or from an earlier visit are offered again.
      const kept = loadUnsaved(localStorage, this.selfId, fileId);
      if (kept) doc.restoreUnsaved(kept);
      this.unsavedText = doc.unsaved?.text ?? null;
      this.showAccess(doc.canEdit ? null : accessNoticeFor({ canEdit: false, lockedBy: doc.lockedBy, role: this.myRole, selfId: this.selfId, names: this.memberNames() }));
      this.docOff.push(
        doc.on('change', (text) => {
          this.showText(text);
          this.rollingBack = doc.rollingBack;
        }),
        // Remote carets are drawn once per frame, however many updates arrive: off the path of remote text.
        doc.on('cursors', () => this.inNextFrame(true)),
        // A lock or role change: the editor turns read-only or editable at once, with a banner saying why.
        doc.on('permissions', (f) => {
          this.canEdit = f.canEdit;
          this.lockedBy = f.lockedBy;
          this.showAccess(accessNoticeFor({ canEdit: f.canEdit, lockedBy: f.lockedBy, role: f.role, selfId: this.selfId, names: this.memberNames(), reason: f.reason }));
          void this.reloadFiles().catch(() => undefined);
        }),
        // Locked or read-only refusals are explained by the banner and end in "your unsaved edits"; only other failures toast (once per refusal, not per keystroke).
        doc.on('refused', ({ code, message }) => {
          this.rollingBack = doc.rollingBack;
          if (code !== 'file_locked' && code !== 'read_only') toast(this, 'error', `Your change was not saved: ${message}`);
        }),
        doc.on('opened', (f) => {
          if (f.canEdit === this.canEdit && f.lockedBy === this.lockedBy) return;
          this.canEdit = f.canEdit;
          this.lockedBy = f.lockedBy;
          this.showAccess(accessNoticeFor({ canEdit: f.canEdit, lockedBy: f.lockedBy, role: this.myRole, selfId: this.selfId, names: this.memberNames(), reason: f.canEdit ? 'unlocked' : 'locked' }));
        }),
        doc.on('unsaved', (unsaved) => {
          saveUnsaved(localStorage, this.selfId, fileId, unsaved);
          this.unsavedText = unsaved?.text ?? null;
          this.rollingBack = doc.rollingBack;
        }),
        // Own edits not stored yet are kept in the browser until the gateway acknowledges them, so a reload (even offline) keeps them.
        doc.on('pending', (update) => recordPending(localStorage, this.selfId, fileId, update)),
        doc.on('stored', () => this.updateSyncStatus()),
      );
      // Edits typed before a reload and never stored are sent now (a refusal offers them as unsaved edits).
      doc.restorePending(loadPending(localStorage, this.selfId, fileId));
      // Python indents with 4 spaces: set on the editor once it shows this file.
      await this.updateComplete;
      this.reporter?.view(fileId);
      this.followToCaret();
      const path = this.files.find((f) => f.id === fileId)?.path;
      const editor = this.renderRoot.querySelector<HTMLElement & { updateComplete: Promise<unknown> }>('code-editor');
      await editor?.updateComplete;
      if (path) applyIndentation(editor, languageOf(path));
    } catch (error) {
      toast(this, 'error', `Could not open the file: ${(error as Error).message}`);
    }
  }

  /**
   * A remote change reaches the editor at once, without re-rendering the whole page (members, chat,
   * presence): the page's own copy of the text (history panel, later renders) and the remote carets
   * follow once per animation frame. With many editors typing this keeps each keystroke's work in a
   * receiving page to the editor itself.
   */
  private showText(text: string) {
    const editor = this.docText === null ? null : this.renderRoot.querySelector<HTMLElement & { value: string }>('code-editor');
    if (!editor) {
      this.docText = text;
      return;
    }
    editor.value = text;
    this.inNextFrame();
  }

  private inNextFrame(cursorsMoved = false) {
    this.cursorsMoved ||= cursorsMoved;
    if (this.frame !== null) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      const doc = this.doc;
      if (!doc) return;
      this.docText = doc.text;
      if (!this.cursorsMoved) return;
      this.cursorsMoved = false;
      this.cursors = this.toEditorCursors(doc);
      this.followToCaret();
    });
  }

  private toEditorCursors(doc: ClientDocument): EditorCursor[] {
    return doc.cursors().map((c) => ({ key: c.connectionId, userId: c.userId, username: c.username, color: c.color, index: c.index, selection: c.selections[0] ?? null }));
  }

  private localEdit(edits: readonly TextEdit[]) {
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
    this.following = null;
    this.updateSyncStatus();
  }

  private memberNames(): Map<string, string> {
    return new Map(this.members.map((m) => [m.userId, m.username]));
  }

  /** Shows why the file is (not) editable; "editable again" fades after a few seconds, "read-only" stays. */
  private showAccess(notice: AccessNotice | null) {
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.noticeTimer = null;
    this.accessNotice = notice;
    if (notice?.tone === 'editable') this.noticeTimer = setTimeout(() => (this.accessNotice = null), 6000);
  }

  private follow(userId: string | null) {
    this.following = userId;
    this.followToFile();
    this.followToCaret();
  }

  /** Following someone: open the file they view. */
  private followToFile() {
    if (!this.following) return;
    const viewing = this.presence.find((p) => p.userId === this.following)?.viewing ?? null;
    if (viewing && viewing !== this.fileId && this.files.some((f) => f.id === viewing)) navigate(this, `/projects/${this.projectId}/files/${viewing}`);
  }

  /** Following someone in this file: keep their caret in view. */
  private followToCaret() {
    if (!this.following || !this.doc) return;
    const caret = this.doc.cursors().find((c) => c.userId === this.following && c.index !== null);
    if (!caret) return;
    void this.updateComplete.then(() => (this.renderRoot.querySelector('code-editor') as (HTMLElement & { reveal(index: number): void }) | null)?.reveal(caret.index!));
  }

  private localCaret(caret: { head: number; anchor: number }) {
    this.doc?.setCursor(caret.head, caret.anchor !== caret.head ? { anchor: caret.anchor, head: caret.head } : undefined);
  }

  private updateSyncStatus() {
    // A cut network often leaves the socket looking open for a while: the browser's own signal counts too.
    const next: SyncStatus = this.client?.state !== 'open' || !navigator.onLine ? 'offline' : this.doc && !this.doc.synced ? 'syncing' : 'saved';
    if (next !== this.sync) this.sync = next;
    if (this.doc && this.doc.rollingBack !== this.rollingBack) this.rollingBack = this.doc.rollingBack;
    if (this.doc && (this.doc.lockedBy !== this.lockedBy || this.doc.canEdit !== this.canEdit)) {
      this.lockedBy = this.doc.lockedBy;
      this.canEdit = this.doc.canEdit;
    }
  }

  private receiveMessage(kind: 'posted' | 'edited' | 'deleted', message: ChatFrame & { roomId?: string }) {
    if (message.roomId && message.roomId !== this.roomId) return;
    if (kind === 'posted') {
      if (!this.messages.some((m) => m.messageId === message.messageId)) this.messages = [...this.messages, message];
    } else this.messages = this.messages.map((m) => (m.messageId === message.messageId ? message : m));
  }

  private async loadOlder() {
    if (!this.client || !this.roomId || this.olderCursor === null) return;
    const page = await this.client.history(this.roomId, this.olderCursor).catch(() => null);
    if (!page) return;
    const known = new Set(this.messages.map((m) => m.messageId));
    this.messages = [...page.messages.filter((m) => !known.has(m.messageId)), ...this.messages];
    this.olderCursor = page.nextBefore;
  }

  private async sendChat(text: string) {
    if (!this.client || !this.roomId) return;
    try {
      await this.client.chat(this.roomId, text);
    } catch (error) {
      toast(this, 'error', `Message not sent: ${(error as Error).message}`);
    }
  }

  private async editChat(messageId: string, text: string) {
    if (!this.client || !this.roomId) return;
    await this.client.editChat(this.roomId, messageId, text).catch((error: Error) => toast(this, 'error', `Not edited: ${error.message}`));
  }

  private async deleteChat(messageId: string) {
    if (!this.client || !this.roomId) return;
    await this.client.deleteChat(this.roomId, messageId).catch((error: Error) => toast(this, 'error', `Not deleted: ${error.message}`));
  }

  private async createFile(path: string) {
    try {
      const created = await this.api.post<{ id: string }>(`/api/projects/${this.projectId}/files`, { path, content: '' });
      await this.reloadFiles();
      navigate(this, `/projects/${this.projectId}/files/${created.id}`);
    } catch (error) {
      toast(this, 'error', error instanceof ApiError && error.fields[0] ? `Not created: ${plainFieldMessage(error.fields[0].message)}` : `Not created: ${plainMessage(error)}`);
    }
  }

  /** While the drawer is open (phones) focus stays in it; Escape closes it and focus returns to its opener. */
  private drawerKey(event: KeyboardEvent) {
    if (!this.drawerOpen) return;
    if (event.key === 'Escape') void this.toggleDrawer(false);
    else trapTab(event, event.currentTarget as HTMLElement);
  }

  private async toggleDrawer(open: boolean) {
    this.drawerOpen = open;
    await this.updateComplete;
    const target = open ? this.renderRoot.querySelector<HTMLElement>('aside .drawer-close') : this.renderRoot.querySelector<HTMLElement>('.drawer-toggle');
    target?.focus();
  }

  /** An inbox link (`?message=<id>`) scrolls the chat to that message once it is shown. */
  private async revealLinkedMessage() {
    const messageId = new URLSearchParams(location.search).get('message');
    if (!messageId) return;
    await this.updateComplete;
    await this.renderRoot.querySelector<HTMLElement & { reveal(id: string): Promise<boolean> }>('chat-panel')?.reveal(messageId);
  }

  /** The lock holder is told in their inbox, wherever they are. */
  private async askUnlock(fileId: string, holder: string) {
    try {
      await this.api.post(`/api/projects/${this.projectId}/files/${fileId}/unlock-requests`);
      toast(this, 'success', `${holder} was asked to unlock the file.`);
    } catch (error) {
      toast(this, 'error', `Not asked: ${(error as Error).message}`);
    }
  }

  /** History opens from the file header and takes focus to its heading. */
  private async toggleHistory() {
    this.historyOpen = !this.historyOpen;
    if (!this.historyOpen) return;
    await this.updateComplete;
    const heading = this.renderRoot.querySelector<HTMLElement>('#history-title');
    heading?.scrollIntoView({ block: 'nearest' });
    heading?.focus();
    void this.renderRoot.querySelector<HistoryPanel>('history-panel')?.reload();
  }

  private async setLock(fileId: string, lock: boolean) {
    try {
      await this.api.post(`/api/projects/${this.projectId}/files/${fileId}/${lock ? 'lock' : 'unlock'}`);
      await this.reloadFiles();
    } catch (error) {
      toast(this, 'error', (error as Error).message);
    }
  }

  private async addMember(username: string, role: string) {
    this.memberError = '';
    try {
      await this.api.post(`/api/projects/${this.projectId}/members`, { username, role });
      toast(this, 'success', `${username} was added as ${role}.`);
      await this.reloadMembers();
    } catch (error) {
      this.memberError = error instanceof ApiError && error.status === 404 ? `There is no user named ${username}.` : (error as Error).message;
    }
  }

  private async changeRole(userId: string, role: string) {
    try {
      await this.api.patch(`/api/projects/${this.projectId}/members/${userId}`, { role });
      toast(this, 'success', `Role changed to ${role}.`);
    } catch (error) {
      toast(this, 'error', (error as Error).message);
    }
    await this.reloadMembers();
  }

  private async reloadMembers() {
    this.members = (await this.api.get<{ items: Member[] }>(`/api/projects/${this.projectId}/members`)).items;
  }

  private async reloadFiles() {
    this.files = (await this.api.get<{ items: FileEntry[] }>(`/api/projects/${this.projectId}/files`)).items;
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

  private teardown() {
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
    this.roomId = null;
    this.presence = [];
    this.messages = [];
    this.loadedProject = null;
  }
}
customElements.define('project-page', ProjectPage);
