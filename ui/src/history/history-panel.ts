/**
 * A file's history as people read it (issue 12): editing sessions (per author, split by idle
 * gaps), named versions, a diff between any two versions, naming a version (a checkpoint), and
 * restore after a confirmation that says what will happen, then shows the new version. It reads
 * and writes through the API itself; the page passes the current text (for "now"), the members'
 * names and whether the user may write. Sends `resoft-toast`.
 */
import { css, html } from 'lit';
import { sharedStyles } from '../styles/shared-styles.js';
import type { EditingSession, FileHistory } from '@resoft/contracts';
import { toast } from '../events.js';
import { diffLines, type DiffLine } from './line-diff.js';
import { plainMessage } from '../api/plain-messages.js';
import { sessionGapSeconds } from './history-settings.js';
import { ApiConsumerElement } from '../api/api-consumer-element.js';

/** An editing session and a file's history, as `GET …/files/{fileId}/history` answers them. */
export type VersionSession = EditingSession;
type History = FileHistory;

const time = (at: string) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const day = (at: string) => new Date(at).toLocaleDateString();

export class HistoryPanel extends ApiConsumerElement {
  static override properties = {
    projectId: { attribute: false }, fileId: { attribute: false }, currentText: { attribute: false }, names: { attribute: false },
    canRestore: { type: Boolean, attribute: 'can-restore' },
    history: { state: true }, from: { state: true }, to: { state: true }, diff: { state: true }, confirming: { state: true }, naming: { state: true }, notice: { state: true }, labelError: { state: true },
  };
  declare projectId: string;
  declare fileId: string;
  declare currentText: string;
  declare names: ReadonlyMap<string, string>;
  declare canRestore: boolean;
  declare history: History | null;
  /** The two versions compared: `from` → `to` (`to` null: the current text). */
  declare from: number | null;
  declare to: number | null;
  declare diff: readonly DiffLine[] | null;
  declare confirming: boolean;
  declare naming: boolean;
  declare notice: string;
  declare labelError: string;
  private texts = new Map<number, string>();

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      ol { list-style: none; padding: 0; margin: 0; max-height: 16rem; overflow-y: auto; }
      li button.session { all: unset; box-sizing: border-box; display: block; width: 100%; padding: 0.35rem 0.5rem; border-radius: 6px; cursor: pointer; font-size: 0.85rem; }
      li button.session:hover, li button.session[aria-pressed='true'] { background: #e4ebff; }
      li button.session:focus-visible { outline: 3px solid #7aa7ff; }
      .who { font-weight: 600; }
      .label { display: inline-block; background: #fff1cc; color: #7a5300; border-radius: 999px; padding: 0 0.45rem; margin-left: 0.3rem; font-size: 0.75rem; }
      .compare { display: flex; gap: 0.5rem; align-items: end; flex-wrap: wrap; margin: 0.6rem 0; }
      .compare label { margin: 0; }
      .compare select { width: auto; min-width: 9rem; }
      pre { margin: 0.5rem 0; max-height: 18rem; overflow: auto; font-size: 0.8rem; background: #fafbfd; border: 1px solid #eef1f5; border-radius: 6px; padding: 0.25rem 0; }
      pre span { display: block; padding: 0 0.5rem; white-space: pre; }
      .added { background: #e4f6ea; }
      .removed { background: #fde7e6; }
      .confirm { border: 1px solid #e0b100; background: #fffaf0; border-radius: 8px; padding: 0.6rem 0.8rem; margin: 0.5rem 0; }
      .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
      .notice { background: #dcf3e4; color: #15602f; border-radius: 6px; padding: 0.35rem 0.6rem; }
    `,
  ];

  constructor() {
    super();
    this.history = null;
    this.from = null;
    this.to = null;
    this.diff = null;
    this.confirming = false;
    this.naming = false;
    this.notice = '';
    this.labelError = '';
    this.canRestore = false;
    this.names = new Map();
    this.currentText = '';
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('fileId') && this.fileId) {
      this.texts = new Map();
      this.history = null;
      this.from = null;
      this.to = null;
      this.diff = null;
      void this.reload();
    }
    if (changed.has('currentText') && this.from !== null && this.to === null) void this.compare();
  }

  /** Loads the sessions again (after an edit elsewhere, a restore, a new name). */
  async reload(): Promise<void> {
    try {
      this.history = await this.api.get<History>(`/api/projects/${this.projectId}/files/${this.fileId}/history?gapSeconds=${sessionGapSeconds()}`);
    } catch (error) {
      toast(this, 'error', `Could not load the history: ${(error as Error).message}`);
    }
  }

  override render() {
    const history = this.history;
    if (!history) return html`<p class="muted" role="status">Loading versions…</p>`;
    const labelOf = new Map(history.labels.map((l) => [l.version, l.label]));
    const option = (v: number) => `v${v}${labelOf.has(v) ? ` “${labelOf.get(v)}”` : ''}`;
    const versions = Array.from({ length: history.latestVersion + 1 }, (_, i) => history.latestVersion - i);
    return html`
      <ol aria-label="Editing sessions">
        ${[...history.sessions].reverse().map((s) => html`<li>
          <button class="session" data-version=${s.toVersion} aria-pressed=${this.from === this.sessionBase(s) && this.to === s.toVersion ? 'true' : 'false'} @click=${() => this.pickSession(s)}>
            <span class="who">${this.names.get(s.authorId) ?? 'a former member'}</span>
            ${s.kind === 'created' ? 'created the file' : s.kind === 'restored' ? `restored version ${s.restoredFrom}` : 'edited'}
            · ${day(s.startedAt)} ${time(s.startedAt)}${s.endedAt !== s.startedAt && time(s.endedAt) !== time(s.startedAt) ? `–${time(s.endedAt)}` : ''}
            · ${s.fromVersion === s.toVersion ? `v${s.toVersion}` : `v${s.fromVersion}–v${s.toVersion}`}
            ${s.kind === 'created' ? null : html`· <span aria-label="${s.inserted} characters added, ${s.removed} removed">+${s.inserted} −${s.removed}</span>`}
            ${s.labels.map((l) => html`<span class="label" title="Named version ${l.version}">${l.label}</span>`)}
          </button>
        </li>`)}
      </ol>
      <div class="compare">
        <div><label for="from">Compare</label><select id="from" @change=${(e: Event) => this.setRange(Number((e.target as HTMLSelectElement).value), this.to)}>
          ${versions.map((v) => html`<option value=${v} ?selected=${v === this.from}>${option(v)}</option>`)}
        </select></div>
        <div><label for="to">with</label><select id="to" @change=${(e: Event) => { const value = (e.target as HTMLSelectElement).value; this.setRange(this.from ?? 0, value === 'now' ? null : Number(value)); }}>
          <option value="now" ?selected=${this.to === null}>the current text</option>
          ${versions.map((v) => html`<option value=${v} ?selected=${v === this.to}>${option(v)}</option>`)}
        </select></div>
        ${this.from === null ? html`<button class="secondary" @click=${() => this.setRange(Math.max(0, history.latestVersion - 1), null)}>Show changes</button>` : null}
      </div>
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : null}
      ${this.from !== null && this.diff
        ? html`<p class="muted">${option(this.from)} → ${this.to === null ? 'the current text' : option(this.to)}: <span class="removed">− only in v${this.from}</span> <span class="added">+ only in ${this.to === null ? 'the current text' : `v${this.to}`}</span></p>
            <pre aria-label="Differences">${this.diff.map((l) => html`<span class=${l.kind}>${l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '− ' : '  '}${l.text}</span>`)}</pre>
            ${this.canRestore ? this.actions(this.from) : null}`
        : null}`;
  }

  private actions(version: number) {
    if (this.confirming) {
      return html`<div class="confirm" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-text">
        <p id="confirm-title"><strong>Restore version ${version}?</strong></p>
        <p id="confirm-text" class="muted">The file's text becomes what it was at version ${version}, as a new version ${(this.history?.latestVersion ?? 0) + 1}. Nothing is lost: the current text stays in the history.</p>
        <div class="actions"><button data-testid="confirm-restore" @click=${() => this.restore(version)}>Restore</button><button class="secondary" @click=${() => (this.confirming = false)}>Cancel</button></div>
      </div>`;
    }
    if (this.naming) {
      return html`<form class="actions" @submit=${(e: Event) => this.nameVersion(e, version)} novalidate>
        <div style="flex:1"><label for="label">Name version ${version}</label>
          <input id="label" name="label" maxlength="80" required placeholder="before the refactor" aria-invalid=${this.labelError ? 'true' : 'false'} aria-describedby="label-error" />
          ${this.labelError ? html`<p class="error" id="label-error">${this.labelError}</p>` : null}</div>
        <button type="submit">Save name</button><button type="button" class="secondary" @click=${() => ((this.naming = false), (this.labelError = ''))}>Cancel</button>
      </form>`;
    }
    return html`<div class="actions">
      <button @click=${() => this.askRestore()}>Restore version ${version}</button>
      <button class="secondary" @click=${() => this.startNaming()}>Name version ${version}</button>
    </div>`;
  }

  /** A session's changes: from the version before it to its last one. */
  private sessionBase(s: VersionSession): number {
    return s.kind === 'created' ? s.toVersion : Math.max(0, s.fromVersion - 1);
  }

  private pickSession(s: VersionSession) {
    // The creation has nothing before it: compare it with now, as the flat list used to.
    if (s.kind === 'created') return this.setRange(s.toVersion, null);
    this.setRange(this.sessionBase(s), s.toVersion);
  }

  private setRange(from: number, to: number | null) {
    this.from = from;
    this.to = to;
    this.confirming = false;
    this.naming = false;
    this.notice = '';
    void this.compare();
  }

  private async textAt(version: number | null): Promise<string> {
    if (version === null) return this.currentText;
    const known = this.texts.get(version);
    if (known !== undefined) return known;
    const answer = await this.api.get<{ text: string }>(`/api/projects/${this.projectId}/files/${this.fileId}?version=${version}`);
    this.texts.set(version, answer.text);
    return answer.text;
  }

  private async compare() {
    const from = this.from;
    const to = this.to;
    if (from === null) return;
    try {
      const [before, after] = await Promise.all([this.textAt(from), this.textAt(to)]);
      if (this.from === from && this.to === to) this.diff = diffLines(before, after);
    } catch (error) {
      toast(this, 'error', `Could not load version ${from}: ${(error as Error).message}`);
    }
  }

  private async askRestore() {
    this.confirming = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('[data-testid="confirm-restore"]')?.focus();
  }

  private async restore(version: number) {
    this.confirming = false;
    try {
      await this.api.post(`/api/projects/${this.projectId}/files/${this.fileId}/restore`, { version });
      await this.reload();
      const latest = this.history?.latestVersion ?? version;
      this.notice = `Version ${version} restored as version ${latest}.`;
      toast(this, 'success', this.notice);
      this.from = version;
      this.to = latest;
      this.notice = `Version ${version} restored as version ${latest}.`;
      void this.compare();
    } catch (error) {
      toast(this, 'error', `Not restored: ${plainMessage(error)}`);
    }
  }

  private async startNaming() {
    this.naming = true;
    this.labelError = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#label')?.focus();
  }

  private async nameVersion(event: Event, version: number) {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#label');
    const label = input?.value.trim() ?? '';
    this.labelError = label.length === 0 ? 'Give the version a name.' : label.length > 80 ? 'The name can be at most 80 characters.' : '';
    if (this.labelError) return void input?.focus();
    try {
      await this.api.post(`/api/projects/${this.projectId}/files/${this.fileId}/checkpoints`, { version, label });
      this.naming = false;
      await this.reload();
      this.notice = `Version ${version} is now named “${label}”.`;
    } catch (error) {
      this.labelError = plainMessage(error);
      input?.focus();
    }
  }
}
customElements.define('history-panel', HistoryPanel);
