/**
 * One project: members (owners manage them), the file tree, the collaborative editor of the open
 * file (CodeMirror bound to the file's Automerge document through the gateway client), presence,
 * lock and sync status, and the project room's chat. The page renders; three controllers in
 * ../project/ hold the state and talk to the API (given by the app shell's context) and the
 * gateway. It is a lazy chunk with the editor and Automerge.
 */
import { css, html } from 'lit';
import { Task } from '@lit/task';
import { mayEditFiles, mayManageMembers, mayUnlockFile } from '@resoft/domain/permissions';
import { ApiError } from '../api/api-client.js';
import { ApiConsumerElement } from '../api/api-consumer-element.js';
import type { Session } from '../api/session-store.js';
import { sharedStyles } from '../styles/shared-styles.js';
import { navigate, toast } from '../events.js';
import type { Member } from './member-panel.js';
import type { PresenceView } from './presence-list.js';
import type { ChatLine } from '../chat/chat-panel.js';
import type { TextEdit } from '../editor/code-editor.js';
import './member-panel.js';
import './file-tree.js';
import './presence-list.js';
import '../chat/chat-panel.js';
import '../editor/code-editor.js';
import '../history/history-panel.js';
import '../history/time-slider.js';
import '../collab/edit-access-banner.js';
import { trapTab } from './focus-trap.js';
import type { HistoryPanel } from '../history/history-panel.js';
import { applyIndentation } from '../editor/editor-indentation.js';
import { editorLanguageOf } from '../editor/code-language.js';
import { MembersController } from './members-controller.js';
import { FileVersionsController } from './file-versions-controller.js';
import { CollabSessionController } from './collab-session-controller.js';
import { runTask } from './run-task.js';

interface Project {
  readonly id: string;
  readonly name: string;
  readonly description: string;
}

type CodeEditorElement = HTMLElement & { value: string; updateComplete: Promise<unknown>; reveal(index: number): void };

export class ProjectPage extends ApiConsumerElement {
  static override properties = {
    session: { attribute: false },
    projectId: { attribute: false },
    fileId: { attribute: false },
    project: { state: true },
    missing: { state: true },
    drawerOpen: { state: true },
  };
  declare session: Session | null;
  declare projectId: string;
  declare fileId: string | null;
  declare project: Project | null;
  declare missing: boolean;
  /** Phones: the files, people and members panel slides in over the editor. */
  declare drawerOpen: boolean;

