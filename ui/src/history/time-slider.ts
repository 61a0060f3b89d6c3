/**
 * The project page's time slider (issue 13): pick a moment of the project's history — one stop per
 * event — and see the files, the members and a room's chat as they were then (the read API's
 * `?asOf=`, replayed from the event store); pick a second moment to compare, and see which files
 * and members changed between the two and a line diff of a file. Loads nothing until opened.
 */
import { css, html } from 'lit';
import type { ChatHistoryPage, FileList, FileWithText, ProjectMembers, Rooms } from '@resoft/contracts';
import { fetchEventsPage } from '../audit/project-audit-source.js';
import { compareFiles, compareMembers, momentsOf, type FileAsOf, type MemberAsOf, type Moment } from '../audit/time-travel.js';
import { diffLines } from './line-diff.js';
import { sharedStyles } from '../styles/shared-styles.js';
import { ApiConsumerElement } from '../api/api-consumer-element.js';

interface StateAsOf {
  readonly position: number;
  readonly files: readonly FileAsOf[];
  readonly members: readonly MemberAsOf[];
  readonly rooms: readonly { id: string; name: string }[];
}

interface ChatLineAsOf {
  readonly id: string;
  readonly authorId: string;
  readonly text: string;
  readonly postedAt: string;
  readonly deleted: boolean;
}

/** The moments are read in pages of this many events; a longer history keeps its latest MAX_MOMENTS. */
const MOMENT_PAGE = 1000;
const MAX_MOMENTS = 20_000;

