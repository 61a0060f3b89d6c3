/**
 * A project's code quality for the team (issue 12): the score trend of its checks, each run's
 * grade, what the latest run found new and what it fixed since the run before, and the latest
 * findings filtered by severity, rule, file and linter; each finding links to its line in the
 * checker (which opens the checked code for every member).
 */
import { css, html, svg } from 'lit';
import type { CheckAnswer, CheckHistoryItem } from '@resoft/contracts';
import { ApiError } from '../api/api-client.js';
import { sharedStyles } from '../styles/shared-styles.js';
import { toast } from '../events.js';
import { applyFilter, compareRuns, filterChoices, NO_FILTER, trendPoints, type FindingFilter, type QualityFinding } from './project-quality.js';
import { ApiConsumerElement } from '../api/api-consumer-element.js';

type CheckRun = CheckHistoryItem;
/** What the page reads of one check: its findings. */
type CheckReport = Pick<CheckAnswer, 'id' | 'findings'>;

const TREND_WIDTH = 480;
const TREND_HEIGHT = 120;

export class ProjectQualityPage extends ApiConsumerElement {
  static override properties = {
    projectId: { attribute: false },
    name: { state: true }, runs: { state: true }, latest: { state: true }, previous: { state: true }, filter: { state: true }, missing: { state: true },
  };
  declare projectId: string;
  declare name: string;
  declare runs: readonly CheckRun[] | null;
  declare latest: CheckReport | null;
  declare previous: CheckReport | null;
  declare filter: FindingFilter;
  declare missing: boolean;

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; max-width: 72rem; margin: 0 auto; padding: 1rem; }
      .grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; align-items: start; }
      @media (max-width: 800px) { .grid { grid-template-columns: 1fr; } }
      svg.trend { width: 100%; height: auto; background: #fafbfd; border: 1px solid #eef1f5; border-radius: 6px; }
      .grade { display: inline-block; min-width: 1.6rem; text-align: center; font-weight: 700; border-radius: 4px; padding: 0 0.3rem; background: #e8ecf3; }
      .grade-A { background: #dcf3e4; color: #15602f; } .grade-B { background: #e6f4d7; color: #3d6313; } .grade-C { background: #fff1cc; color: #7a5300; }
      .grade-D, .grade-E, .grade-F { background: #fde2e0; color: #8c1d18; }
      table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }
      th, td { text-align: left; border-bottom: 1px solid #eef1f5; padding: 0.3rem; vertical-align: top; }
      .filters { display: flex; gap: 0.5rem; flex-wrap: wrap; }
      .filters > div { flex: 1 1 9rem; }
      .sev-error { color: #b3261e; font-weight: 600; } .sev-warning { color: #7a5300; } .sev-info { color: #5d6677; }
      .delta { display: flex; gap: 1.5rem; }
      .delta strong { font-size: 1.4rem; display: block; }
      ul.changes { padding-left: 1.1rem; font-size: 0.85rem; max-height: 10rem; overflow: auto; }
    `,
  ];

  constructor() {
    super();
    this.name = '';
    this.runs = null;
    this.latest = null;
    this.previous = null;
    this.filter = NO_FILTER;
    this.missing = false;
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('projectId') && this.projectId) void this.load();
  }

  private async load() {
    try {
      const [project, history] = await Promise.all([
        this.api.get<{ name: string }>(`/api/projects/${this.projectId}`),
        this.api.get<{ items: CheckRun[] }>(`/api/projects/${this.projectId}/checks?limit=30`),
      ]);
      this.name = project.name;
      this.runs = history.items;
      const completed = history.items.filter((r) => r.status === 'completed');
      const [latest, previous] = await Promise.all(completed.slice(0, 2).map((r) => this.api.get<CheckReport>(`/api/code-quality/checks/${r.id}`)));
      this.latest = latest ?? null;
      this.previous = previous ?? null;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) this.missing = true;
      else toast(this, 'error', `Could not load the project's checks: ${(error as Error).message}`);
    }
  }

  override render() {
    if (this.missing) return html`<section class="card"><h1>Project not found</h1><p>It does not exist or you are not a member. <a href="/projects">Your projects</a></p></section>`;
    if (this.runs === null) return html`<p class="muted" role="status">Loading the project's checks…</p>`;
    const runs = this.runs;
    return html`<h1>Code quality of ${this.name}</h1>
      <p><a href="/projects/${this.projectId}">Back to the project</a> · <a href="/checker">Run a check for this project</a></p>
      ${runs.length === 0
        ? html`<p class="muted">No check has run for this project yet. In the code checker, choose “${this.name}” under “Check for”.</p>`
        : html`<div class="grid">
            <section class="card" aria-labelledby="trend-title"><h2 id="trend-title">Score trend</h2>${this.trend(runs)}</section>
            <section class="card" aria-labelledby="delta-title"><h2 id="delta-title">Since the run before</h2>${this.delta()}</section>
          </div>
          <section class="card" aria-labelledby="runs-title" style="margin-top:1rem"><h2 id="runs-title">Runs</h2>
            <table aria-label="Check runs"><thead><tr><th>When</th><th>Grade</th><th>Score</th><th>New findings</th><th>Files</th></tr></thead>
              <tbody>${runs.map((r) => html`<tr>
                <td><a href="/checker?check=${r.id}">${new Date(r.finishedAt ?? r.requestedAt).toLocaleString()}</a></td>
                <td>${r.grade ? html`<span class="grade grade-${r.grade}">${r.grade}</span>` : r.status}</td>
                <td>${r.score ?? '—'}</td><td>${r.newSinceLastRun ?? '—'}</td><td>${r.files.join(', ')}</td></tr>`)}</tbody></table>
          </section>
          ${this.latest ? this.findings(this.latest) : null}`}`;
  }

  private trend(runs: readonly CheckRun[]) {
    const scored = runs.filter((r) => r.status === 'completed' && r.score !== null).reverse();
    if (scored.length === 0) return html`<p class="muted">No completed run yet.</p>`;
    const points = trendPoints(scored.map((r) => r.score ?? 0), TREND_WIDTH, TREND_HEIGHT);
    const first = scored[0]!;
    const last = scored[scored.length - 1]!;
    return html`<svg class="trend" viewBox="-8 -8 ${TREND_WIDTH + 16} ${TREND_HEIGHT + 16}" role="img" aria-label="Score of ${scored.length} runs, from ${first.score} to ${last.score}">
        ${svg`<line x1="0" y1="${TREND_HEIGHT / 2}" x2="${TREND_WIDTH}" y2="${TREND_HEIGHT / 2}" stroke="#dde2ea" stroke-dasharray="4 4" />
        <polyline points=${points} fill="none" stroke="#2f5bd3" stroke-width="2.5" />
        ${points.split(' ').map((p) => { const [x, y] = p.split(','); return svg`<circle cx=${x ?? 0} cy=${y ?? 0} r="4" fill="#2f5bd3" />`; })}`}
      </svg>
      <p class="muted">Latest: <span class="grade grade-${last.grade}">${last.grade}</span> ${last.score} of 100 · ${scored.length} completed run${scored.length === 1 ? '' : 's'}</p>`;
  }

  private delta() {
    if (!this.latest) return html`<p class="muted">No completed run yet.</p>`;
    if (!this.previous) return html`<p class="muted">This is the first completed run: nothing to compare with.</p>`;
    const { added, fixed } = compareRuns(this.latest.findings, this.previous.findings);
    const item = (f: QualityFinding) => html`<li>${f.uri}${f.region ? `:${f.region.startLine}` : ''} ${f.tool}/${f.ruleId}: ${f.message}</li>`;
    return html`<div class="delta"><div data-testid="new-findings"><strong>${added.length}</strong>new</div><div data-testid="fixed-findings"><strong>${fixed.length}</strong>fixed</div></div>
      ${added.length ? html`<h3>New</h3><ul class="changes" aria-label="New findings">${added.map(item)}</ul>` : null}
      ${fixed.length ? html`<h3>Fixed</h3><ul class="changes" aria-label="Fixed findings">${fixed.map(item)}</ul>` : null}`;
  }

  private findings(report: CheckReport) {
    const choices = filterChoices(report.findings);
    const shown = applyFilter(report.findings, this.filter);
    const select = (id: keyof FindingFilter, label: string, all: string, values: readonly string[]) => html`<div><label for="filter-${id}">${label}</label>
      <select id="filter-${id}" @change=${(e: Event) => (this.filter = { ...this.filter, [id]: (e.target as HTMLSelectElement).value })}>
        <option value="">${all}</option>${values.map((v) => html`<option value=${v} ?selected=${this.filter[id] === v}>${v}</option>`)}
      </select></div>`;
    return html`<section class="card" aria-labelledby="findings-title" style="margin-top:1rem">
      <h2 id="findings-title">Findings of the latest run (${shown.length} of ${report.findings.length})</h2>
      <div class="filters" role="search">
        ${select('severity', 'Severity', 'All severities', ['error', 'warning', 'info'])}
        ${select('rule', 'Rule', 'All rules', choices.rules)}
        ${select('file', 'File', 'All files', choices.files)}
        ${select('linter', 'Linter', 'All linters', choices.linters)}
      </div>
      <table aria-label="Findings"><thead><tr><th>Severity</th><th>Where</th><th>Rule</th><th>Message</th></tr></thead>
        <tbody>${shown.map((f) => html`<tr>
          <td class="sev-${f.severity}">${f.severity}</td>
          <td>${f.region ? html`<a href="/checker?check=${report.id}&line=${f.region.startLine}">${f.uri}:${f.region.startLine}</a>` : f.uri}</td>
          <td>${f.tool}/${f.ruleId}</td><td>${f.message}</td></tr>`)}</tbody></table>
    </section>`;
  }
}
customElements.define('project-quality-page', ProjectQualityPage);
