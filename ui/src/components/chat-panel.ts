/**
 * The room's chat: messages (markdown rendered with marked, sanitised with DOMPurify), older pages
 * on demand, and a composer. Events `send` (text) and `load-older`.
 */
import { LitElement, css, html } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { marked } from 'marked';
import DOMPurify from 'dompurify';
import { sharedStyles } from '../styles/shared-styles.js';
import { emit } from '../events.js';

export interface ChatLine {
  readonly id: string;
  readonly author: string;
  readonly text: string | null;
  readonly deleted: boolean;
  readonly edited: boolean;
  readonly at: string;
  readonly mentionsMe: boolean;
}

export const renderMarkdown = (text: string): string => DOMPurify.sanitize(marked.parse(text, { async: false, gfm: true, breaks: true }) as string);

export class ChatPanel extends LitElement {
  static override properties = { messages: { attribute: false }, hasOlder: { type: Boolean, attribute: 'has-older' }, disabled: { type: Boolean } };
  declare messages: readonly ChatLine[];
  declare hasOlder: boolean;
  declare disabled: boolean;

  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; }
      ol { list-style: none; margin: 0; padding: 0; overflow-y: auto; flex: 1; min-height: 10rem; max-height: 50vh; }
      li { padding: 0.35rem 0; border-bottom: 1px solid #eef1f5; }
      li.mention { background: #f3edff; }
      .meta { font-size: 0.75rem; color: #5d6677; }
      .body :is(p, pre) { margin: 0.15rem 0; }
      .body pre { background: #f4f6fa; padding: 0.4rem; border-radius: 4px; overflow-x: auto; }
      form { margin-top: 0.5rem; display: flex; gap: 0.4rem; }
      textarea { resize: vertical; min-height: 2.4rem; }
    `,
  ];

  constructor() {
    super();
    this.messages = [];
    this.hasOlder = false;
    this.disabled = false;
  }

  override render() {
    return html`<h2>Chat</h2>
      <ol aria-label="Chat messages" aria-live="polite">
        ${this.hasOlder ? html`<li><button class="link" @click=${() => emit(this, 'load-older', null)}>Load older messages</button></li>` : null}
        ${this.messages.map(
          (m) => html`<li class=${m.mentionsMe ? 'mention' : ''} data-message-id=${m.id}>
            <div class="meta"><strong>${m.author}</strong> · <time datetime=${m.at}>${new Date(m.at).toLocaleTimeString()}</time>${m.edited ? ' · edited' : ''}</div>
            <div class="body">${m.deleted ? html`<em class="muted">deleted</em>` : unsafeHTML(renderMarkdown(m.text ?? ''))}</div>
          </li>`,
        )}
      </ol>
      <form @submit=${this.send} aria-label="Send a message">
        <label class="sr-only" for="chat-text">Message</label>
        <textarea id="chat-text" name="text" placeholder="Message (markdown, @name to mention)" ?disabled=${this.disabled} @keydown=${this.keydown}></textarea>
        <button type="submit" ?disabled=${this.disabled}>Send</button>
      </form>`;
  }

  override updated(changed: Map<string, unknown>) {
    const previous = changed.get('messages') as readonly ChatLine[] | undefined;
    // Follow new messages at the bottom, not older pages loaded at the top.
    if (changed.has('messages') && (!previous || previous.at(-1)?.id !== this.messages.at(-1)?.id)) {
      const list = this.renderRoot.querySelector('ol');
      if (list) list.scrollTop = list.scrollHeight;
    }
  }

  private keydown(event: KeyboardEvent) {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      (event.target as HTMLTextAreaElement).form?.requestSubmit();
    }
  }

  private send(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const text = String(new FormData(form).get('text') ?? '').trim();
    if (!text) return;
    emit(this, 'send', text);
    form.reset();
  }
}
customElements.define('chat-panel', ChatPanel);
