/** Activity over time: events per bucket stacked by area (uPlot), labelled for screen readers; the page shows the same rows as a table on request. */
import { LitElement, css, html, type PropertyValues } from 'lit';
import uPlot from 'uplot';
import { AREAS } from './insights-filters.js';

type Cell = string | number | boolean | null;

/** One colour per area, readable on light and dark backgrounds. */
export const AREA_COLOURS = ['#6b7280', '#8b5cf6', '#f59e0b', '#10b981', '#3b82f6', '#ef4444', '#14b8a6', '#ec4899'];
export const areaColour = (area: string): string => AREA_COLOURS[(AREAS as readonly string[]).indexOf(area)] ?? '#6b7280';

export class InsightsActivityChart extends LitElement {
  static override properties = { rows: { attribute: false }, areas: { attribute: false }, interval: { attribute: false }, who: { attribute: false } };
  declare rows: readonly Record<string, Cell>[];
  declare areas: readonly string[];
  declare interval: string;
  /** Whose events are counted, for the label ('' for everyone). */
  declare who: string;
  private chart: uPlot | null = null;

  static override styles = css`
    :host { display: block; }
    .uplot, .u-wrap { position: relative; }
    .u-under, .u-over, .u-wrap canvas { position: absolute; left: 0; top: 0; }
    .u-axis { position: absolute; }
    .u-legend { display: none; }
    .plot { min-height: 300px; position: relative; }
  `;

  constructor() {
    super();
    this.rows = [];
    this.areas = AREAS;
    this.interval = 'day';
    this.who = '';
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('rows') || changed.has('areas') || changed.has('interval') || changed.has('who')) this.draw();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.chart?.destroy();
    this.chart = null;
  }

  private draw(): void {
    const host = this.renderRoot.querySelector<HTMLElement>('.plot');
    this.chart?.destroy();
    this.chart = null;
    if (!host) return;
    const x = this.rows.map((r) => Date.parse(String(r['bucket'])) / 1000);
    // Stacked: each series is the sum of its area and those below it.
    const running = x.map(() => 0);
    const stacked = this.areas.map((area) => this.rows.map((r, i) => (running[i] = running[i]! + Number(r[area] ?? 0))));
    this.chart = new uPlot(
      {
        width: Math.max(320, host.clientWidth || 800), height: 300, legend: { show: false },
        axes: [{ stroke: '#6b7280' }, { stroke: '#6b7280', label: 'events' }],
        series: [{}, ...this.areas.map((area) => ({ label: area, stroke: areaColour(area), fill: `${areaColour(area)}55`, width: 1 })).reverse()],
      },
      [x, ...stacked.reverse()],
      host,
    );
    const canvas = host.querySelector('canvas');
    canvas?.setAttribute('aria-label', `Events per ${this.interval}, stacked by area${this.who ? `, by ${this.who}` : ''}`);
    canvas?.setAttribute('role', 'img');
  }

  override render() {
    return html`<div class="plot" data-testid="activity-chart"></div>`;
  }
}

customElements.define('insights-activity-chart', InsightsActivityChart);
