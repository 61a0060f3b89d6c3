/**
 * A project's Insights (`/projects/:id/insights`): activity over time stacked by area (uPlot, loaded
 * with this page only), contributors, hot files, quality, chat rooms and agents, each as a table too
 * and downloadable as CSV. The filters (interval, period, zone, areas) live in the URL, so a view
 * can be shared or reloaded.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import uPlot from 'uplot';
import type { ApiClient } from '../api/api-client.js';
import { sharedStyles } from '../styles/shared-styles.js';

type Cell = string | number | boolean | null;
interface Answer {
  readonly position: number;
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, Cell>[];
}

const AREAS = ['project', 'members', 'milestones', 'chat', 'files', 'checks', 'templates', 'agents'] as const;
/** One colour per area, readable on light and dark backgrounds. */
const COLOURS = ['#6b7280', '#8b5cf6', '#f59e0b', '#10b981', '#3b82f6', '#ef4444', '#14b8a6', '#ec4899'];
const SECTIONS = [
  { key: 'contributors', title: 'Contributors', path: 'contributors' },
  { key: 'files', title: 'Hot files', path: 'files?limit=20' },
  { key: 'quality', title: 'Code quality', path: 'quality' },
  { key: 'rooms', title: 'Chat rooms', path: 'rooms' },
  { key: 'agents', title: 'Agents', path: 'agents' },
] as const;

interface Filters {
  interval: 'hour' | 'day' | 'week';
  since: string;
  until: string;
  tz: string;
  areas: readonly string[];
}

const daysAgo = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

export function filtersFrom(search: string): Filters {
  const q = new URLSearchParams(search);
  const interval = q.get('interval');
  const areas = (q.get('areas') ?? '').split(',').filter((a) => (AREAS as readonly string[]).includes(a));
  return {
    interval: interval === 'hour' || interval === 'week' ? interval : 'day',
    since: /^\d{4}-\d{2}-\d{2}$/.test(q.get('since') ?? '') ? q.get('since')! : daysAgo(30),
    until: /^\d{4}-\d{2}-\d{2}$/.test(q.get('until') ?? '') ? q.get('until')! : daysAgo(-1),
    tz: q.get('tz') || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    areas: areas.length ? areas : AREAS,
  };
}

