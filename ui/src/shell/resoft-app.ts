/**
 * The app shell: header with navigation and the signed-in user, the page of the current route
 * (behind the auth guard), and the toast area. Pages send `resoft-navigate` and `resoft-toast` up.
 */
import { LitElement, css, html, type TemplateResult } from 'lit';
import { ContextProvider } from '@lit/context';
import { ApiClient } from '../api/api-client.js';
import { apiContext } from '../api/api-context.js';
import { SessionStore } from '../api/session-store.js';
import { guard, matchRoute, type Route } from './router.js';
import { sharedStyles } from '../styles/shared-styles.js';
import type { ToastRequest } from '../events.js';
import type { Toast } from './toast-area.js';
import './toast-area.js';
import './notification-inbox.js';
import '../auth/sign-in-page.js';
import '../auth/register-page.js';
import '../projects/projects-page.js';

const TOAST_MS = 6000;
/** A toast with a link stays long enough to be followed (it is in the inbox as well). */
const LINKED_TOAST_MS = 15_000;
/** How long after a navigation the new page may take to show its heading before focus stays where it is. */
const HEADING_WAIT_MS = 5000;

export class ResoftApp extends LitElement {
  static override properties = { route: { state: true }, toasts: { state: true }, signedIn: { state: true }, loadedPages: { state: true } };
  declare route: Route;
  declare toasts: readonly Toast[];
  declare signedIn: boolean;
  declare loadedPages: ReadonlySet<string>;
  private readonly session = new SessionStore();
  private readonly api = new ApiClient(this.session);
  private nextToast = 1;
  private navigations = 0;

  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; min-height: 100vh; background: #f4f6fa; }
      header { display: flex; align-items: center; gap: 1rem; padding: 0.6rem 1rem; background: #1d2433; color: #fff; flex-wrap: wrap; }
      header .brand { font-weight: 700; font-size: 1.1rem; color: #fff; text-decoration: none; }
      nav { display: flex; gap: 0.9rem; flex: 1; }
      nav a { color: #d5dcf0; text-decoration: none; }
      nav a[aria-current='page'] { color: #fff; text-decoration: underline; }
      .user { display: flex; gap: 0.6rem; align-items: center; }
      .user button { background: transparent; border-color: #8b96b3; }
      main { flex: 1; width: 100%; }
      main:focus { outline: none; }
      .skip { position: absolute; left: 0.5rem; top: -3rem; z-index: 100; background: #fff; color: #1d2433; padding: 0.5rem 0.8rem; border-radius: 6px; }
      .skip:focus { top: 0.5rem; }
      @media (max-width: 640px) { header { gap: 0.5rem; } nav { order: 3; flex-basis: 100%; } }
    `,
  ];

  constructor() {
    super();
    // Pages and components below the shell ask for the one API client through this context (the provider registers itself with the shell).
    new ContextProvider(this, { context: apiContext, initialValue: this.api });
    this.toasts = [];
    this.loadedPages = new Set();
    this.signedIn = this.session.get() !== null;
    this.route = matchRoute(location.pathname, location.search);
    this.session.subscribe((session) => {
      this.signedIn = session !== null;
      if (!session) this.go(location.pathname + location.search, true);
    });
    window.addEventListener('popstate', () => this.go(location.pathname + location.search, true));
    this.addEventListener('resoft-navigate', (e) => this.go((e as CustomEvent<string>).detail));
    this.addEventListener('resoft-toast', (e) => this.showToast((e as CustomEvent<ToastRequest>).detail));
    // Same-site links navigate inside the app.
    this.addEventListener('click', (e) => this.followLink(e));
    this.go(location.pathname + location.search, true);
  }

  override render() {
    const here = this.route.page;
    const user = this.session.get()?.user;
    return html`
      <a class="skip" href="#main" @click=${this.skipToContent}>Skip to main content</a>
      <header>
        <a class="brand" href="/">Resoft</a>
        ${this.signedIn
          ? html`<nav aria-label="Main">
                <a href="/projects" aria-current=${here === 'projects' || here === 'project' || here === 'quality' || here === 'audit' ? 'page' : 'false'}>Projects</a>
                <a href="/checker" aria-current=${here === 'checker' ? 'page' : 'false'}>Code checker</a>
                <a href="/templates" aria-current=${here === 'templates' ? 'page' : 'false'}>Templates</a>
                <a href="/settings" aria-current=${here === 'settings' ? 'page' : 'false'}>Settings</a>
              </nav>
              <div class="user"><notification-inbox .userId=${user?.id ?? ''}></notification-inbox><span data-testid="current-user">${user?.username}</span><button @click=${this.signOut}>Sign out</button></div>`
          : html`<nav aria-label="Main"></nav>`}
      </header>
      <main id="main" tabindex="-1">${this.page()}</main>
      <toast-area .toasts=${this.toasts} @dismiss=${(e: CustomEvent<number>) => this.dismiss(e.detail)}></toast-area>
    `;
  }

  private page(): TemplateResult {
    const route = this.route;
    switch (route.page) {
      case 'sign-in':
        return html`<sign-in-page @signed-in=${() => this.afterSignIn(route.next)}></sign-in-page>`;
      case 'register':
        return html`<register-page @signed-in=${() => this.afterSignIn(null)}></register-page>`;
      case 'projects':
        return html`<projects-page></projects-page>`;
      case 'project':
        return this.lazy('project-page', () => import('../project/project-page.js'), html`<project-page .session=${this.session.get()} .projectId=${route.projectId} .fileId=${route.fileId}></project-page>`);
      case 'insights':
        return this.lazy('insights-page', () => import('../insights/insights-page.js'), html`<insights-page .projectId=${route.projectId} .search=${route.search}></insights-page>`);
      case 'checker':
        return this.lazy('checker-page', () => import('../code-quality/checker-page.js'), html`<checker-page .checkId=${route.checkId} .line=${route.line}></checker-page>`);
      case 'quality':
        return this.lazy('project-quality-page', () => import('../code-quality/project-quality-page.js'), html`<project-quality-page .projectId=${route.projectId}></project-quality-page>`);
      case 'audit':
        return this.lazy('audit-page', () => import('../audit/audit-page.js'), html`<audit-page .projectId=${route.projectId}></audit-page>`);
      case 'templates':
        return this.lazy('templates-page', () => import('../templates/templates-page.js'), html`<templates-page></templates-page>`);
      case 'settings':
        return this.lazy('settings-page', () => import('./settings-page.js'), html`<settings-page .userId=${this.session.get()?.user.id ?? ''}></settings-page>`);
      case 'not-found':
        return html`<section class="card" style="margin:2rem"><h1>Not found</h1><p>Nothing lives at ${route.path}. <a href="/projects">Back to your projects</a></p></section>`;
    }
  }

  /** Pages with heavy dependencies (the editor, Automerge) load on first visit. */
  private lazy(name: string, load: () => Promise<unknown>, view: TemplateResult): TemplateResult {
    if (this.loadedPages.has(name)) return view;
    load().then(
      () => (this.loadedPages = new Set([...this.loadedPages, name])),
      (error: unknown) => this.showToast({ kind: 'error', text: `Could not load the page: ${(error as Error).message}` }),
    );
    return html`<p class="muted" style="margin:2rem" role="status">Loading…</p>`;
  }

  private go(path: string, replace = false): void {
    const url = new URL(path, location.origin);
    const route = matchRoute(url.pathname, url.search);
    const redirect = guard(route, this.signedIn, url.pathname + url.search);
    if (redirect) return this.go(redirect, true);
    if (url.pathname + url.search !== location.pathname + location.search) {
      if (replace) history.replaceState(null, '', url.pathname + url.search);
      else history.pushState(null, '', url.pathname + url.search);
    }
    const changed = this.route?.page !== route.page || url.pathname !== location.pathname;
    this.route = route;
    if (changed && !replace) this.focusHeadingSoon();
  }

  /**
   * After an in-app navigation, moves focus to the new page's heading (screen readers announce the
   * page, the keyboard starts from its top), once the page has rendered it; never takes focus away
   * from a field the user already moved into.
   */
  private focusHeadingSoon(): void {
    const navigation = ++this.navigations;
    const deadline = Date.now() + HEADING_WAIT_MS;
    const attempt = () => {
      if (navigation !== this.navigations || Date.now() > deadline) return;
      const page = this.renderRoot.querySelector('main')?.firstElementChild;
      const heading = page?.shadowRoot?.querySelector<HTMLElement>('h1') ?? page?.querySelector<HTMLElement>('h1');
      if (!heading) return void setTimeout(attempt, 100);
      if (isTypingSomewhere()) return;
      heading.tabIndex = -1;
      heading.focus({ preventScroll: false });
      document.title = `${heading.textContent?.trim() ?? ''} · Resoft`;
    };
    setTimeout(attempt, 0);
  }

  private readonly skipToContent = (event: Event) => {
    event.preventDefault();
    const page = this.renderRoot.querySelector('main')?.firstElementChild;
    const heading = page?.shadowRoot?.querySelector<HTMLElement>('h1');
    const target = heading ?? this.renderRoot.querySelector<HTMLElement>('main');
    if (heading) heading.tabIndex = -1;
    target?.focus();
  };

  private afterSignIn(next: string | null) {
    this.signedIn = true;
    this.go(next ?? '/projects', true);
  }

  private async signOut() {
    await this.api.signOut();
    this.signedIn = false;
    this.showToast({ kind: 'info', text: 'You are signed out.' });
    this.go('/sign-in', true);
  }

  private followLink(event: MouseEvent) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!anchor || anchor.target || anchor.origin !== location.origin || anchor.hasAttribute('download')) return;
    event.preventDefault();
    this.go(anchor.pathname + anchor.search);
  }

  private showToast(request: ToastRequest) {
    const id = this.nextToast++;
    this.toasts = [...this.toasts, { id, ...request }].slice(-5);
    setTimeout(() => this.dismiss(id), request.link ? LINKED_TOAST_MS : TOAST_MS);
    const userId = this.session.get()?.user.id;
    if (request.alert && userId) import('./notifier.js').then(({ alertUser }) => alertUser(userId, request.alert!, request.text), () => undefined);
  }

  private dismiss(id: number) {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }
}
customElements.define('resoft-app', ResoftApp);

/** True when the focused element (through shadow roots) is a field the user is typing in. */
function isTypingSomewhere(): boolean {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return !!active && (active.matches('input, textarea, select, [contenteditable=""], [contenteditable="true"]') || active.closest('.cm-editor') !== null);
}
