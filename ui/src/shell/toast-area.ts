/** The notification area: a polite live region listing toasts; each can be dismissed (event `dismiss` with its id). */
import { LitElement, css, html } from 'lit';
import { sharedStyles } from '../styles/shared-styles.js';
import { emit, type ToastKind } from '../events.js';

export interface Toast {
  readonly id: number;
  readonly kind: ToastKind;
  readonly text: string;
  readonly link?: string;
}

export class ToastArea extends LitElement {
  static override properties = { toasts: { attribute: false } };
  declare toasts: readonly Toast[];

  static override styles = [
    sharedStyles,
    css`
      :host { position: fixed; right: 1rem; bottom: 1rem; z-index: 50; display: flex; flex-direction: column; gap: 0.5rem; max-width: min(24rem, calc(100vw - 2rem)); }
      .toast { display: flex; gap: 0.75rem; align-items: start; padding: 0.7rem 0.9rem; border-radius: 8px; background: #1d2433; color: #fff; box-shadow: 0 4px 14px rgb(0 0 0 / 0.2); }
      .toast.error { background: #b3261e; }
      .toast.success { background: #1e7b3c; }
      .toast.mention { background: #6b3fc4; }
      .toast p { margin: 0; flex: 1; }
      .toast a { color: inherit; font-weight: 600; }
      .toast button { background: none; border: none; color: inherit; padding: 0 0.2rem; font-size: 1.1rem; line-height: 1; }
    `,
  ];

  constructor() {
    super();
    this.toasts = [];
  }

  override render() {
    return html`<div role="status" aria-live="polite">
      ${this.toasts.map(
        (t) => html`<div class="toast ${t.kind}" data-kind=${t.kind}>
          <p>${t.text}${t.link ? html` <a href=${t.link}>Open</a>` : null}</p>
          <button aria-label="Dismiss notification" @click=${() => emit(this, 'dismiss', t.id)}>×</button>
        </div>`,
      )}
    </div>`;
  }
}
customElements.define('toast-area', ToastArea);