  private readonly projectTask = new Task(this, {
    autoRun: false,
    args: () => [this.projectId] as [string],
    task: ([projectId]) => this.api.get<Project>(`/api/projects/${projectId}`),
  });
  private readonly notify = (kind: Parameters<typeof toast>[1], text: string) => void toast(this, kind, text);
  private readonly go = (path: string) => void navigate(this, path);
  private readonly members = new MembersController(this, { api: () => this.api, projectId: () => this.projectId, notify: this.notify });
  private readonly files = new FileVersionsController(this, { api: () => this.api, projectId: () => this.projectId, notify: this.notify, navigate: this.go });
  private readonly collab = new CollabSessionController(this, {
    api: () => this.api,
    projectId: () => this.projectId,
    fileId: () => this.fileId,
    selfId: () => this.selfId,
    members: this.members,
    files: this.files,
    view: {
      notify: this.notify,
      navigate: this.go,
      showText: (text) => {
        const editor = this.editor();
        if (editor) editor.value = text;
        return editor !== null;
      },
      revealCaret: (index) => this.editor()?.reveal(index),
      fileShown: (fileId) => this.fileShown(fileId),
      chatShown: () => void this.revealLinkedMessage(),
    },
  });
  private loadedProject: string | null = null;

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
    this.drawerOpen = false;
    this.missing = false;
    this.fileId = null;
  }


  private get selfId(): string {
    return this.session?.user.id ?? '';
  }

  private get myRole(): Member['role'] | null {
    return this.members.roleOf(this.selfId);
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('projectId') && this.projectId !== this.loadedProject) void this.loadProject();
    else if (changed.has('fileId') && this.fileId !== this.collab.openedFile) void this.collab.openFile();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    // The session controller closed the connection (hostDisconnected): the project is no longer loaded.
    this.loadedProject = null;
  }

  override render() {
    if (this.missing) return html`<section class="card"><h1>Project not found</h1><p>It does not exist or you are not a member. <a href="/projects">Your projects</a></p></section>`;
    if (!this.project) return html`<p class="muted" role="status">Loading project…</p>`;
    const file = this.files.byId(this.fileId);
    const names = this.members.names();
    const mayEdit = mayEditFiles(this.myRole);
    const viewing = new Map(this.files.files.map((f) => [f.id, f.path]));
    // The file list follows lock events live; the document knows the lock it was opened with.
    const lockedBy = file ? file.lockedBy : this.collab.lockedBy;
    return html`
      <h1>${this.project.name}</h1>
      <p><a href="/projects/${this.projectId}/insights">Insights</a> · <a href="/projects/${this.projectId}/quality">Code quality</a> · <a href="/projects/${this.projectId}/audit">Audit</a></p>
      ${this.project.description ? html`<p class="muted">${this.project.description}</p>` : null}
      <button class="secondary drawer-toggle" aria-expanded=${this.drawerOpen ? 'true' : 'false'} aria-controls="project-drawer" @click=${() => this.toggleDrawer(true)}>Files and people</button>
      <div class="backdrop ${this.drawerOpen ? 'open' : ''}" @click=${() => this.toggleDrawer(false)}></div>
      <div class="layout">
        <aside id="project-drawer" class=${this.drawerOpen ? 'open' : ''} aria-label="Files and people" @keydown=${(e: KeyboardEvent) => this.drawerKey(e)}>
          <button class="secondary drawer-close" @click=${() => this.toggleDrawer(false)}>Close</button>
          <div class="card"><file-tree .files=${this.files.files} .selected=${this.fileId} ?can-create=${mayEdit} .lockNames=${names} @open-file=${(e: CustomEvent<string>) => { this.drawerOpen = false; navigate(this, `/projects/${this.projectId}/files/${e.detail}`); }} @create-file=${(e: CustomEvent<string>) => void this.files.create(e.detail)}></file-tree></div>
          <div class="card"><presence-list .people=${this.collab.presence.map((p): PresenceView => ({ userId: p.userId, username: p.username, color: p.color, status: p.status, typing: p.typing, viewingPath: p.viewing ? (viewing.get(p.viewing) ?? null) : null }))} self-id=${this.selfId} .following=${this.collab.following} @follow=${(e: CustomEvent<string | null>) => this.collab.follow(e.detail)}></presence-list></div>
          <details class="card"><summary>Members (${this.members.members.length})</summary>
            <member-panel .members=${this.members.members} ?can-manage=${mayManageMembers(this.myRole)} self-id=${this.selfId} .error=${this.members.error} @add-member=${(e: CustomEvent<{ username: string; role: string }>) => void this.members.add(e.detail.username, e.detail.role)} @change-role=${(e: CustomEvent<{ userId: string; role: string }>) => this.members.changeRole(e.detail.userId, e.detail.role)}></member-panel>
          </details>
        </aside>
        <section class="editor card" aria-label="Editor">
          ${file && this.collab.docText !== null
            ? html`<div class="filebar">
                  <h2>${file.path}</h2>
                  ${lockedBy ? html`<span class="badge" data-testid="lock">🔒 locked by ${lockedBy === this.selfId ? 'you' : (names.get(lockedBy) ?? 'a member')}</span>` : null}
                  ${!this.collab.canEdit ? html`<span class="badge">read only</span>` : null}
                  ${mayEdit && !lockedBy ? html`<button class="secondary" @click=${() => void this.files.setLock(file.id, true)}>Lock</button>` : null}
                  ${lockedBy && mayUnlockFile({ role: this.myRole, userId: this.selfId, lockedBy }) ? html`<button class="secondary" @click=${() => void this.files.setLock(file.id, false)}>Unlock</button>` : null}
                  ${lockedBy && lockedBy !== this.selfId && mayEdit ? html`<button class="secondary" @click=${() => void this.files.askUnlock(file.id, names.get(lockedBy) ?? 'the lock holder')}>Ask to release the lock</button>` : null}
                  <span class="badge ${this.collab.sync}" data-testid="sync-status" role="status">${this.collab.sync}</span>
                  <button class="secondary" aria-expanded=${this.files.historyOpen ? 'true' : 'false'} aria-controls="file-history" @click=${() => this.toggleHistory()}>Version history</button>
                </div>
                <edit-access-banner .notice=${this.collab.accessNotice} .unsavedText=${this.collab.unsavedText} ?can-reapply=${this.collab.canEdit && !this.collab.rollingBack} @reapply-unsaved=${() => this.collab.reapplyUnsaved()} @discard-unsaved=${() => this.collab.discardUnsaved()}></edit-access-banner>
                <code-editor .value=${this.collab.docText} language=${editorLanguageOf(file.path)} ?read-only=${!this.collab.canEdit || this.collab.rollingBack} .cursors=${this.collab.cursors} label="Contents of ${file.path}" @edit=${(e: CustomEvent<TextEdit[]>) => this.collab.edit(e.detail)} @caret=${(e: CustomEvent<{ head: number; anchor: number }>) => this.collab.moveCaret(e.detail)}></code-editor>
                ${this.files.historyOpen
                  ? html`<section class="history" id="file-history" aria-labelledby="history-title"><h3 id="history-title" tabindex="-1">Version history of ${file.path}</h3>
                      <history-panel .projectId=${this.projectId} .fileId=${file.id} .currentText=${this.collab.docText} .names=${names} ?can-restore=${this.collab.canEdit}></history-panel></section>`
                  : null}`
            : this.fileId
              ? this.collab.sync === 'offline'
                ? html`<p class="muted">The file opens when the connection is back; edits you made offline are kept. <span class="badge offline" data-testid="sync-status" role="status">offline</span></p>`
                : html`<p class="muted" role="status">Opening the file…</p>`
              : html`<p class="muted">Choose a file on the left${mayEdit ? ', or create one' : ''}.</p>`}
        </section>
        <section class="chat card" aria-label="Chat">
          <chat-panel .messages=${this.collab.chat.messages.map((m): ChatLine => ({ id: m.messageId, author: names.get(m.authorId) ?? 'someone', text: m.text, deleted: m.deleted, edited: m.edited, at: m.at, mentionsMe: m.mentions.includes(this.selfId), mine: m.authorId === this.selfId }))} .people=${this.members.members.filter((m) => m.userId !== this.selfId).map((m) => m.username)} ?has-older=${this.collab.chat.olderCursor !== null} ?disabled=${!this.collab.roomId} @send=${(e: CustomEvent<string>) => void this.collab.chat.send(e.detail)} @load-older=${() => void this.collab.chat.loadOlder()} @edit-message=${(e: CustomEvent<{ id: string; text: string }>) => void this.collab.chat.edit(e.detail.id, e.detail.text)} @delete-message=${(e: CustomEvent<string>) => void this.collab.chat.delete(e.detail)}></chat-panel>
        </section>
      </div>
      <time-slider .projectId=${this.projectId}></time-slider>
    `;
  }

  /** The project, its members and its files together (a missing project or one the user is not in says so), then the live session. */
  private async loadProject() {
    this.collab.teardown();
    this.loadedProject = this.projectId;
    this.project = null;
    this.missing = false;
    try {
      const [project] = await Promise.all([runTask(this.projectTask), this.members.load(), this.files.load()]);
      this.project = project;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) this.missing = true;
      else toast(this, 'error', `Could not load the project: ${(error as Error).message}`);
      return;
    }
    await this.collab.connect();
    await this.collab.openFile();
  }

  private editor(): CodeEditorElement | null {
    return this.renderRoot.querySelector<CodeEditorElement>('code-editor');
  }

  /** Python indents with 4 spaces: set on the editor once it shows this file. */
  private async fileShown(fileId: string) {
    const path = this.files.byId(fileId)?.path;
    const editor = this.editor();
    await editor?.updateComplete;
    if (path) applyIndentation(editor, editorLanguageOf(path));
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

  /** History opens from the file header and takes focus to its heading. */
  private async toggleHistory() {
    if (!this.files.toggleHistory()) return;
    await this.updateComplete;
    const heading = this.renderRoot.querySelector<HTMLElement>('#history-title');
    heading?.scrollIntoView({ block: 'nearest' });
    heading?.focus();
    void this.renderRoot.querySelector<HistoryPanel>('history-panel')?.reload();
  }
}
customElements.define('project-page', ProjectPage);
