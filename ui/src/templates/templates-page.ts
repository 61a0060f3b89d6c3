/**
 * The template marketplace: cards filtered by category, tag and keyword (the API filters); a
 * detail dialog (variables, file tree of the default rendering, install commands, requirements);
 * an apply dialog with a form generated from the variables that shows the API's messages, an
 * overwrite option, live progress from the run's event stream, then links to the new files.
 */
import { css, html } from 'lit';
import type { TemplateDescription, TemplateRun, TemplateSummary, ProjectList } from '@resoft/contracts';
import { ApiError } from '../api/api-client.js';
import { sharedStyles } from '../styles/shared-styles.js';
import { toast } from '../events.js';
import './template-form.js';
import { plainFieldMessage, plainMessage } from '../api/plain-messages.js';
import { ApiConsumerElement } from '../api/api-consumer-element.js';
import { mayEditFiles } from '@resoft/domain/permissions';

type TemplateDetail = TemplateDescription;

export class TemplatesPage extends ApiConsumerElement {
  static override properties = {
    all: { state: true },
    items: { state: true },
    filters: { state: true },
    detail: { state: true },
    previewFiles: { state: true },
    applying: { state: true },
    projects: { state: true },
    fieldErrors: { state: true },
    applyError: { state: true },
    busy: { state: true },
    progress: { state: true },
    run: { state: true },
  };
  declare all: readonly TemplateSummary[];
  declare items: readonly TemplateSummary[] | null;
  declare filters: { category: string; tag: string; q: string };
  declare detail: TemplateDetail | null;
  declare previewFiles: readonly { path: string; size: number }[];
  declare applying: boolean;
  declare projects: readonly { id: string; name: string }[];
  declare fieldErrors: Record<string, string>;
  declare applyError: string;
  declare busy: boolean;
  declare progress: readonly string[];
  declare run: TemplateRun | null;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; max-width: 72rem; margin: 0 auto; padding: 1rem; }
      .filters { display: flex; gap: 0.75rem; flex-wrap: wrap; margin-bottom: 1rem; }
      .filters > div { flex: 1 1 12rem; }
      ul.cards { list-style: none; padding: 0; display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); }
      .cards button { all: unset; display: block; cursor: pointer; height: 100%; width: 100%; box-sizing: border-box; }
      .cards button:focus-visible .card { outline: 3px solid #7aa7ff; }
      .tag { display: inline-block; font-size: 0.75rem; background: #e8ecf3; border-radius: 999px; padding: 0.05rem 0.5rem; margin: 0.1rem; }
      dialog { border: none; border-radius: 12px; padding: 1.25rem; width: min(48rem, calc(100vw - 2rem)); max-height: calc(100vh - 2rem); box-shadow: 0 12px 40px rgb(0 0 0 / 0.3); }
      dialog::backdrop { background: rgb(20 25 40 / 0.45); }
      table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }
      th, td { text-align: left; border-bottom: 1px solid #eef1f5; padding: 0.3rem; vertical-align: top; }
      pre { background: #f4f6fa; padding: 0.5rem; border-radius: 6px; overflow-x: auto; }
      .actions { display: flex; gap: 0.5rem; justify-content: flex-end; margin-top: 1rem; }
      progress { width: 100%; }
      .files { max-height: 14rem; overflow: auto; font-family: ui-monospace, monospace; font-size: 0.8rem; }
    `,
  ];

  constructor() {
    super();
    this.all = [];
    this.items = null;
    this.filters = { category: '', tag: '', q: '' };
    this.detail = null;
    this.previewFiles = [];
    this.applying = false;
    this.projects = [];
    this.fieldErrors = {};
    this.applyError = '';
    this.busy = false;
    this.progress = [];
    this.run = null;
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load(true);
  }

  override render() {
    const categories = [...new Set(this.all.map((t) => t.category))].sort();
    const tags = [...new Set(this.all.flatMap((t) => t.tags))].sort();
    return html`<h1>Templates</h1>
      <div class="filters" role="search">
        <div><label for="category">Category</label><select id="category" @change=${(e: Event) => this.filter({ category: (e.target as HTMLSelectElement).value })}><option value="">All categories</option>${categories.map((c) => html`<option>${c}</option>`)}</select></div>
        <div><label for="tag">Tag</label><select id="tag" @change=${(e: Event) => this.filter({ tag: (e.target as HTMLSelectElement).value })}><option value="">All tags</option>${tags.map((t) => html`<option>${t}</option>`)}</select></div>
        <div><label for="keyword">Keyword</label><input id="keyword" type="search" @input=${(e: Event) => this.filter({ q: (e.target as HTMLInputElement).value }, 250)} /></div>
      </div>
      ${this.items === null
        ? html`<p class="muted" role="status">Loading templates…</p>`
        : this.items.length === 0
          ? html`<p class="muted">No template matches these filters.</p>`
          : html`<ul class="cards" aria-label="Templates">
              ${this.items.map(
                (t) => html`<li><button @click=${() => this.open(t.id)} aria-label="${t.name}: details"><div class="card"><h3>${t.name}</h3><p class="muted">${t.category} · v${t.version}</p><p>${t.description}</p>${t.tags.map((tag) => html`<span class="tag">${tag}</span>`)}</div></button></li>`,
              )}
            </ul>`}
      <dialog id="detail" aria-labelledby="detail-title" @close=${this.closed}>${this.detail ? (this.applying ? this.applyView(this.detail) : this.detailView(this.detail)) : null}</dialog>`;
  }

  private detailView(t: TemplateDetail) {
    const required = new Set(t.variables.required ?? []);
    return html`<h2 id="detail-title">${t.name}</h2>
      <p>${t.description}</p>
      <h3>Variables</h3>
      <table aria-label="Variables">
        <thead><tr><th>Name</th><th>Type</th><th>Default</th><th>Description</th></tr></thead>
        <tbody>${Object.entries(t.variables.properties).map(([name, v]) => html`<tr><td>${name}${required.has(name) ? ' *' : ''}</td><td>${v.enum ? `one of ${v.enum.join(', ')}` : v.type}</td><td>${v.default === undefined ? '' : String(v.default)}</td><td>${v.description ?? ''}</td></tr>`)}</tbody>
      </table>
      <h3>Files (${this.previewFiles.length || t.fileCount}, with the defaults)</h3>
      <ul class="files" aria-label="Files the template creates">${this.previewFiles.map((f) => html`<li>${f.path} <span class="muted">${f.size} B</span></li>`)}</ul>
      <h3>Install</h3>
      <pre>${t.install.join('\n')}</pre>
      <h3>Requirements</h3>
      <ul>${t.requirements.map((r) => html`<li>${r}</li>`)}</ul>
      <div class="actions"><button class="secondary" @click=${this.closeDialog}>Close</button><button @click=${this.startApply}>Use this template…</button></div>`;
  }

  private applyView(t: TemplateDetail) {
    if (this.run || this.progress.length > 0) {
      const run = this.run;
      return html`<h2 id="detail-title">Applying ${t.name}</h2>
        <progress max=${run?.fileCount ?? 1} value=${run?.rendered ?? 0} aria-label="Progress"></progress>
        <p role="status" data-testid="run-status">${run ? `${run.status}: ${run.rendered} of ${run.fileCount} files` : 'starting…'}${run?.reason ? ` — ${run.reason}` : ''}</p>
        ${run?.status === 'completed'
          ? html`<h3>New files</h3><ul class="files" aria-label="New files">${run.files.map((f) => html`<li>${f.fileId ? html`<a href="/projects/${run.projectId}/files/${f.fileId}" @click=${this.closeDialog}>${f.path}</a>` : f.path}</li>`)}</ul>`
          : null}
        <div class="actions"><button class="secondary" @click=${this.closeDialog}>Close</button></div>`;
    }
    return html`<h2 id="detail-title">Apply ${t.name}</h2>
      ${this.applyError ? html`<p class="error" role="alert">${this.applyError}</p>` : null}
      <template-form .schema=${t.variables} .projects=${this.projects} .errors=${this.fieldErrors} ?busy=${this.busy} @submit-variables=${(e: CustomEvent<{ projectId: string; overwrite: boolean; variables: Record<string, unknown> }>) => this.apply(t, e.detail)}></template-form>
      <div class="actions"><button class="secondary" @click=${this.closeDialog}>Cancel</button></div>`;
  }

  private filter(change: Partial<TemplatesPage['filters']>, delay = 0) {
    this.filters = { ...this.filters, ...change };
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.load(false), delay);
  }

  private async load(everything: boolean) {
    const query = new URLSearchParams(Object.entries(this.filters).filter(([, v]) => v !== '')).toString();
    try {
      const items = (await this.api.get<{ items: TemplateSummary[] }>(`/api/v1/templates${query ? `?${query}` : ''}`)).items;
      this.items = items;
      if (everything) this.all = items;
    } catch (error) {
      toast(this, 'error', `Could not load templates: ${(error as Error).message}`);
      this.items = [];
    }
  }

  private async open(id: string) {
    try {
      const [detail, preview] = await Promise.all([
        this.api.get<TemplateDetail>(`/api/v1/templates/${encodeURIComponent(id)}`),
        this.api.post<{ files: { path: string; size: number }[] }>(`/api/v1/templates/${encodeURIComponent(id)}/preview`, { variables: {} }),
      ]);
      this.detail = detail;
      this.previewFiles = preview.files;
      this.applying = false;
      this.run = null;
      this.progress = [];
      await this.updateComplete;
      (this.renderRoot.querySelector('#detail') as HTMLDialogElement).showModal();
      this.focusTitle();
    } catch (error) {
      toast(this, 'error', `Could not open the template: ${(error as Error).message}`);
    }
  }

  private async startApply() {
    this.fieldErrors = {};
    this.applyError = '';
    try {
      const mine = (await this.api.get<ProjectList>('/api/projects')).items;
      this.projects = mine.filter((p) => mayEditFiles(p.role));
    } catch (error) {
      this.applyError = (error as Error).message;
    }
    this.applying = true;
    await this.updateComplete;
    this.focusTitle();
  }

  /** The dialog opens at its title (not at its last button, scrolled down): read from the top. */
  private focusTitle() {
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>('#detail');
    const title = dialog?.querySelector<HTMLElement>('#detail-title');
    if (!dialog || !title) return;
    title.tabIndex = -1;
    title.focus();
    dialog.scrollTop = 0;
  }

  private async apply(t: TemplateDetail, request: { projectId: string; overwrite: boolean; variables: Record<string, unknown> }) {
    this.busy = true;
    this.fieldErrors = {};
    this.applyError = '';
    try {
      const started = await this.api.post<{ id: string }>('/api/v1/templates/apply', { projectId: request.projectId, templateId: t.id, variables: request.variables, overwrite: request.overwrite });
      this.progress = ['started'];
      await this.follow(started.id);
    } catch (error) {
      if (error instanceof ApiError) {
        this.fieldErrors = Object.fromEntries(error.fields.map((f) => [f.path.replace(/^(body\.)?variables\./, '').replace(/^body\.projectId$/, '__project'), plainFieldMessage(f.message)]));
        this.applyError = plainMessage(error);
      } else this.applyError = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  /** Follows the run's progress stream (each rendered file moves the bar), then reads the run for its files. */
  private async follow(runId: string) {
    this.run = await this.api.get<TemplateRun>(`/api/v1/template-runs/${runId}`);
    let rendered = 0;
    await this.api
      .events(`/api/v1/template-runs/${runId}/events`, (type, data) => {
        this.progress = [...this.progress, type];
        if (type === 'TemplateFileRendered') rendered += 1;
        const status = type === 'TemplateRunCompleted' ? 'completed' : type === 'TemplateRunFailed' ? 'failed' : (this.run?.status ?? 'running');
        if (this.run) this.run = { ...this.run, status, rendered: Math.max(rendered, status === 'completed' ? this.run.fileCount : 0), reason: (data as { reason?: string }).reason ?? this.run.reason };
      })
      .catch(() => undefined);
    this.run = await this.api.get<TemplateRun>(`/api/v1/template-runs/${runId}`);
    if (this.run.status === 'completed') toast(this, 'success', `${this.detail?.name ?? 'Template'} applied: ${this.run.fileCount} files.`);
  }

  private closeDialog() {
    (this.renderRoot.querySelector('#detail') as HTMLDialogElement | null)?.close();
  }

  private closed() {
    this.detail = null;
    this.applying = false;
  }
}
customElements.define('templates-page', TemplatesPage);
