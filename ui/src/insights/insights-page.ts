/**
 * A project's Insights (`/projects/:id/insights`): activity over time stacked by area, contributors,
 * hot files, the quality trend on grade bands, chat rooms and agents, each as a table too and
 * downloadable as CSV; and a SQL tab over the project's history. The filters (interval, period,
 * zone, areas, people) and the tab live in the URL, so a view can be shared or reloaded. The charts
 * (uPlot) are components in ui/src/insights, loaded with this page only.
 */
import { css, html, type PropertyValues } from 'lit';
import { sharedStyles } from '../styles/shared-styles.js';
import { areaColour } from './activity-chart.js';
import { downloadText } from './download.js';
import { AREAS, filtersFrom, searchOf, type Filters } from './insights-filters.js';
import { tableStyles } from './table-styles.js';
import './activity-chart.js';
import './quality-chart.js';
import './sql-tab.js';
import { ApiConsumerElement } from '../api/api-consumer-element.js';

type Cell = string | number | boolean | null;
interface Answer {
  readonly position: number;
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, Cell>[];
}

const SECTIONS = [
  { key: 'contributors', title: 'Contributors', path: 'contributors' },
  { key: 'files', title: 'Hot files', path: 'files?limit=20' },
  { key: 'quality', title: 'Code quality', path: 'quality' },
  { key: 'rooms', title: 'Chat rooms', path: 'rooms' },
  { key: 'agents', title: 'Agents', path: 'agents' },
] as const;

const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const tabOf = (search: string): 'charts' | 'sql' => (new URLSearchParams(search).get('tab') === 'sql' ? 'sql' : 'charts');

export class InsightsPage extends ApiConsumerElement {
  static override properties = { projectId: { attribute: false }, search: { attribute: false }, answers: { state: true }, error: { state: true }, tables: { state: true } };
  declare projectId: string;
  declare search: string;
  declare answers: Record<string, Answer>;
  declare error: string;
  /** Sections shown as a table besides the chart. */
  declare tables: ReadonlySet<string>;

  static override styles = [
    sharedStyles,
    tableStyles,
    css`
      :host { display: block; max-width: 72rem; margin: 0 auto; padding: 1.5rem 1rem; }
      form { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; margin-bottom: 1rem; }
      form > div { min-width: 9rem; }
      fieldset { border: 1px solid #dde2ea; border-radius: 6px; display: flex; flex-wrap: wrap; gap: 0.5rem; }
      fieldset label { display: inline-flex; gap: 0.25rem; font-weight: 400; margin: 0; }
      fieldset input { width: auto; }
      section { margin-bottom: 1.25rem; }
      .legend { display: flex; flex-wrap: wrap; gap: 0.75rem; font-size: 0.8rem; }
      .swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px; margin-right: 0.25rem; vertical-align: middle; }
      [role='tablist'] { display: flex; gap: 0.25rem; margin-bottom: 1rem; border-bottom: 1px solid #dde2ea; }
      [role='tab'] { background: none; color: #2f5bd3; border: none; border-bottom: 3px solid transparent; border-radius: 0; }
      [role='tab'][aria-selected='true'] { border-bottom-color: #2f5bd3; font-weight: 600; }
    `,
  ];

  constructor() {
    super();
    this.search = '';
    this.answers = {};
    this.error = '';
    this.tables = new Set();
  }

  private get filters(): Filters {
    return filtersFrom(this.search, Date.now(), localZone());
  }

  override updated(changed: PropertyValues<this>) {
    if (changed.has('projectId') || (changed.has('search') && this.dataSearch(changed.get('search') ?? '') !== this.dataSearch(this.search))) void this.load();
  }

  /** The part of the URL that decides what is loaded (the tab does not). */
  private dataSearch(search: string): string {
    return searchOf(filtersFrom(search, Date.now(), localZone()));
  }

