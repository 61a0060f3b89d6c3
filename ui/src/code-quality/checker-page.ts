/**
 * The code-quality checker: pick a language (or upload a file and let its name decide), choose
 * linters per language in the configuration dialog (kept in localStorage), edit the code (live line, character and word counts), run a check through the API and
 * see the score ring with its grade, findings grouped by severity and marked in the editor, each
 * linter's result, exports (SARIF, JSON, Markdown) and a share link that reopens the same check.
 * A check runs for a project (picked here; every member can then open its share link and it counts
 * in the project's quality page) or stays personal. Clicking a finding jumps to its line.
 */
import { css, html } from 'lit';
import type { CheckAccepted, CheckFinished, CheckReport } from '@resoft/contracts';
import { ApiError } from '../api/api-client.js';
import { sharedStyles } from '../styles/shared-styles.js';
import { toast } from '../events.js';
import type { EditorLanguage } from '../editor/code-editor.js';
import '../editor/code-editor.js';
import './score-ring.js';
import { checkHeadline, isPartial, isScored, partialReasons } from './check-summary.js';
import { alsoReportedText, linterNotes, suppressedTotal } from './check-notes.js';
import { reconcileChoice, type LinterChoice, type LinterConfigDialog, type LinterInfo } from './linter-config-dialog.js';
import './linter-config-dialog.js';
import { jumpToLine } from '../editor/editor-jump.js';
import { showFindings, type LineFinding } from './finding-markers.js';
import { applyIndentation } from '../editor/editor-indentation.js';
import { languageOfPath } from '../editor/code-language.js';
import { ApiConsumerElement } from '../api/api-consumer-element.js';

/** Where the last chosen project (or personal) is kept between visits. */
const PROJECT_KEY = 'resoft.checker.project';
const PERSONAL = '';

type Language = 'python' | 'javascript' | 'typescript';
type Severity = 'error' | 'warning' | 'info';

type Linter = LinterInfo;

/** Where the linter configuration is kept between visits. */
const CHOICE_KEY = 'resoft.checker.linters';
/** A check as the server answers it, after a wait (the folded report) or on reading it by id. */
export type CheckView = CheckReport;

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const LANGUAGE_LABELS: Readonly<Record<Language, string>> = { python: 'Python', javascript: 'JavaScript', typescript: 'TypeScript' };

export function detectLanguage(fileName: string): Language | null {
  return languageOfPath(fileName);
}

export function textStatistics(text: string): { lines: number; characters: number; words: number } {
  return { lines: text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0), characters: text.length, words: text.split(/\s+/).filter(Boolean).length };
}

