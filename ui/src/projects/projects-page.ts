/** The signed-in user's projects (from `GET /api/projects`) and a form to create one. */
import { css, html } from 'lit';
import type { ProjectList } from '@resoft/contracts';
import { plainFieldMessage, plainMessage } from '../api/plain-messages.js';
import { ApiError } from '../api/api-client.js';
import { sharedStyles } from '../styles/shared-styles.js';
import { navigate, toast } from '../events.js';
import '../insights/activity-sparkline.js';
import { ApiConsumerElement } from '../api/api-consumer-element.js';

/** Days of activity each card's sparkline shows. */
const SPARK_DAYS = 14;

type ProjectItem = ProjectList['items'][number];

export class ProjectsPage extends ApiConsumerElement {
  static override properties = { projects: { state: true }, error: { state: true }, busy: { state: true }, activity: { state: true } };
  declare projects: readonly ProjectItem[] | null;
  declare error: string;
  declare busy: boolean;
  /** Events per day of each project over the last SPARK_DAYS days (from one cross-project timeline read). */
  declare activity: ReadonlyMap<string, readonly number[]>;

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem; }
      ul { list-style: none; padding: 0; display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
      li a { display: block; text-decoration: none; color: inherit; height: 100%; }
      li a:hover .card { border-color: #2f5bd3; }
      form { margin-bottom: 1.5rem; }
    `,
  ];

  constructor() {
    super();
    this.projects = null;
    this.error = '';
    this.busy = false;
    this.activity = new Map();
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  override render() {
    return html`
      <h1>Your projects</h1>
      <form class="card" @submit=${this.create} aria-label="Create a project">
        <h2>New project</h2>
        <div class="row">
          <div><label for="name">Name</label><input id="name" name="name" required maxlength="200" /></div>
          <div><label for="description">Description</label><input id="description" name="description" maxlength="2000" /></div>
          <button type="submit" ?disabled=${this.busy}>Create project</button>
        </div>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      </form>
      ${this.projects === null
        ? html`<p class="muted" role="status">Loading projects…</p>`
        : this.projects.length === 0
          ? html`<p class="muted">You are not in any project yet: create one above, or ask an owner to add you.</p>`
          : html`<ul aria-label="Projects">
              ${this.projects.map(
                (p) => html`<li>
                  <a href="/projects/${p.id}"><div class="card"><h3>${p.name}</h3><p class="muted">${p.description || 'No description'}</p><p class="muted">${p.role} · ${p.memberCount} member${p.memberCount === 1 ? '' : 's'}</p>${this.activity.has(p.id) ? html`<activity-sparkline .counts=${this.activity.get(p.id)} .days=${SPARK_DAYS}></activity-sparkline>` : null}</div></a>
                </li>`,
              )}
            </ul>`}
    `;
  }

  private async load() {
    try {
      this.projects = (await this.api.get<{ items: ProjectItem[] }>('/api/projects')).items;
    } catch (error) {
      toast(this, 'error', `Could not load your projects: ${(error as Error).message}`);
      this.projects = [];
    }
    void this.loadActivity(this.projects.slice(0, 50).map((p) => p.id));
  }

  /** Every card's sparkline from one read of the cross-project timeline (at most 50 projects, the first listed); without it the cards simply have none. */
  private async loadActivity(projectIds: readonly string[]) {
    if (projectIds.length === 0) return;
    const since = new Date(Date.now() - (SPARK_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    try {
      const answer = await this.api.get<{ rows: Record<string, number | string>[] }>(`/api/analytics/timeline?groupBy=project&interval=day&tz=${encodeURIComponent(tz)}&since=${since}T00:00:00Z&projects=${projectIds.join(',')}`);
      this.activity = new Map(projectIds.map((id) => [id, answer.rows.map((r) => Number(r[id] ?? 0))]));
    } catch {
      this.activity = new Map();
    }
  }

  private async create(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const description = String(data.get('description') ?? '').trim();
    if (!name) {
      this.error = 'A project needs a name.';
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const created = await this.api.post<{ id: string }>('/api/projects', { name, ...(description ? { description } : {}) });
      toast(this, 'success', `Project ${name} created.`);
      navigate(this, `/projects/${created.id}`);
    } catch (error) {
      this.error = error instanceof ApiError && error.fields[0] ? `The ${error.fields[0].path.replace(/^body\./, '')}: ${plainFieldMessage(error.fields[0].message)}` : plainMessage(error);
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('projects-page', ProjectsPage);
