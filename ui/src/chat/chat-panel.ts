/**
 * The room's chat: messages (markdown rendered with marked, sanitised with DOMPurify; fenced
 * python/js/ts code highlighted by the lazily loaded `code-highlight.ts`), older pages
 * when scrolled to the top (or with the button), a composer, and editing or deleting one's own
 * messages. Events `send` (text), `load-older`, `edit-message` {id, text}, `delete-message` (id).
 */
import { LitElement, css, html } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { marked } from 'marked';
import DOMPurify from 'dompurify';
import { sharedStyles } from '../styles/shared-styles.js';
import { emit, toast } from '../events.js';

export interface ChatLine {
  readonly id: string;
  readonly author: string;
  readonly text: string | null;
  readonly deleted: boolean;
  readonly edited: boolean;
  readonly at: string;
  readonly mentionsMe: boolean;
  readonly mine: boolean;
}

export const renderMarkdown = (text: string): string => DOMPurify.sanitize(marked.parse(text, { async: false, gfm: true, breaks: true }) as string);

export class ChatPanel extends LitElement {
  static override properties = {
    messages: { attribute: false },
    hasOlder: { type: Boolean, attribute: 'has-older' },
    disabled: { type: Boolean },
    people: { attribute: false },
    editing: { state: true },
    unread: { state: true },
    suggestions: { state: true },
    active: { state: true },
  };
  declare messages: readonly ChatLine[];
  /** Usernames that @mention autocompletion offers. */
  declare people: readonly string[];
  declare suggestions: readonly string[];
  declare active: number;
  /** Messages from others that arrived while the reader was scrolled up. */
  declare unread: number;
  private wasAtBottom = true;
  declare editing: string | null;
  private heightBeforeOlder: number | null = null;
  declare hasOlder: boolean;
  declare disabled: boolean;

  static override styles = [
    sharedStyles,
    css`
      li.revealed { outline: 3px solid #7aa7ff; border-radius: 6px; }
      :host { display: flex; flex-direction: column; min-height: 0; }
      ol { list-style: none; margin: 0; padding: 0; overflow-y: auto; flex: 1; min-height: 10rem; max-height: 50vh; }
      li { padding: 0.35rem 0; border-bottom: 1px solid #eef1f5; }
      li.mention { background: #f3edff; }
      .meta { font-size: 0.75rem; color: #5d6677; }
      .body :is(p, pre) { margin: 0.15rem 0; }
      .body pre { background: #f4f6fa; padding: 0.4rem; border-radius: 4px; overflow-x: auto; }
      .body pre code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85rem; }
      .tok-keyword, .tok-bool { color: #7c1fa3; }
      .tok-string, .tok-string2 { color: #1a6b1f; }
      .tok-number, .tok-atom, .tok-literal { color: #0b5cad; }
      .tok-comment { color: #6a7282; font-style: italic; }
      .tok-definition, .tok-className, .tok-typeName { color: #004e8a; }
      .tok-propertyName { color: #8a3c00; }
      .tok-invalid { color: #b3261e; }
      form { margin-top: 0.5rem; display: flex; gap: 0.4rem; }
      textarea { resize: vertical; min-height: 2.4rem; }
      .own { font-size: 0.75rem; }
      h2 .unread { font-size: 0.75rem; padding: 0.1rem 0.5rem; margin-left: 0.5rem; vertical-align: middle; }
      .own button { font-size: 0.75rem; }
      form.edit { display: grid; gap: 0.3rem; margin: 0.2rem 0; }
      #mention-list { list-style: none; margin: 0.25rem 0 0; padding: 0.2rem; border: 1px solid #dde2ea; border-radius: 6px; background: #fff; }
      #mention-list li { padding: 0.2rem 0.4rem; border-radius: 4px; cursor: pointer; }
      #mention-list li[aria-selected='true'] { background: #e4ebff; }
    `,
  ];

  constructor() {
    super();
    this.messages = [];
    this.hasOlder = false;
    this.disabled = false;
    this.editing = null;
    this.people = [];
    this.suggestions = [];
    this.active = 0;
    this.unread = 0;
  }

  /** Scrolls to a message and marks it for a moment (an inbox link names it); false when it is not loaded. */
  async reveal(messageId: string): Promise<boolean> {
    await this.updateComplete;
    const item = this.renderRoot.querySelector<HTMLElement>(`li[data-message-id="${CSS.escape(messageId)}"]`);
    if (!item) return false;
    item.scrollIntoView({ block: 'center' });
    item.classList.add('revealed');
    setTimeout(() => item.classList.remove('revealed'), 4000);
    return true;
  }

