/**
 * The code-quality trend: each finished check's score over time (uPlot), on background bands of the
 * grades (A–E, docs/code-quality.md). The bands are elements in uPlot's under-layer, placed at the
 * scores' pixel heights, so they are real, labelled elements and not only pixels.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import uPlot from 'uplot';
import { GRADE_BANDS } from './grade-bands.js';

type Cell = string | number | boolean | null;

export class InsightsQualityChart extends LitElement {
  static override properties = { rows: { attribute: false }, since: { attribute: false }, until: { attribute: false } };
  declare rows: readonly Record<string, Cell>[];
  /** The period shown when there are no checks (ms). */
  declare since: number;
  declare until: number;
  private chart: uPlot | null = null;

  static override styles = css`
    :host { display: block; }
    .plot { position: relative; min-height: 240px; }
    .uplot, .u-wrap { position: relative; }
    .u-under, .u-over, .u-wrap canvas { position: absolute; left: 0; top: 0; }
    .u-axis { position: absolute; }
    .u-legend { display: none; }
    .band { position: absolute; left: 0; right: 0; font-size: 0.7rem; color: #5d6677; padding-left: 0.25rem; box-sizing: border-box; overflow: hidden; }
  `;

  constructor() {
    super();
    this.rows = [];
    this.since = 0;
    this.until = 0;
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('rows') || changed.has('since') || changed.has('until')) this.draw();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.chart?.destroy();
    this.chart = null;
  }

  /** Completed checks with a score, oldest first. */
  private points(): { x: number[]; y: number[] } {
    const scored = this.rows
      .filter((r) => r['status'] === 'completed' && typeof r['score'] === 'number' && typeof r['completedAt'] === 'string')
      .map((r) => [Date.parse(String(r['completedAt'])) / 1000, Number(r['score'])] as const)
      .sort((a, b) => a[0] - b[0]);
    return { x: scored.map((p) => p[0]), y: scored.map((p) => p[1]) };
  }

  private draw(): void {
    const host = this.renderRoot.querySelector<HTMLElement>('.plot');
    this.chart?.destroy();
    this.chart = null;
    if (!host) return;
    const { x, y } = this.points();
    const first = x[0] ?? this.since / 1000;
    const last = x[x.length - 1] ?? this.until / 1000;
    // One check (or none) still needs a span of time to draw on.
    const range: [number, number] = last > first ? [first, last] : [first - 86_400, first + 86_400];
    this.chart = new uPlot(
      {
        width: Math.max(320, host.clientWidth || 800), height: 240, legend: { show: false },
        scales: { x: { time: true, range: () => range }, y: { range: () => [0, 100] } },
        axes: [{ stroke: '#6b7280' }, { stroke: '#6b7280', label: 'score' }],
        series: [{}, { label: 'score', stroke: '#2f5bd3', width: 2, points: { show: true, size: 6 } }],
        hooks: { draw: [(u) => this.placeBands(u)] },
      },
      [x, y],
      host,
    );
    const canvas = host.querySelector('canvas');
    canvas?.setAttribute('role', 'img');
    canvas?.setAttribute('aria-label', `Quality score of ${x.length} finished check${x.length === 1 ? '' : 's'} over time, on grade bands A to E`);
  }

  /** Puts one element per grade behind the plot, from its lowest to its highest score. */
  private placeBands(u: uPlot): void {
    const under = u.under;
    under.querySelectorAll('.band').forEach((b) => b.remove());
    for (const band of GRADE_BANDS) {
      const top = u.valToPos(band.to, 'y');
      const bottom = u.valToPos(band.from, 'y');
      const el = document.createElement('div');
      el.className = 'band';
      el.dataset['grade'] = band.grade;
      el.title = `Grade ${band.grade}: score ${band.from}–${band.to}`;
      el.textContent = band.grade;
      el.style.top = `${top}px`;
      el.style.height = `${Math.max(0, bottom - top)}px`;
      el.style.background = band.colour;
      under.appendChild(el);
    }
  }

  override render() {
    return html`<div class="plot" data-testid="quality-chart"></div>`;
  }
}

customElements.define('insights-quality-chart', InsightsQualityChart);