export class TimeSlider extends ApiConsumerElement {
  static override properties = {
    projectId: { attribute: false },
    moments: { state: true }, at: { state: true }, compareAt: { state: true }, state: { state: true }, compared: { state: true },
    roomId: { state: true }, chat: { state: true }, diffFileId: { state: true }, diff: { state: true }, error: { state: true },
  };
  declare projectId: string;
  declare moments: readonly Moment[] | null;
  /** Index of the chosen moment. */
  declare at: number;
  /** Index of the moment to compare with, or null. */
  declare compareAt: number | null;
  declare state: StateAsOf | null;
  declare compared: StateAsOf | null;
  declare roomId: string;
  declare chat: readonly ChatLineAsOf[] | null;
  declare diffFileId: string;
  declare diff: ReturnType<typeof diffLines> | null;
  declare error: string;
  private loads = 0;

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; margin-top: 1rem; }
      input[type='range'] { width: 100%; }
      .grid { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 1rem; align-items: start; }
      @media (max-width: 900px) { .grid { grid-template-columns: 1fr; } }
      ul { padding-left: 1.1rem; margin: 0.3rem 0; font-size: 0.875rem; }
      .added { color: #15602f; } .removed { color: #b3261e; text-decoration: line-through; } .changed { color: #7a5300; }
      pre.diff { font-size: 0.8rem; max-height: 22rem; overflow: auto; background: #fafbfd; border: 1px solid #eef1f5; border-radius: 6px; padding: 0.4rem; }
      pre.diff span { display: block; white-space: pre-wrap; }
      pre.diff .added { background: #e6f6ec; text-decoration: none; } pre.diff .removed { background: #fdecea; text-decoration: none; }
      h3 { font-size: 1rem; margin: 0.4rem 0; }
    `,
  ];

  constructor() {
    super();
    this.moments = null;
    this.at = 0;
    this.compareAt = null;
    this.state = null;
    this.compared = null;
    this.roomId = '';
    this.chat = null;
    this.diffFileId = '';
    this.diff = null;
    this.error = '';
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('projectId')) {
      this.moments = null;
      this.state = null;
      this.compared = null;
      this.compareAt = null;
    }
  }

  private async open(event: Event) {
    if (!(event.target as HTMLDetailsElement).open || this.moments) return;
    try {
      const events: Moment[] = [];
      for (let from: number | null = 1; from !== null; ) {
        const page = await fetchEventsPage(this.api, this.projectId, { fromPosition: from, limit: MOMENT_PAGE });
        events.push(...page.events.map(({ event: e }) => ({ position: e.position, occurredAt: e.metadata.occurredAt, type: e.type, actor: e.metadata.actor })));
        from = page.nextPosition;
      }
      this.moments = momentsOf(events).slice(-MAX_MOMENTS);
      this.at = Math.max(0, this.moments.length - 1);
      await this.show();
    } catch (error) {
      this.error = `Could not read the project's history: ${(error as Error).message}`;
    }
  }

  private async stateAt(position: number): Promise<StateAsOf> {
    const base = `/api/projects/${this.projectId}`;
    const [files, members, rooms] = await Promise.all([
      this.api.get<FileList>(`${base}/files?asOf=${position}`),
      this.api.get<ProjectMembers>(`${base}/members?asOf=${position}`),
      this.api.get<Rooms>(`${base}/rooms?asOf=${position}`),
    ]);
    return { position, files: files.items, members: members.items, rooms: rooms.items };
  }

  /** Loads what the chosen moments need; an older load that finishes late is dropped. */
  private async show() {
    const moments = this.moments;
    if (!moments || moments.length === 0) return;
    const load = ++this.loads;
    try {
      const position = moments[this.at]!.position;
      const comparePosition = this.compareAt === null ? null : moments[this.compareAt]!.position;
      const [state, compared] = await Promise.all([this.stateAt(position), comparePosition === null ? null : this.stateAt(comparePosition)]);
      if (load !== this.loads) return;
      this.state = state;
      this.compared = compared;
      if (!state.rooms.some((r) => r.id === this.roomId)) this.roomId = state.rooms[0]?.id ?? '';
      await Promise.all([this.loadChat(load), this.loadDiff(load)]);
      this.error = '';
    } catch (error) {
      if (load === this.loads) this.error = `Could not read the project as of then: ${(error as Error).message}`;
    }
  }

  private async loadChat(load: number) {
    if (!this.roomId || !this.state) return void (this.chat = null);
    const page = await this.api.get<ChatHistoryPage>(`/api/collaboration/chat/${this.roomId}/history?asOf=${this.state.position}&limit=50`);
    if (load === this.loads) this.chat = page.messages;
  }

  private async loadDiff(load: number) {
    const { state, compared } = this;
    if (!state || !compared || !this.diffFileId) return void (this.diff = null);
    const textAt = async (s: StateAsOf) =>
      s.files.some((f) => f.id === this.diffFileId) ? (await this.api.get<FileWithText>(`/api/projects/${this.projectId}/files/${this.diffFileId}?asOf=${s.position}`)).text : '';
    const [older, newer] = compared.position <= state.position ? [compared, state] : [state, compared];
    const [before, after] = await Promise.all([textAt(older), textAt(newer)]);
    if (load === this.loads) this.diff = diffLines(before, after);
  }

  private describe(moment: Moment | undefined): string {
    if (!moment) return '';
    return `position ${moment.position}, ${new Date(moment.occurredAt).toLocaleString()}: ${moment.type}`;
  }

  override render() {
    return html`<details class="card" @toggle=${this.open}>
      <summary>Time travel</summary>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      ${!this.moments ? html`<p class="muted" role="status">Reading the project's history…</p>` : this.moments.length === 0 ? html`<p class="muted">No history yet.</p>` : this.controls(this.moments)}
    </details>`;
  }

  private controls(moments: readonly Moment[]) {
    const last = moments.length - 1;
    return html`
      <label for="moment">As of <span data-testid="moment">${this.describe(moments[this.at])}</span></label>
      <input id="moment" type="range" min="0" max=${last} .value=${String(this.at)} aria-valuetext=${this.describe(moments[this.at])}
        @change=${(e: Event) => { this.at = Number((e.target as HTMLInputElement).value); void this.show(); }} />
      <label><input type="checkbox" .checked=${this.compareAt !== null} @change=${(e: Event) => { this.compareAt = (e.target as HTMLInputElement).checked ? last : null; void this.show(); }} /> Compare with another moment</label>
      ${this.compareAt !== null
        ? html`<label for="compare-moment">Compare with <span data-testid="compare-moment">${this.describe(moments[this.compareAt])}</span></label>
            <input id="compare-moment" type="range" min="0" max=${last} .value=${String(this.compareAt)} aria-valuetext=${this.describe(moments[this.compareAt])}
              @change=${(e: Event) => { this.compareAt = Number((e.target as HTMLInputElement).value); void this.show(); }} />`
        : null}
      ${this.state ? this.views(this.state) : html`<p class="muted" role="status">Loading…</p>`}
      ${this.compared && this.state ? this.comparison(this.state, this.compared) : null}`;
  }

  private views(state: StateAsOf) {
    const names = new Map(state.members.map((m) => [m.userId, m.username]));
    return html`<div class="grid" data-testid="as-of" data-position=${state.position}>
      <section aria-label="Files then"><h3>Files</h3>
        ${state.files.length === 0 ? html`<p class="muted">No files.</p>` : html`<ul data-testid="files-then">${state.files.map((f) => html`<li>${f.path} <span class="muted">v${f.version}</span></li>`)}</ul>`}</section>
      <section aria-label="Members then"><h3>Members</h3>
        <ul data-testid="members-then">${state.members.map((m) => html`<li>${m.username} <span class="muted">${m.role}</span></li>`)}</ul></section>
      <section aria-label="Chat then"><h3>Chat</h3>
        ${state.rooms.length === 0 ? html`<p class="muted">No rooms.</p>` : html`
          <label>Room <select @change=${(e: Event) => { this.roomId = (e.target as HTMLSelectElement).value; void this.show(); }}>
            ${state.rooms.map((r) => html`<option value=${r.id} ?selected=${r.id === this.roomId}>${r.name}</option>`)}</select></label>
          ${!this.chat ? null : this.chat.length === 0 ? html`<p class="muted">No messages.</p>` : html`<ul data-testid="chat-then">${this.chat.map((m) => html`<li>${m.deleted ? html`<em>deleted</em>` : html`<strong>${names.get(m.authorId) ?? 'someone'}</strong>: ${m.text}`}</li>`)}</ul>`}`}
      </section>
    </div>`;
  }

  private comparison(state: StateAsOf, compared: StateAsOf) {
    const [older, newer] = compared.position <= state.position ? [compared, state] : [state, compared];
    const files = compareFiles(older.files, newer.files);
    const members = compareMembers(older.members, newer.members);
    const everyFile = new Map([...older.files, ...newer.files].map((f) => [f.id, f.path]));
    return html`<section aria-label="Changes between the moments" data-testid="changes">
      <h3>From position ${older.position} to ${newer.position}</h3>
      <ul>
        ${files.added.map((f) => html`<li class="added">file ${f.path} added</li>`)}
        ${files.removed.map((f) => html`<li class="removed">file ${f.path} removed</li>`)}
        ${files.changed.map(([then, now]) => html`<li class="changed">file ${then.path}${then.path !== now.path ? ` → ${now.path}` : ''}: v${then.version} → v${now.version}</li>`)}
        ${members.added.map((m) => html`<li class="added">${m.username} joined as ${m.role}</li>`)}
        ${members.removed.map((m) => html`<li class="removed">${m.username} left</li>`)}
        ${members.changed.map(([then, now]) => html`<li class="changed">${now.username}: ${then.role} → ${now.role}</li>`)}
      </ul>
      <label>Diff of <select @change=${(e: Event) => { this.diffFileId = (e.target as HTMLSelectElement).value; void this.show(); }}>
        <option value="">Choose a file</option>${[...everyFile].map(([id, filePath]) => html`<option value=${id} ?selected=${id === this.diffFileId}>${filePath}</option>`)}</select></label>
      ${this.diff ? html`<pre class="diff" data-testid="diff">${this.diff.map((line) => html`<span class=${line.kind}>${line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}${line.text}</span>`)}</pre>` : null}
    </section>`;
  }
}
customElements.define('time-slider', TimeSlider);