export class InsightsPage extends LitElement {
  static override properties = { api: { attribute: false }, projectId: { attribute: false }, search: { attribute: false }, answers: { state: true }, error: { state: true }, tables: { state: true } };
  declare api: ApiClient;
  declare projectId: string;
  declare search: string;
  declare answers: Record<string, Answer>;
  declare error: string;
  /** Sections shown as a table instead of (or besides) the chart. */
  declare tables: ReadonlySet<string>;
  private chart: uPlot | null = null;

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; max-width: 72rem; margin: 0 auto; padding: 1.5rem 1rem; }
      form { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; margin-bottom: 1rem; }
      form > div { min-width: 9rem; }
      fieldset { border: 1px solid #dde2ea; border-radius: 6px; display: flex; flex-wrap: wrap; gap: 0.5rem; }
      fieldset label { display: inline-flex; gap: 0.25rem; font-weight: 400; margin: 0; }
      fieldset input { width: auto; }
      section { margin-bottom: 1.25rem; }
      .head { display: flex; gap: 0.75rem; align-items: center; justify-content: space-between; }
      table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
      th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #e6e9ef; }
      td.n { text-align: right; font-variant-numeric: tabular-nums; }
      .scroll { max-height: 22rem; overflow: auto; }
      .legend { display: flex; flex-wrap: wrap; gap: 0.75rem; font-size: 0.8rem; }
      .swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px; margin-right: 0.25rem; vertical-align: middle; }
      .uplot, .u-wrap { position: relative; }
      .u-under, .u-over, .u-wrap canvas { position: absolute; left: 0; top: 0; }
      .u-axis { position: absolute; }
      .u-legend { display: none; }
      #chart { min-height: 300px; position: relative; }
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
    return filtersFrom(this.search);
  }

  override updated(changed: PropertyValues<this>) {
    if (changed.has('search') || changed.has('projectId')) void this.load();
    if (changed.has('answers') || changed.has('tables')) this.drawChart();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.chart?.destroy();
  }

  private query(f: Filters): string {
    const since = new Date(`${f.since}T00:00:00Z`).toISOString();
    const until = new Date(`${f.until}T00:00:00Z`).toISOString();
    return `interval=${f.interval}&tz=${encodeURIComponent(f.tz)}&since=${since}&until=${until}`;
  }

  private url(path: string, f: Filters): string {
    return `/api/projects/${this.projectId}/analytics/${path}${path.includes('?') ? '&' : '?'}${this.query(f)}`;
  }

  private async load(): Promise<void> {
    const f = this.filters;
    try {
      const entries = await Promise.all([
        ['timeline', `timeline?groupBy=area`] as const,
        ...SECTIONS.map((s) => [s.key, s.path] as const),
      ].map(async ([key, path]) => [key, await this.api.get<Answer>(this.url(path, f))] as const));
      this.answers = Object.fromEntries(entries);
      this.error = '';
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  /** Writes the filters into the URL (replacing the entry) and reloads. */
  private setFilters(change: Partial<Filters>): void {
    const f = { ...this.filters, ...change };
    const q = new URLSearchParams({ interval: f.interval, since: f.since, until: f.until, tz: f.tz });
    if (f.areas.length !== AREAS.length) q.set('areas', f.areas.join(','));
    const search = `?${q}`;
    history.replaceState(history.state, '', `${location.pathname}${search}`);
    this.search = search;
  }

  private async download(path: string, name: string): Promise<void> {
    const csv = await this.api.text(`${this.url(path, this.filters)}&format=csv`);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    link.download = `${name}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }

  private drawChart(): void {
    const host = this.renderRoot.querySelector<HTMLElement>('#chart');
    const timeline = this.answers['timeline'];
    this.chart?.destroy();
    this.chart = null;
    if (!host || !timeline) return;
    const areas = this.filters.areas;
    const x = timeline.rows.map((r) => Date.parse(String(r['bucket'])) / 1000);
    // Stacked: each series is the sum of its area and those below it.
    const running = x.map(() => 0);
    const stacked = areas.map((area) => timeline.rows.map((r, i) => (running[i] = running[i]! + Number(r[area] ?? 0))));
    this.chart = new uPlot(
      {
        width: Math.max(320, host.clientWidth || 800), height: 300, legend: { show: false },
        axes: [{ stroke: '#6b7280' }, { stroke: '#6b7280', label: 'events' }],
        series: [{}, ...areas.map((area, i) => ({ label: area, stroke: COLOURS[AREAS.indexOf(area as never)] ?? COLOURS[i], fill: `${COLOURS[AREAS.indexOf(area as never)] ?? COLOURS[i]}55`, width: 1 })).reverse()],
      },
      [x, ...stacked.reverse()],
      host,
    );
    host.querySelector('canvas')?.setAttribute('aria-label', `Events per ${this.filters.interval}, stacked by area`);
    host.querySelector('canvas')?.setAttribute('role', 'img');
  }

  private toggleTable(key: string): void {
    const next = new Set(this.tables);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    this.tables = next;
  }

  private table(key: string, title: string, columns: readonly string[]) {
    const answer = this.answers[key];
    if (!answer) return html`<p class="muted" role="status">Loading…</p>`;
    if (answer.rows.length === 0) return html`<p class="muted">Nothing in this period.</p>`;
    return html`<div class="scroll"><table aria-label=${title}>
      <thead><tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
      <tbody>${answer.rows.map((r) => html`<tr>${columns.map((c) => html`<td class=${typeof r[c] === 'number' ? 'n' : ''}>${r[c] ?? ''}</td>`)}</tr>`)}</tbody>
    </table></div>`;
  }

  override render() {
    const f = this.filters;
    const timeline = this.answers['timeline'];
    return html`
      <p><a href="/projects/${this.projectId}">← Back to the project</a></p>
      <h1>Insights</h1>
      <form aria-label="Filters" @change=${(e: Event) => this.onFilter(e)} @submit=${(e: Event) => e.preventDefault()}>
        <div><label for="interval">Interval</label>
          <select id="interval" name="interval">${(['hour', 'day', 'week'] as const).map((i) => html`<option value=${i} ?selected=${f.interval === i}>${i}</option>`)}</select></div>
        <div><label for="since">From</label><input id="since" name="since" type="date" .value=${f.since} /></div>
        <div><label for="until">Until</label><input id="until" name="until" type="date" .value=${f.until} /></div>
        <div><label for="tz">Time zone</label><input id="tz" name="tz" .value=${f.tz} /></div>
        <fieldset><legend>Areas</legend>${AREAS.map((a) => html`<label><input type="checkbox" name="area" value=${a} ?checked=${f.areas.includes(a)} />${a}</label>`)}</fieldset>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      <section class="card" aria-labelledby="activity-title">
        <div class="head"><h2 id="activity-title">Activity over time</h2>
          <div><button class="secondary" @click=${() => this.toggleTable('timeline')}>${this.tables.has('timeline') ? 'Hide table' : 'Show table'}</button>
          <button class="secondary" @click=${() => this.download('timeline?groupBy=area', 'activity')}>Download CSV</button></div></div>
        <div class="legend">${f.areas.map((a) => html`<span><span class="swatch" style="background:${COLOURS[AREAS.indexOf(a as never)]}"></span>${a}</span>`)}</div>
        <div id="chart" data-testid="activity-chart"></div>
        ${timeline && this.tables.has('timeline') ? this.table('timeline', 'Activity over time', ['bucket', 'total', ...f.areas]) : null}
        ${timeline ? html`<p class="muted">As of position ${timeline.position}; ${timeline.rows.reduce((n, r) => n + Number(r['total'] ?? 0), 0)} events in the period.</p>` : null}
      </section>
      ${SECTIONS.map((s) => html`<section class="card" aria-labelledby="${s.key}-title">
        <div class="head"><h2 id="${s.key}-title">${s.title}</h2><button class="secondary" @click=${() => this.download(s.path, s.key)}>Download CSV</button></div>
        ${this.table(s.key, s.title, this.answers[s.key]?.columns ?? [])}
      </section>`)}
    `;
  }

  private onFilter(event: Event): void {
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const interval = String(data.get('interval')) as Filters['interval'];
    this.setFilters({ interval, since: String(data.get('since') || this.filters.since), until: String(data.get('until') || this.filters.until), tz: String(data.get('tz') || 'UTC'), areas: data.getAll('area').map(String) });
  }
}

customElements.define('insights-page', InsightsPage);