  override render() {
    return html`<h2>Chat ${this.unread > 0 ? html`<button class="secondary unread" @click=${this.toBottom} aria-label="${this.unread} unread, show them">${this.unread} unread ↓</button>` : null}</h2>
      <ol aria-label="Chat messages" aria-live="polite" @scroll=${this.scrolled}>
        ${this.hasOlder ? html`<li><button class="link" @click=${this.loadOlder}>Load older messages</button></li>` : null}
        ${this.messages.map(
          (m) => html`<li class=${m.mentionsMe ? 'mention' : ''} data-message-id=${m.id}>
            <div class="meta"><strong>${m.author}</strong> · <time datetime=${m.at}>${new Date(m.at).toLocaleTimeString()}</time>${m.edited ? ' · edited' : ''}</div>
            ${this.editing === m.id
              ? html`<form class="edit" @submit=${(e: SubmitEvent) => this.saveEdit(e, m.id)} aria-label="Edit message">
                  <label class="sr-only" for="edit-${m.id}">Edited message</label>
                  <textarea id="edit-${m.id}" name="text" .value=${m.text ?? ''}></textarea>
                  <button type="submit">Save</button><button type="button" class="secondary" @click=${() => (this.editing = null)}>Cancel</button>
                </form>`
              : html`<div class="body">${m.deleted ? html`<em class="muted">deleted</em>` : unsafeHTML(renderMarkdown(m.text ?? ''))}</div>`}
            ${m.mine && !m.deleted && this.editing !== m.id
              ? html`<div class="own"><button class="link" @click=${() => (this.editing = m.id)}>Edit</button> <button class="link" @click=${() => emit(this, 'delete-message', m.id)}>Delete</button></div>`
              : null}
          </li>`,
        )}
      </ol>
      <form @submit=${this.send} aria-label="Send a message">
        <label class="sr-only" for="chat-text">Message</label>
        <textarea id="chat-text" name="text" placeholder="Message (markdown, @name to mention)" ?disabled=${this.disabled} @keydown=${this.keydown} @input=${this.typed}
          role="combobox" aria-autocomplete="list" aria-controls="mention-list" aria-expanded=${this.suggestions.length > 0 ? 'true' : 'false'}
          aria-activedescendant=${this.suggestions.length > 0 ? `mention-${this.active}` : ''}></textarea>
        <button type="submit" ?disabled=${this.disabled}>Send</button>
      </form>
      <ul id="mention-list" role="listbox" aria-label="People to mention" ?hidden=${this.suggestions.length === 0}>
        ${this.suggestions.map((name, i) => html`<li id="mention-${i}" role="option" aria-selected=${i === this.active ? 'true' : 'false'} @mousedown=${(e: Event) => this.pick(e, name)}>@${name}</li>`)}
      </ul>`;
  }

  override willUpdate(changed: Map<string, unknown>) {
    const list = this.renderRoot.querySelector('ol');
    if (changed.has('messages') && list) this.wasAtBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
  }

  override updated(changed: Map<string, unknown>) {
    this.highlightCode();
    const previous = changed.get('messages') as readonly ChatLine[] | undefined;
    const list = this.renderRoot.querySelector('ol');
    if (!changed.has('messages') || !list) return;
    if (this.heightBeforeOlder !== null && previous && previous.at(-1)?.id === this.messages.at(-1)?.id) {
      // Older messages came in above: keep the ones on screen where they were.
      list.scrollTop += list.scrollHeight - this.heightBeforeOlder;
      this.heightBeforeOlder = null;
    } else if (!previous || previous.at(-1)?.id !== this.messages.at(-1)?.id) {
      const latest = this.messages.at(-1);
      // A new message: follow the bottom, unless the reader scrolled up to read older ones (then count it).
      if (!previous || this.wasAtBottom || latest?.mine) this.toBottom();
      else this.unread += 1;
    }
  }

  /** Fenced code in the rendered messages gets syntax colours; the highlighter loads on first need. */
  private highlightCode() {
    const body = this.renderRoot.querySelector('ol');
    if (!body?.querySelector('pre > code:not([data-language])')) return;
    import('./code-highlight.js').then(
      ({ highlightBlocks }) => highlightBlocks(body),
      (error: unknown) => toast(this, 'error', `Could not load the code highlighter: ${(error as Error).message}`),
    );
  }

  private toBottom() {
    const list = this.renderRoot.querySelector('ol');
    if (list) list.scrollTop = list.scrollHeight;
    this.unread = 0;
  }

  private scrolled(event: Event) {
    const list = event.target as HTMLElement;
    if (this.unread > 0 && list.scrollHeight - list.scrollTop - list.clientHeight < 24) this.unread = 0;
    if (list.scrollTop < 16 && this.hasOlder && this.heightBeforeOlder === null) this.loadOlder();
  }

  private loadOlder() {
    this.heightBeforeOlder = this.renderRoot.querySelector('ol')?.scrollHeight ?? 0;
    emit(this, 'load-older', null);
  }

  private saveEdit(event: SubmitEvent, id: string) {
    event.preventDefault();
    const text = String(new FormData(event.target as HTMLFormElement).get('text') ?? '').trim();
    this.editing = null;
    if (text) emit(this, 'edit-message', { id, text });
  }

  /** The `@partial` the caret is right after, if any. */
  private mentionAt(area: HTMLTextAreaElement): { start: number; partial: string } | null {
    const before = area.value.slice(0, area.selectionStart);
    const match = /(^|\s)@([\w.-]*)$/.exec(before);
    return match ? { start: before.length - match[2]!.length - 1, partial: match[2]!.toLowerCase() } : null;
  }

  private typed(event: Event) {
    const at = this.mentionAt(event.target as HTMLTextAreaElement);
    this.suggestions = at ? this.people.filter((name) => name.toLowerCase().startsWith(at.partial)).slice(0, 8) : [];
    this.active = 0;
  }

  private pick(event: Event, name: string) {
    event.preventDefault();
    const area = this.renderRoot.querySelector('#chat-text') as HTMLTextAreaElement;
    const at = this.mentionAt(area);
    if (!at) return;
    const caret = area.selectionStart;
    area.value = `${area.value.slice(0, at.start)}@${name} ${area.value.slice(caret)}`;
    const next = at.start + name.length + 2;
    area.setSelectionRange(next, next);
    area.focus();
    this.suggestions = [];
  }

  private keydown(event: KeyboardEvent) {
    if (this.suggestions.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        this.active = (this.active + (event.key === 'ArrowDown' ? 1 : this.suggestions.length - 1)) % this.suggestions.length;
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        this.pick(event, this.suggestions[this.active]!);
        return;
      }
      if (event.key === 'Escape') {
        this.suggestions = [];
        return;
      }
    }
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
    this.suggestions = [];
  }
}
customElements.define('chat-panel', ChatPanel);