export class CheckerPage extends ApiConsumerElement {
  static override properties = {
    checkId: { attribute: false },
    language: { state: true },
    code: { state: true },
    linters: { state: true },
    choice: { state: true },
    running: { state: true },
    check: { state: true },
    error: { state: true },
    line: { attribute: false },
    projects: { state: true },
    projectId: { state: true },
  };
  declare checkId: string | null;
  /** A line to jump to once the check's code is shown (from a link). */
  declare line: number | null;
  declare projects: readonly { id: string; name: string }[];
  /** The project the next check runs for; '' for a personal check. */
  declare projectId: string;
  declare language: Language;
  declare code: string;
  declare linters: readonly Linter[];
  declare choice: LinterChoice | null;
  declare running: boolean;
  declare check: CheckView | null;
  declare error: string;
  private fileName: string | null = null;
  private redrawFindings = false;
  private loadedCheck: string | null = null;

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; max-width: 80rem; margin: 0 auto; padding: 1rem; }
      .layout { display: grid; grid-template-columns: minmax(0, 1.3fr) minmax(0, 1fr); gap: 1rem; align-items: start; }
      @media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
      code-editor { height: 50vh; }
      .controls { display: flex; gap: 0.75rem; flex-wrap: wrap; align-items: end; margin-bottom: 0.75rem; }
      .controls > div { flex: 0 1 12rem; }
      .linters { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; margin: 0.5rem 0; }
      .summary { display: flex; gap: 1rem; align-items: center; }
      .partial { border-left: 4px solid #d9a400; padding: 0.25rem 0.75rem; margin: 0.5rem 0; background: #fff8e1; }
      .group h3 { text-transform: capitalize; }
      .group ul { padding-left: 1.1rem; }
      .group li { margin: 0.2rem 0; }
      .rule { font-family: ui-monospace, monospace; font-size: 0.8rem; }
      .also, .notes { color: var(--muted, #555); font-size: 0.85rem; }
      .notes { margin: 0.25rem 0 0; padding-left: 1.1rem; }
      .exports { display: flex; gap: 0.5rem; flex-wrap: wrap; margin-top: 0.75rem; }
    `,
  ];

  constructor() {
    super();
    this.language = 'python';
    this.code = '';
    this.linters = [];
    this.choice = null;
    this.running = false;
    this.check = null;
    this.error = '';
    this.checkId = null;
    this.line = null;
    this.projects = [];
    this.projectId = localStorage.getItem(PROJECT_KEY) ?? PERSONAL;
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.loadLinters();
    void this.loadProjects();
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('checkId') && this.checkId && this.checkId !== this.loadedCheck) void this.loadCheck(this.checkId);
  }

  override render() {
    const stats = textStatistics(this.code);
    return html`<h1>Code checker</h1>
      <div class="layout">
        <section class="card" aria-label="Code">
          <div class="controls">
            <div>
              <label for="language">Language</label>
              <select id="language" .value=${this.language} @change=${(e: Event) => this.setLanguage((e.target as HTMLSelectElement).value as Language)}>
                <option value="python">Python</option><option value="javascript">JavaScript</option><option value="typescript">TypeScript</option>
              </select>
            </div>
            <div>
              <label for="check-project">Check for</label>
              <select id="check-project" @change=${(e: Event) => this.pickProject((e.target as HTMLSelectElement).value)}>
                <option value=${PERSONAL} ?selected=${this.projectId === PERSONAL}>Only me (personal)</option>
                ${this.projects.map((p) => html`<option value=${p.id} ?selected=${p.id === this.projectId}>${p.name}</option>`)}
              </select>
            </div>
            <div><label for="upload">Upload a file</label><input id="upload" type="file" accept=".py,.pyi,.js,.mjs,.cjs,.jsx,.ts,.mts,.cts,.tsx" @change=${this.upload} /></div>
          </div>
          <div class="linters">
            <span data-testid="chosen-linters">${this.choice ? `Linters for ${LANGUAGE_LABELS[this.language]}: ${this.choice[this.language].join(', ') || 'none available'}` : 'Loading linters…'}</span>
            <button class="secondary" ?disabled=${!this.choice} @click=${this.configure}>Configure linters…</button>
          </div>
          <linter-config-dialog .linters=${this.linters} .choice=${this.choice ?? { python: [], javascript: [], typescript: [] }} @save=${(e: CustomEvent<LinterChoice>) => this.saveChoice(e.detail)}></linter-config-dialog>
          <code-editor .value=${this.code} language=${this.language as EditorLanguage} label="Code to check" @edit=${(e: Event) => (this.code = (e.target as HTMLElement & { text: string }).text)}></code-editor>
          <p class="muted" data-testid="statistics">${stats.lines} lines · ${stats.characters} characters · ${stats.words} words</p>
          <button @click=${this.run} ?disabled=${this.running || this.code.trim() === ''}>${this.running ? 'Checking…' : 'Run check'}</button>
          ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
        </section>
        <section class="card" aria-label="Results" aria-live="polite">${this.check ? this.results(this.check) : html`<p class="muted">Write or upload code and run a check: the score, grade and findings appear here.</p>`}</section>
      </div>`;
  }

  private results(check: CheckView) {
    if (!isScored(check)) return html`<h2>${checkHeadline(check)}</h2>${check.failureReason ? html`<p class="error">${check.failureReason}</p>` : null}`;
    const reasons = partialReasons(check);
    return html`<div class="summary">
        <score-ring score=${check.score ?? 0} grade=${check.grade ?? 'E'} ?partial=${isPartial(check)}></score-ring>
        <div><h2 data-testid="check-headline">${checkHeadline(check)}</h2><p class="muted">${check.findings.length} finding${check.findings.length === 1 ? '' : 's'} in ${check.files.map((f) => f.path).join(', ')}${this.suppressedNote(check)}</p></div>
      </div>
      ${reasons.length > 0
        ? html`<div class="partial" role="note" data-testid="partial-reasons"><strong>Partial: the grade is at best B.</strong><ul>${reasons.map((reason) => html`<li>${reason}</li>`)}</ul></div>`
        : null}
      ${SEVERITIES.map((severity) => {
        const found = check.findings.filter((f) => f.severity === severity);
        return found.length === 0
          ? null
          : html`<div class="group" data-severity=${severity}><h3>${severity}s (${found.length})</h3><ul>
              ${found.map((f) => html`<li>${f.region ? html`<button class="link" data-line=${f.region.startLine} @click=${() => this.jump(f.region!.startLine)}>line ${f.region.startLine}</button>: ` : null}${f.message} <span class="rule">${f.tool}/${f.helpUri ? html`<a href=${f.helpUri} target="_blank" rel="noopener">${f.ruleId}</a>` : f.ruleId}</span>${alsoReportedText(f) ? html` <span class="also">(${alsoReportedText(f)})</span>` : null}</li>`)}
            </ul></div>`;
      })}
      ${check.results.map(
        (r) => html`<details data-linter=${r.linter}><summary>${r.linter} ${r.version ?? ''}: ${r.status}${r.score !== null ? `, score ${r.score.toFixed(1)}` : ''}</summary>
          <p class="muted">${r.counts.error} errors, ${r.counts.warning} warnings, ${r.counts.info} infos in ${r.durationMs} ms${r.message ? ` — ${r.message}` : ''}</p>
          ${linterNotes(r).length > 0 ? html`<ul class="notes" data-testid="linter-notes">${linterNotes(r).map((note) => html`<li>${note}</li>`)}</ul>` : null}</details>`,
      )}
      <div class="exports">
        ${(['sarif', 'json', 'markdown'] as const).map((format) => html`<button class="secondary" @click=${() => this.export(check.id, format)}>Export ${format === 'sarif' ? 'SARIF' : format === 'json' ? 'JSON' : 'Markdown'}</button>`)}
        <button class="secondary" @click=${() => this.share(check.id)}>Copy share link</button>
      </div>`;
  }

  private suppressedNote(check: CheckView): string {
    const suppressed = suppressedTotal(check.results);
    return suppressed === 0 ? '' : ` · ${suppressed} hidden by suppression comments`;
  }

  private async loadLinters() {
    try {
      this.linters = (await this.api.get<{ linters: Linter[] }>('/api/code-quality/linters')).linters;
      let stored: unknown = null;
      try {
        stored = JSON.parse(localStorage.getItem(CHOICE_KEY) ?? 'null');
      } catch {
        stored = null;
      }
      this.choice = reconcileChoice(stored, this.linters);
    } catch (error) {
      toast(this, 'error', `Could not load the linters: ${(error as Error).message}`);
    }
  }

  /** Findings are drawn in the editor (gutter icons, underlines) whenever the check or the code shown changes. */
  override async updated(changed: Map<string, unknown>) {
    if (changed.has('language')) {
      const editor = this.renderRoot.querySelector('code-editor');
      await (editor as (Element & { updateComplete?: Promise<unknown> }) | null)?.updateComplete;
      applyIndentation(editor, this.language);
    }
    // Typing after a check lets CodeMirror move the marks with the text; only a new check, or a reopened check's code arriving, redraws them.
    if (!changed.has('check') && !(changed.has('code') && this.redrawFindings)) return;
    this.redrawFindings = false;
    const editor = this.renderRoot.querySelector('code-editor');
    await (editor as (Element & { updateComplete?: Promise<unknown> }) | null)?.updateComplete;
    const findings: LineFinding[] = (this.check?.findings ?? []).filter((f) => f.region).map((f) => ({ line: f.region!.startLine, level: f.severity, message: `${f.tool} ${f.ruleId}: ${f.message}` }));
    showFindings(editor, findings);
  }

  private async loadProjects() {
    try {
      this.projects = (await this.api.get<{ items: { id: string; name: string }[] }>('/api/projects')).items.map((p) => ({ id: p.id, name: p.name }));
      if (this.projectId !== PERSONAL && !this.projects.some((p) => p.id === this.projectId)) this.projectId = PERSONAL;
    } catch {
      this.projects = [];
    }
  }

  private pickProject(projectId: string) {
    this.projectId = projectId;
    localStorage.setItem(PROJECT_KEY, projectId);
  }

  private async jump(line: number) {
    await this.updateComplete;
    jumpToLine(this.renderRoot.querySelector('code-editor'), line);
  }

  private async loadCheck(id: string) {
    this.loadedCheck = id;
    try {
      this.check = await this.api.get<CheckView>(`/api/code-quality/checks/${encodeURIComponent(id)}`);
      await this.loadCheckedCode(id);
      if (this.line !== null) {
        // The editor takes the reopened code on its next render; then the caret can move.
        await this.updateComplete;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        await this.jump(this.line);
      }
    } catch (error) {
      this.error = error instanceof ApiError && error.status === 404 ? 'That check does not exist or is not shared with you.' : (error as Error).message;
    }
  }

  /** A reopened check (share link) shows the code it checked, from the source store; its first file when there were several. */
  private async loadCheckedCode(id: string) {
    try {
      const { files } = await this.api.get<{ files: { language: Language; content: string }[] }>(`/api/code-quality/checks/${encodeURIComponent(id)}/sources`);
      const [first] = files;
      if (!first || this.loadedCheck !== id) return;
      this.language = first.language;
      this.code = first.content;
      this.redrawFindings = true;
    } catch {
      // The results stand on their own; the editor just stays as it was.
    }
  }

  private setLanguage(language: Language) {
    this.language = language;
    this.check = null;
  }

  private configure(event: Event) {
    void this.renderRoot.querySelector<LinterConfigDialog>('linter-config-dialog')?.open(event.currentTarget as HTMLElement);
  }

  private saveChoice(choice: LinterChoice) {
    this.choice = choice;
    localStorage.setItem(CHOICE_KEY, JSON.stringify(choice));
  }

  private async upload(event: Event) {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const language = detectLanguage(file.name);
    if (!language) {
      this.error = `${file.name}: only Python, JavaScript and TypeScript files can be checked.`;
      return;
    }
    this.error = '';
    this.fileName = file.name;
    this.language = language;
    this.code = await file.text();
    this.check = null;
  }

  private async run() {
    const linters = [...(this.choice?.[this.language] ?? [])];
    if (linters.length === 0) {
      this.error = 'Choose at least one linter.';
      return;
    }
    this.running = true;
    this.error = '';
    try {
      const answer = await this.api.post<CheckAccepted & Partial<Pick<CheckFinished, 'check'>>>('/api/code-quality/check?wait=true', {
        code: this.code,
        language: this.language,
        linters,
        ...(this.projectId !== PERSONAL ? { projectId: this.projectId } : {}),
        ...(this.fileName ? { filename: this.fileName } : {}),
      });
      this.check = answer.check ?? (await this.api.get<CheckView>(`/api/code-quality/checks/${answer.id}`));
      this.loadedCheck = answer.id;
      history.replaceState(null, '', `/checker?check=${answer.id}`);
      const finished = this.check;
      toast(this, finished.status === 'completed' ? 'success' : isPartial(finished) ? 'info' : 'error', isScored(finished) ? `Check finished: ${checkHeadline(finished)}` : checkHeadline(finished), 'check');
    } catch (error) {
      this.error = error instanceof ApiError && error.fields[0] ? `${error.message}` : (error as Error).message;
    } finally {
      this.running = false;
    }
  }

  private async export(id: string, format: 'sarif' | 'json' | 'markdown') {
    try {
      const text = await this.api.text(`/api/code-quality/checks/${id}/export?format=${format}`);
      const url = URL.createObjectURL(new Blob([text], { type: format === 'markdown' ? 'text/markdown' : 'application/json' }));
      const link = Object.assign(document.createElement('a'), { href: url, download: `check-${id}.${format === 'sarif' ? 'sarif' : format === 'json' ? 'json' : 'md'}` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (error) {
      toast(this, 'error', `Export failed: ${(error as Error).message}`);
    }
  }

  private async share(id: string) {
    const link = `${location.origin}/checker?check=${id}`;
    if (!this.check?.projectId) toast(this, 'info', 'This check is personal: only you can open its link. Run it for a project to share it with the members.');
    try {
      await navigator.clipboard.writeText(link);
      toast(this, 'success', 'Share link copied.');
    } catch {
      toast(this, 'info', `Share link: ${link}`);
    }
  }
}
customElements.define('checker-page', CheckerPage);
