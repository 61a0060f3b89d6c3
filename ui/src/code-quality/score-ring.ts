/** A check's score (0–100) as a ring with the grade in the middle; coloured by grade. A partial check's ring says "partial" under the score, and so does its label. */
import { LitElement, css, html, svg } from 'lit';

const COLORS: Record<string, string> = { A: '#1e9e4a', B: '#6aa82f', C: '#d9a400', D: '#e07000', E: '#c62828' };

export class ScoreRing extends LitElement {
  static override properties = { score: { type: Number }, grade: {}, partial: { type: Boolean } };
  declare score: number;
  declare grade: string;
  declare partial: boolean;

  static override styles = css`
    :host { display: inline-block; width: 7rem; height: 7rem; font-family: system-ui, sans-serif; }
    svg { width: 100%; height: 100%; }
    .grade { font-size: 28px; font-weight: 700; }
    .score { font-size: 11px; fill: #5d6677; }
  `;

  constructor() {
    super();
    this.score = 0;
    this.grade = 'E';
    this.partial = false;
  }

  override render() {
    const radius = 42;
    const length = 2 * Math.PI * radius;
    const clamped = Math.max(0, Math.min(100, this.score));
    const color = COLORS[this.grade] ?? '#5d6677';
    const label = `${this.partial ? 'Partial score' : 'Score'} ${clamped.toFixed(1)} of 100, grade ${this.grade}`;
    return html`<svg viewBox="0 0 100 100" role="img" aria-label=${label}>
      ${svg`<circle cx="50" cy="50" r=${radius} fill="none" stroke="#e8ecf3" stroke-width="9"></circle>
        <circle cx="50" cy="50" r=${radius} fill="none" stroke=${color} stroke-width="9" stroke-linecap="round"
          stroke-dasharray="${(length * clamped) / 100} ${length}" transform="rotate(-90 50 50)"></circle>
        <text class="grade" x="50" y="52" text-anchor="middle" fill=${color} data-testid="grade">${this.grade}</text>
        <text class="score" x="50" y="68" text-anchor="middle" data-testid="score">${clamped.toFixed(1)}</text>
        ${this.partial ? svg`<text class="score" x="50" y="80" text-anchor="middle" data-testid="partial">partial</text>` : null}`}
    </svg>`;
  }
}
customElements.define('score-ring', ScoreRing);
