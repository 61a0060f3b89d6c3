/**
 * The header's inbox (issue 12): a button with the unread count on every page, and a panel listing
 * the user's notifications (mentions, check results on their projects, template runs they started,
 * requests to unlock a file they locked),
 * each a link to what it is about. The list comes from `GET /api/notifications`; new entries arrive
 * over the live stream (Server-Sent Events), and read state is stored server-side, so it survives
 * reloads and other tabs. Sends `resoft-toast` for each new entry and `resoft-navigate` via links.
 */
import { css, html } from 'lit';
import type { InboxEntry, InboxPage } from '@resoft/contracts';
import { sharedStyles } from '../styles/shared-styles.js';
import { toast } from '../events.js';
import { ApiConsumerElement } from '../api/api-consumer-element.js';

/** An entry of your inbox, and a page of it, as `GET /api/notifications` answers them. */
export type { InboxEntry };

/** Wait before reconnecting a dropped live stream (it also ends on its own every few minutes). */
const RECONNECT_MS = 2000;
const KIND_LABEL: Record<InboxEntry['kind'], string> = { mention: 'Mention', check: 'Check', template_run: 'Template', unlock_request: 'Unlock request' };

export class NotificationInbox extends ApiConsumerElement {
  static override properties = { userId: { attribute: false }, entries: { state: true }, unread: { state: true }, open: { state: true }, latestPosition: { state: true } };
  /** The signed-in user: what they caused themselves (their own check, their template run) is counted but not toasted, since the page they ran it from already says so. */
  declare userId: string;
  declare entries: readonly InboxEntry[];
  declare unread: number;
  declare open: boolean;
  declare latestPosition: number;
  private stopped = false;
  private loaded = false;
  private readonly closeOnOutside = (e: MouseEvent) => {
    if (this.open && !e.composedPath().includes(this)) this.open = false;
  };

  static override styles = [
    sharedStyles,
    css`
      :host { position: relative; display: inline-block; color: #1d2433; }
      .toggle { background: transparent; border-color: #8b96b3; color: #fff; display: inline-flex; gap: 0.4rem; align-items: center; }
      .count { background: #e0463c; color: #fff; border-radius: 999px; min-width: 1.3rem; padding: 0 0.35rem; font-size: 0.8rem; font-weight: 700; text-align: center; }
      .panel { position: absolute; right: 0; top: calc(100% + 0.4rem); z-index: 40; width: min(26rem, calc(100vw - 1.5rem)); max-height: 70vh; overflow-y: auto; background: #fff; border: 1px solid #dde2ea; border-radius: 10px; box-shadow: 0 8px 24px rgb(0 0 0 / 0.18); padding: 0.5rem; }
      .panel header { display: flex; justify-content: space-between; align-items: center; padding: 0.25rem 0.4rem 0.5rem; }
      .panel h2 { margin: 0; font-size: 1rem; }
      ol { list-style: none; margin: 0; padding: 0; }
      li a { display: block; padding: 0.5rem 0.6rem; border-radius: 6px; color: inherit; text-decoration: none; }
      li a:hover, li a:focus-visible { background: #eef2fb; }
      li.unread a { background: #f1f5ff; font-weight: 600; }
      li.unread a::before { content: ''; display: inline-block; width: 0.5rem; height: 0.5rem; border-radius: 50%; background: #2f5bd3; margin-right: 0.4rem; }
      .kind { font-size: 0.75rem; color: #5d6677; font-weight: 400; display: block; }
    `,
  ];

  constructor() {
    super();
    this.entries = [];
    this.unread = 0;
    this.open = false;
    this.latestPosition = 0;
  }

  override connectedCallback() {
    super.connectedCallback();
    this.stopped = false;
    document.addEventListener('click', this.closeOnOutside);
    void this.load().then(() => this.follow());
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.stopped = true;
    document.removeEventListener('click', this.closeOnOutside);
  }

