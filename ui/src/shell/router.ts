/** The UI's routes: a path → a page and its parameters, and the auth guard that sends signed-out users to sign in. */

export type Route =
  | { readonly page: 'sign-in'; readonly next: string | null }
  | { readonly page: 'register' }
  | { readonly page: 'projects' }
  | { readonly page: 'project'; readonly projectId: string; readonly fileId: string | null }
  | { readonly page: 'insights'; readonly projectId: string; readonly search: string }
  | { readonly page: 'quality'; readonly projectId: string }
  | { readonly page: 'audit'; readonly projectId: string }
  | { readonly page: 'checker'; readonly checkId: string | null; readonly line: number | null }
  | { readonly page: 'templates' }
  | { readonly page: 'settings' }
  | { readonly page: 'not-found'; readonly path: string };

const PUBLIC_PAGES = new Set<Route['page']>(['sign-in', 'register']);

export function matchRoute(pathname: string, search = ''): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third, fourth] = parts;
  if (parts.length === 0) return { page: 'projects' };
  if (first === 'sign-in' && parts.length === 1) return { page: 'sign-in', next: safeNext(new URLSearchParams(search).get('next')) };
  if (first === 'register' && parts.length === 1) return { page: 'register' };
  if (first === 'projects' && parts.length === 1) return { page: 'projects' };
  if (first === 'projects' && second && parts.length === 2) return { page: 'project', projectId: second, fileId: null };
  if (first === 'projects' && second && third === 'insights' && parts.length === 3) return { page: 'insights', projectId: second, search };
  if (first === 'projects' && second && third === 'files' && fourth && parts.length === 4) return { page: 'project', projectId: second, fileId: fourth };
  if (first === 'projects' && second && third === 'quality' && parts.length === 3) return { page: 'quality', projectId: second };
  if (first === 'projects' && second && third === 'audit' && parts.length === 3) return { page: 'audit', projectId: second };
  if (first === 'checker' && parts.length === 1) {
    const query = new URLSearchParams(search);
    const line = Number(query.get('line'));
    return { page: 'checker', checkId: query.get('check'), line: Number.isSafeInteger(line) && line > 0 ? line : null };
  }
  if (first === 'templates' && parts.length === 1) return { page: 'templates' };
  if (first === 'settings' && parts.length === 1) return { page: 'settings' };
  return { page: 'not-found', path: pathname };
}

/** Where to go instead of `route`, or null to show it: signed-out users go to sign in (and come back after), signed-in users skip sign-in. */
export function guard(route: Route, signedIn: boolean, requested: string): string | null {
  if (!signedIn && !PUBLIC_PAGES.has(route.page)) return `/sign-in?next=${encodeURIComponent(requested)}`;
  if (signedIn && route.page === 'sign-in') return route.next ?? '/projects';
  if (signedIn && route.page === 'register') return '/projects';
  return null;
}

/** Only same-site paths are followed after sign-in (no open redirects). */
function safeNext(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/sign-in')) return null;
  return next;
}
