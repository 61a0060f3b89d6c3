/**
 * The checker's linter configuration: a modal dialog with, per language, the linters this
 * deployment runs (version, availability, and the fixed options each runs with, as
 * `GET /api/code-quality/linters` reports them; the check API takes no per-linter options, only the
 * choice of linters). `open()` shows it with focus on its first control; Tab and Shift+Tab stay
 * inside; Escape or Cancel closes without saving; closing returns focus to where it was.
 * Event `save` with the chosen linters per language.
 */
import { LitElement, css, html } from 'lit';
import type { LinterInfo } from '@resoft/contracts';
import { sharedStyles } from '../styles/shared-styles.js';
import { emit } from '../events.js';

export type CheckLanguage = 'python' | 'javascript' | 'typescript';
export type LinterChoice = Readonly<Record<CheckLanguage, readonly string[]>>;

/** A linter as `GET /api/code-quality/linters` describes it. */
export type { LinterInfo };

export const CHECK_LANGUAGES: readonly { id: CheckLanguage; label: string }[] = [
  { id: 'python', label: 'Python' },
  { id: 'javascript', label: 'JavaScript' },
  { id: 'typescript', label: 'TypeScript' },
];

/** The API runs at most this many linters in one check. */
export const MAX_LINTERS = 4;

/** Every available linter of each language: what a check runs when the user chose nothing. */
export function defaultChoice(linters: readonly LinterInfo[]): LinterChoice {
  const pick = (language: CheckLanguage) => linters.filter((l) => l.available && l.languages.includes(language)).map((l) => l.name).slice(0, MAX_LINTERS);
  return { python: pick('python'), javascript: pick('javascript'), typescript: pick('typescript') };
}

/** A stored choice checked against what the deployment runs now: unknown or unavailable linters drop out; a language left with none gets its default. */
export function reconcileChoice(stored: unknown, linters: readonly LinterInfo[]): LinterChoice {
  const fallback = defaultChoice(linters);
  const raw = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const pick = (language: CheckLanguage): readonly string[] => {
    const names = Array.isArray(raw[language]) ? (raw[language] as unknown[]).filter((n): n is string => typeof n === 'string') : [];
    const valid = [...new Set(names)].filter((n) => linters.some((l) => l.name === n && l.available && l.languages.includes(language))).slice(0, MAX_LINTERS);
    return valid.length > 0 ? valid : fallback[language];
  };
  return { python: pick('python'), javascript: pick('javascript'), typescript: pick('typescript') };
}

const FOCUSABLE = 'input:not([disabled]), button:not([disabled]), select:not([disabled]), textarea:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

export class LinterConfigDialog extends LitElement {
  static override properties = { linters: { attribute: false }, choice: { attribute: false }, draft: { state: true } };
  declare linters: readonly LinterInfo[];
  declare choice: LinterChoice;
  declare draft: Record<CheckLanguage, string[]>;
  private returnFocus: HTMLElement | null = null;

  static override styles = [
    sharedStyles,
    css`
      dialog { border: 1px solid #dde2ea; border-radius: 10px; padding: 1rem 1.25rem; max-width: min(40rem, calc(100vw - 2rem)); width: 100%; }
      dialog::backdrop { background: rgb(29 36 51 / 0.45); }
      fieldset { border: 1px solid #dde2ea; border-radius: 6px; margin: 0.6rem 0; padding: 0.4rem 0.75rem 0.6rem; }
      legend { font-weight: 600; padding: 0 0.3rem; }
      .linter { display: flex; gap: 0.5rem; align-items: start; margin-top: 0.4rem; }
      .linter input { width: auto; margin-top: 0.2rem; }
      .linter label { margin: 0; }
      .linter p { margin: 0.1rem 0 0; }
      .actions { display: flex; gap: 0.5rem; justify-content: end; margin-top: 0.75rem; }
    `,
  ];

