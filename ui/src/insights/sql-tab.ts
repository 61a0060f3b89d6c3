/**
 * The Insights page's SQL tab: a query editor with the saved example queries, run against
 * `POST /api/projects/:id/analytics/sql` (a read-only DuckDB sandbox over this project's history),
 * results as a table with a CSV download of the rows shown, and the server's refusal shown as is.
 */
import { css, html } from 'lit';
import { sharedStyles } from '../styles/shared-styles.js';
import { toCsv } from './csv.js';
import { downloadText } from './download.js';
import { EXAMPLE_QUERIES } from './example-queries.js';
import { tableStyles } from './table-styles.js';
import { ApiConsumerElement } from '../api/api-consumer-element.js';

type Cell = string | number | boolean | null;
interface SqlAnswer {
  readonly position: number;
  readonly columns: readonly { name: string; type: string }[];
  readonly rows: readonly Record<string, Cell>[];
  readonly truncated: boolean;
  readonly maxRows: number;
}

export class InsightsSqlTab extends ApiConsumerElement {
  static override properties = { projectId: { attribute: false }, query: { state: true }, result: { state: true }, error: { state: true }, running: { state: true } };
  declare projectId: string;
  declare query: string;
  declare result: SqlAnswer | null;
  declare error: string;
  declare running: boolean;

  static override styles = [
    sharedStyles,
    tableStyles,
    css`
      :host { display: block; }
      textarea { font-family: ui-monospace, 'SFMono-Regular', Menlo, monospace; font-size: 0.85rem; min-height: 10rem; resize: vertical; }
      .actions { display: flex; gap: 0.5rem; align-items: end; flex-wrap: wrap; margin: 0.5rem 0; }
      .actions select { width: auto; }
      .error { white-space: pre-wrap; font-family: ui-monospace, monospace; border-left: 3px solid #b3261e; padding-left: 0.5rem; }
    `,
  ];

  constructor() {
    super();
    this.query = EXAMPLE_QUERIES[0]!.sql;
    this.result = null;
    this.error = '';
    this.running = false;
  }

  private async run(event?: Event): Promise<void> {
    event?.preventDefault();
    if (this.running) return;
    this.running = true;
    this.error = '';
    try {
      this.result = await this.api.post<SqlAnswer>(`/api/projects/${this.projectId}/analytics/sql`, { query: this.query });
    } catch (error) {
      this.result = null;
      this.error = (error as Error).message;
    } finally {
      this.running = false;
    }
  }

  private pickExample(event: Event): void {
    const index = Number((event.target as HTMLSelectElement).value);
    const example = EXAMPLE_QUERIES[index];
    if (example) this.query = example.sql;
  }

  private download(): void {
    if (!this.result) return;
    downloadText(toCsv(this.result.columns.map((c) => c.name), this.result.rows), 'query.csv');
  }

  private renderResult() {
    const r = this.result;
    if (!r) return null;
    const names = r.columns.map((c) => c.name);
    return html`<div class="head"><p class="muted" role="status">${r.rows.length} row${r.rows.length === 1 ? '' : 's'}${r.truncated ? ` (cut at ${r.maxRows})` : ''}, as of position ${r.position}.</p>
        <button class="secondary" @click=${() => this.download()}>Download CSV</button></div>
      <div class="scroll"><table aria-label="Query result">
        <thead><tr>${r.columns.map((c) => html`<th scope="col" title=${c.type}>${c.name}</th>`)}</tr></thead>
        <tbody>${r.rows.map((row) => html`<tr>${names.map((n) => html`<td class=${typeof row[n] === 'number' ? 'n' : ''}>${row[n] ?? ''}</td>`)}</tr>`)}</tbody>
      </table></div>`;
  }

  override render() {
    return html`<form @submit=${(e: Event) => this.run(e)} aria-label="SQL query">
        <label for="example">Example queries</label>
        <div class="actions">
          <select id="example" @change=${(e: Event) => this.pickExample(e)}>
            ${EXAMPLE_QUERIES.map((q, i) => html`<option value=${i}>${q.title}</option>`)}
          </select>
        </div>
        <label for="sql">SQL (DuckDB, read-only; tables in docs/analytics.md)</label>
        <textarea id="sql" spellcheck="false" .value=${this.query} @input=${(e: Event) => (this.query = (e.target as HTMLTextAreaElement).value)}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void this.run(e); }}></textarea>
        <div class="actions"><button type="submit" ?disabled=${this.running}>${this.running ? 'Running…' : 'Run query'}</button></div>
      </form>
      ${this.error ? html`<p class="error" role="alert">The query was refused: ${this.error}</p>` : null}
      ${this.renderResult()}`;
  }
}

customElements.define('insights-sql-tab', InsightsSqlTab);