  private query(f: Filters): string {
    const since = new Date(`${f.since}T00:00:00Z`).toISOString();
    const until = new Date(`${f.until}T00:00:00Z`).toISOString();
    return `interval=${f.interval}&tz=${encodeURIComponent(f.tz)}&since=${since}&until=${until}`;
  }

  private url(path: string, f: Filters): string {
    return `/api/projects/${this.projectId}/analytics/${path}${path.includes('?') ? '&' : '?'}${this.query(f)}`;
  }

  /** The timeline's path: by area, narrowed to the chosen people when some are. */
  private timelinePath(f: Filters): string {
    return `timeline?groupBy=area${f.people.length ? `&people=${f.people.join(',')}` : ''}`;
  }

  private async load(): Promise<void> {
    const f = this.filters;
    try {
      const entries = await Promise.all([
        ['timeline', this.timelinePath(f)] as const,
        ...SECTIONS.map((s) => [s.key, s.path] as const),
      ].map(async ([key, path]) => [key, await this.api.get<Answer>(this.url(path, f))] as const));
      this.answers = Object.fromEntries(entries);
      this.error = '';
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  /** Writes the filters (and tab) into the URL, replacing the entry, which reloads what changed. */
  private setView(change: Partial<Filters>, tab = tabOf(this.search)): void {
    const search = `${searchOf({ ...this.filters, ...change })}${tab === 'sql' ? '&tab=sql' : ''}`;
    history.replaceState(history.state, '', `${location.pathname}${search}`);
    this.search = search;
  }

  private async download(path: string, name: string): Promise<void> {
    downloadText(await this.api.text(`${this.url(path, this.filters)}&format=csv`), `${name}.csv`);
  }

  private toggleTable(key: string): void {
    const next = new Set(this.tables);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    this.tables = next;
  }

  /** People who acted in the period (from the contributors answer), with their names. */
  private people(): { id: string; name: string }[] {
    return (this.answers['contributors']?.rows ?? []).map((r) => ({ id: String(r['actorId']), name: String(r['username'] ?? r['actorId']) }));
  }

  private table(key: string, title: string, columns: readonly string[], rows = this.answers[key]?.rows) {
    if (!rows) return html`<p class="muted" role="status">Loading…</p>`;
    if (rows.length === 0) return html`<p class="muted">Nothing in this period.</p>`;
    return html`<div class="scroll"><table aria-label=${title}>
      <thead><tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
      <tbody>${rows.map((r) => html`<tr>${columns.map((c) => html`<td class=${typeof r[c] === 'number' ? 'n' : ''}>${r[c] ?? ''}</td>`)}</tr>`)}</tbody>
    </table></div>`;
  }

  private sectionBody(key: string, title: string) {
    const answer = this.answers[key];
    const f = this.filters;
    if (key === 'contributors' && answer && f.people.length) return this.table(key, title, answer.columns, answer.rows.filter((r) => f.people.includes(String(r['actorId']))));
    if (key !== 'quality') return this.table(key, title, answer?.columns ?? []);
    return html`<insights-quality-chart .rows=${answer?.rows ?? []} .since=${Date.parse(`${f.since}T00:00:00Z`)} .until=${Date.parse(`${f.until}T00:00:00Z`)}></insights-quality-chart>
      <button class="secondary" @click=${() => this.toggleTable(key)}>${this.tables.has(key) ? 'Hide the checks' : 'Show the checks as a table'}</button>
      ${this.tables.has(key) ? this.table(key, title, answer?.columns ?? []) : null}`;
  }

  private renderCharts() {
    const f = this.filters;
    const timeline = this.answers['timeline'];
    const people = this.people();
    const names = new Map(people.map((p) => [p.id, p.name]));
    const who = f.people.map((id) => names.get(id) ?? id).join(', ');
    return html`
      <form aria-label="Filters" @change=${(e: Event) => this.onFilter(e)} @submit=${(e: Event) => e.preventDefault()}>
        <div><label for="interval">Interval</label>
          <select id="interval" name="interval">${(['hour', 'day', 'week'] as const).map((i) => html`<option value=${i} ?selected=${f.interval === i}>${i}</option>`)}</select></div>
        <div><label for="since">From</label><input id="since" name="since" type="date" .value=${f.since} /></div>
        <div><label for="until">Until</label><input id="until" name="until" type="date" .value=${f.until} /></div>
        <div><label for="tz">Time zone</label><input id="tz" name="tz" .value=${f.tz} /></div>
        <fieldset><legend>Areas</legend>${AREAS.map((a) => html`<label><input type="checkbox" name="area" value=${a} ?checked=${f.areas.includes(a)} />${a}</label>`)}</fieldset>
        <fieldset><legend>People (none checked: everyone)</legend>
          ${[...people, ...f.people.filter((id) => !names.has(id)).map((id) => ({ id, name: id }))].map((p) => html`<label><input type="checkbox" name="person" value=${p.id} ?checked=${f.people.includes(p.id)} />${p.name}</label>`)}
        </fieldset>
      </form>
      <section class="card" aria-labelledby="activity-title">
        <div class="head"><h2 id="activity-title">Activity over time${who ? html` <span class="muted">by ${who}</span>` : null}</h2>
          <div><button class="secondary" @click=${() => this.toggleTable('timeline')}>${this.tables.has('timeline') ? 'Hide table' : 'Show table'}</button>
          <button class="secondary" @click=${() => this.download(this.timelinePath(f), 'activity')}>Download CSV</button></div></div>
        <div class="legend">${f.areas.map((a) => html`<span><span class="swatch" style="background:${areaColour(a)}"></span>${a}</span>`)}</div>
        <insights-activity-chart .rows=${timeline?.rows ?? []} .areas=${f.areas} .interval=${f.interval} .who=${who}></insights-activity-chart>
        ${timeline && this.tables.has('timeline') ? this.table('timeline', 'Activity over time', ['bucket', 'total', ...f.areas]) : null}
        ${timeline ? html`<p class="muted">As of position ${timeline.position}; ${timeline.rows.reduce((n, r) => n + Number(r['total'] ?? 0), 0)} events in the period${who ? ` by ${who}` : ''}.</p>` : null}
      </section>
      ${SECTIONS.map((s) => html`<section class="card" aria-labelledby="${s.key}-title">
        <div class="head"><h2 id="${s.key}-title">${s.title}</h2><button class="secondary" @click=${() => this.download(s.path, s.key)}>Download CSV</button></div>
        ${this.sectionBody(s.key, s.title)}
      </section>`)}`;
  }

  override render() {
    const tab = tabOf(this.search);
    return html`
      <p><a href="/projects/${this.projectId}">← Back to the project</a></p>
      <h1>Insights</h1>
      <div role="tablist" aria-label="Insights views">
        <button role="tab" id="tab-charts" aria-controls="panel" aria-selected=${tab === 'charts'} @click=${() => this.setView({}, 'charts')}>Charts</button>
        <button role="tab" id="tab-sql" aria-controls="panel" aria-selected=${tab === 'sql'} @click=${() => this.setView({}, 'sql')}>SQL</button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      <div id="panel" role="tabpanel" aria-labelledby=${tab === 'sql' ? 'tab-sql' : 'tab-charts'}>
        ${tab === 'sql' ? html`<insights-sql-tab .projectId=${this.projectId}></insights-sql-tab>` : this.renderCharts()}
      </div>
    `;
  }

  private onFilter(event: Event): void {
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const interval = String(data.get('interval')) as Filters['interval'];
    this.setView({ interval, since: String(data.get('since') || this.filters.since), until: String(data.get('until') || this.filters.until), tz: String(data.get('tz') || 'UTC'), areas: data.getAll('area').map(String), people: data.getAll('person').map(String) });
  }
}

customElements.define('insights-page', InsightsPage);
