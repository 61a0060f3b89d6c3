/**
 * Above the editor: why the file is read-only (locked by someone, a viewer's role) or that it just
 * became editable again, and the user's refused edits ("your unsaved edits"), which they can copy,
 * re-apply once they may edit, or discard. Nothing refused is dropped without the user choosing it.
 */
import { LitElement, css, html } from 'lit';
import { sharedStyles } from '../styles/shared-styles.js';
import { emit } from '../events.js';

export interface AccessNotice {
  readonly tone: 'read-only' | 'editable';
  readonly text: string;
}

export class EditAccessBanner extends LitElement {
  static override properties = {
    notice: { attribute: false },
    unsavedText: { attribute: false },
    canReapply: { type: Boolean, attribute: 'can-reapply' },
    copied: { state: true },
  };
  declare notice: AccessNotice | null;
  /** The text as the user had it with the refused edits, or null when there are none. */
  declare unsavedText: string | null;
  declare canReapply: boolean;
  declare copied: boolean;

  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .notice { padding: 0.5rem 0.75rem; border-radius: 6px; margin-bottom: 0.5rem; font-weight: 600; }
      .notice.read-only { background: #fff1cc; color: #5c3d00; border: 1px solid #e0b84a; }
      .notice.editable { background: #dcf3e4; color: #15602f; border: 1px solid #8fd1a5; }
      .unsaved { border: 1px solid #e0a0a0; background: #fff7f6; border-radius: 6px; padding: 0.5rem 0.75rem; margin-bottom: 0.5rem; }
      .unsaved h3 { margin: 0 0 0.25rem; font-size: 1rem; }
      pre { max-height: 10rem; overflow: auto; background: #fff; border: 1px solid #eee; padding: 0.5rem; margin: 0.25rem 0 0.5rem; white-space: pre-wrap; }
      .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
    `,
  ];

  constructor() {
    super();
    this.notice = null;
    this.unsavedText = null;
    this.canReapply = false;
    this.copied = false;
  }

  override render() {
    return html`
      ${this.notice ? html`<div class="notice ${this.notice.tone}" role="status" data-testid="access-notice">${this.notice.text}</div>` : null}
      ${this.unsavedText !== null
        ? html`<section class="unsaved" aria-label="Your unsaved edits" data-testid="unsaved-edits">
            <h3>Your unsaved edits</h3>
            <p class="muted">These changes were not saved because you could not edit the file when you made them. They are kept here until you decide.</p>
            <pre>${this.unsavedText}</pre>
            <div class="actions">
              <button class="secondary" @click=${() => this.copy()}>${this.copied ? 'Copied' : 'Copy'}</button>
              <button ?disabled=${!this.canReapply} title=${this.canReapply ? 'Apply them to the file again' : 'Possible once you may edit the file again'} @click=${() => emit(this, 'reapply-unsaved', null)}>Re-apply</button>
              <button class="secondary" @click=${() => emit(this, 'discard-unsaved', null)}>Discard</button>
            </div>
          </section>`
        : null}
    `;
  }

  private async copy() {
    try {
      await navigator.clipboard.writeText(this.unsavedText ?? '');
      this.copied = true;
    } catch {
      // No clipboard permission: select the text so Ctrl+C copies it.
      const pre = this.renderRoot.querySelector('pre');
      if (pre) getSelection()?.selectAllChildren(pre);
    }
  }
}
customElements.define('edit-access-banner', EditAccessBanner);
