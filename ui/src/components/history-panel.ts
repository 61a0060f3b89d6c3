/**
 * A file's version history: who changed it and when (characters inserted and removed, restores);
 * picking a version shows its line diff against the current text. Events `select-version` (n) and
 * `restore` (n).
 */
import { LitElement, css, html } from 'lit';
import { sharedStyles } from '../styles/shared-styles.js';
import { emit } from '../events.js';
import type { DiffLine } from '../line-diff.js';

export interface VersionEntry {
  readonly version: number;
  readonly author: string;
  readonly at: string;
  readonly kind: string;
  readonly inserted: number;
  readonly removed: number;
}

export class HistoryPanel extends LitElement {
  static override properties = { versions: { attribute: false }, selected: { attribute: false }, diff: { attribute: false }, canRestore: { type: Boolean, attribute: 'can-restore' } };
  declare versions: readonly VersionEntry[];
  declare selected: number | null;
  declare diff: readonly DiffLine[] | null;
  declare canRestore: boolean;

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      ol { list-style: none; padding: 0; margin: 0; max-height: 14rem; overflow-y: auto; }
      li button { all: unset; box-sizing: border-box; display: block; width: 100%; padding: 0.25rem 0.4rem; border-radius: 4px; cursor: pointer; font-size: 0.85rem; }
      li button:hover, li button[aria-pressed='true'] { background: #e4ebff; }
      li button:focus-visible { outline: 3px solid #7aa7ff; }
      pre { margin: 0.5rem 0; max-height: 18rem; overflow: auto; font-size: 0.8rem; background: #fafbfd; border: 1px solid #eef1f5; border-radius: 6px; padding: 0.25rem 0; }
      pre span { display: block; padding: 0 0.5rem; white-space: pre; }
      .added { background: #e4f6ea; }
      .removed { background: #fde7e6; }
    `,
  ];

  constructor() {
    super();
    this.versions = [];
    this.selected = null;
    this.diff = null;
    this.canRestore = false;
  }

  override render() {
    return html`<ol aria-label="Versions">
        ${[...this.versions].reverse().map(
          (v) => html`<li>
            <button aria-pressed=${v.version === this.selected ? 'true' : 'false'} data-version=${v.version} @click=${() => emit(this, 'select-version', v.version)}>
              v${v.version} · ${v.author} · ${new Date(v.at).toLocaleString()} · ${v.kind === 'created' ? 'created' : `+${v.inserted} −${v.removed}`}${v.kind === 'restored' ? ' (restore)' : ''}
            </button>
          </li>`,
        )}
      </ol>
      ${this.selected !== null && this.diff
        ? html`<p class="muted">Version ${this.selected} against the current text: <span class="removed">− only in v${this.selected}</span> <span class="added">+ only now</span></p>
            <pre aria-label="Differences">${this.diff.map((l) => html`<span class=${l.kind}>${l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '− ' : '  '}${l.text}</span>`)}</pre>
            ${this.canRestore ? html`<button @click=${() => emit(this, 'restore', this.selected)}>Restore version ${this.selected}</button>` : null}`
        : null}`;
  }
}
customElements.define('history-panel', HistoryPanel);