  constructor() {
    super();
    this.linters = [];
    this.choice = { python: [], javascript: [], typescript: [] };
    this.draft = { python: [], javascript: [], typescript: [] };
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  get isOpen(): boolean {
    return this.dialog?.open ?? false;
  }

  /** Shows the dialog with the current choice; `opener` gets focus back when it closes. */
  async open(opener: HTMLElement | null): Promise<void> {
    this.returnFocus = opener;
    this.draft = { python: [...this.choice.python], javascript: [...this.choice.javascript], typescript: [...this.choice.typescript] };
    await this.updateComplete;
    this.dialog?.showModal();
    this.focusables()[0]?.focus();
  }

  override render() {
    const problems = CHECK_LANGUAGES.filter(({ id }) => this.linters.some((l) => l.available && l.languages.includes(id)) && this.draft[id].length === 0);
    return html`<dialog aria-labelledby="linter-config-title" @keydown=${this.keydown} @cancel=${this.cancel} @close=${this.restoreFocus}>
      <h2 id="linter-config-title">Linter configuration</h2>
      <p class="muted">Choose which linters check each language (at most ${MAX_LINTERS}). Each runs with the settings shown; the server does not take other options.</p>
      ${CHECK_LANGUAGES.map(({ id, label }) => {
        const forLanguage = this.linters.filter((l) => l.languages.includes(id));
        return html`<fieldset data-language=${id}>
          <legend>${label}</legend>
          ${forLanguage.length === 0 ? html`<p class="muted">No linter for ${label} here.</p>` : null}
          ${forLanguage.map((l) => {
            const inputId = `linter-${id}-${l.name}`;
            return html`<div class="linter">
              <input id=${inputId} type="checkbox" .checked=${this.draft[id].includes(l.name)} ?disabled=${!l.available} aria-describedby="${inputId}-about"
                @change=${(e: Event) => this.toggle(id, l.name, (e.target as HTMLInputElement).checked)} />
              <div>
                <label for=${inputId}>${l.name}</label>
                <p id="${inputId}-about" class="muted">${l.available ? `version ${l.version ?? 'unknown'}` : `unavailable: ${l.reason ?? 'not installed'}`}${l.options && l.options.length > 0 ? html` · runs with <code>${l.options.join(', ')}</code>` : null}</p>
              </div>
            </div>`;
          })}
        </fieldset>`;
      })}
      ${problems.length > 0 ? html`<p class="error" role="alert">Choose at least one linter for ${problems.map((p) => p.label).join(' and ')}.</p>` : null}
      <div class="actions">
        <button type="button" class="secondary" @click=${this.cancel}>Cancel</button>
        <button type="button" ?disabled=${problems.length > 0} @click=${this.save}>Save</button>
      </div>
    </dialog>`;
  }

  private toggle(language: CheckLanguage, name: string, on: boolean) {
    const current = this.draft[language].filter((n) => n !== name);
    // Keep the server's order of linters, so the stored choice is stable.
    const next = on ? this.linters.filter((l) => l.languages.includes(language) && (current.includes(l.name) || l.name === name)).map((l) => l.name).slice(0, MAX_LINTERS) : current;
    this.draft = { ...this.draft, [language]: next };
  }

  private save() {
    emit(this, 'save', { ...this.draft } as LinterChoice);
    this.dialog?.close();
  }

  private cancel(event?: Event) {
    event?.preventDefault();
    this.dialog?.close();
  }

  private restoreFocus() {
    this.returnFocus?.focus();
    this.returnFocus = null;
  }

  private focusables(): HTMLElement[] {
    return [...(this.dialog?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
  }

  /** Tab and Shift+Tab cycle inside the dialog. */
  private keydown(event: KeyboardEvent) {
    if (event.key !== 'Tab') return;
    const items = this.focusables();
    if (items.length === 0) return;
    const active = (this.renderRoot as ShadowRoot).activeElement;
    const index = active ? items.indexOf(active as HTMLElement) : -1;
    const next = event.shiftKey ? (index <= 0 ? items.length - 1 : index - 1) : index === items.length - 1 || index === -1 ? 0 : index + 1;
    event.preventDefault();
    items[next]!.focus();
  }
}
customElements.define('linter-config-dialog', LinterConfigDialog);