  override render() {
    const label = this.unread === 0 ? 'Notifications, none unread' : `Notifications, ${this.unread} unread`;
    return html`<button class="toggle" aria-expanded=${this.open ? 'true' : 'false'} aria-controls="inbox-panel" aria-label=${label} data-testid="inbox-toggle" @click=${() => (this.open = !this.open)}>
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9"/><path d="M10.3 21a1.94 1.94 0 0 0 3.4 0"/></svg>
        ${this.unread > 0 ? html`<span class="count" data-testid="unread-count">${this.unread > 99 ? '99+' : this.unread}</span>` : null}
      </button>
      ${this.open
        ? html`<section class="panel" id="inbox-panel" aria-label="Notifications">
            <header><h2>Notifications</h2>${this.unread > 0 ? html`<button class="link" @click=${this.markAllRead}>Mark all read</button>` : null}</header>
            ${this.entries.length === 0
              ? html`<p class="muted">Nothing yet. Mentions, check results on your projects and your template runs show up here.</p>`
              : html`<ol>${this.entries.map(
                  (n) => html`<li class=${n.read ? 'read' : 'unread'}><a href=${n.link} data-id=${n.id} @click=${() => this.follow_(n)}><span class="kind">${KIND_LABEL[n.kind]} · ${new Date(n.at).toLocaleString()}${n.read ? '' : ' · unread'}</span>${n.title}</a></li>`,
                )}</ol>`}
          </section>`
        : null}`;
  }

  private async load(): Promise<void> {
    try {
      const page = await this.api.get<InboxPage>('/api/notifications?limit=30');
      this.entries = page.items;
      this.unread = page.unread;
      this.latestPosition = page.latestPosition;
      this.loaded = true;
    } catch {
      // Signed out or the server is away: the live loop retries.
    }
  }

  /** Follows the live stream for as long as the inbox is on the page, reconnecting after drops. */
  private async follow(): Promise<void> {
    while (!this.stopped) {
      try {
        // With the inbox read, ask for everything after it (nothing falls in between); without, only what comes next.
        await this.api.events(`/api/notifications/live${this.loaded ? `?since=${this.latestPosition}` : ''}`, (type, data) => {
          if (type === 'notification') this.receive(data as { notification: InboxEntry; unread: number });
        });
      } catch (error) {
        if ((error as { status?: number }).status === 401 && !(await this.api.refresh())) return;
      }
      if (this.stopped) return;
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
      // Anything that arrived while the stream was down is in the list.
      await this.load();
    }
  }

  private receive({ notification, unread }: { notification: InboxEntry; unread: number }) {
    if (this.entries.some((n) => n.id === notification.id)) return;
    this.entries = [notification, ...this.entries].slice(0, 50);
    this.unread = unread;
    this.latestPosition = Math.max(this.latestPosition, notification.position);
    if (notification.actorId === this.userId) return;
    toast(this, notification.kind === 'mention' ? 'mention' : 'info', notification.title, notification.kind === 'mention' ? 'mention' : notification.kind === 'check' ? 'check' : undefined, notification.link);
  }

  private follow_(entry: InboxEntry) {
    this.open = false;
    if (!entry.read) void this.markRead([entry.id]);
  }

  private async markRead(ids: string[]) {
    this.entries = this.entries.map((n) => (ids.includes(n.id) ? { ...n, read: true } : n));
    this.unread = Math.max(0, this.unread - ids.length);
    await this.api.post('/api/notifications/read', { ids }).catch(() => this.load());
  }

  private readonly markAllRead = async () => {
    const upTo = Math.max(this.latestPosition, ...this.entries.map((n) => n.position));
    this.entries = this.entries.map((n) => ({ ...n, read: true }));
    this.unread = 0;
    if (upTo > 0) await this.api.post('/api/notifications/read', { upToPosition: upTo }).catch(() => this.load());
  };
}
customElements.define('notification-inbox', NotificationInbox);
