/** A small line of a project's recent activity (events per day) for its card on the projects page: an SVG with its figures in the label. */
import { LitElement, css, html, svg } from 'lit';
import { sparklinePoints } from './sparkline-path.js';

const WIDTH = 120;
const HEIGHT = 24;

export class ActivitySparkline extends LitElement {
  static override properties = { counts: { attribute: false }, days: { type: Number } };
  declare counts: readonly number[];
  declare days: number;

  static override styles = css`
    :host { display: inline-block; color: #2f5bd3; }
    svg { display: block; overflow: visible; }
  `;

  constructor() {
    super();
    this.counts = [];
    this.days = 14;
  }

  override render() {
    const total = this.counts.reduce((a, b) => a + b, 0);
    const label = `Activity over the last ${this.days} days: ${total} event${total === 1 ? '' : 's'}`;
    return html`<svg role="img" aria-label=${label} width=${WIDTH} height=${HEIGHT} viewBox="0 0 ${WIDTH} ${HEIGHT}">
      <title>${label}</title>
      ${svg`<polyline fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" points=${sparklinePoints(this.counts, WIDTH, HEIGHT - 2)}></polyline>`}
    </svg>`;
  }
}

customElements.define('activity-sparkline', ActivitySparkline);
