/**
 * Security headers on every answer (the UI, the API and its docs), from helmet. The
 * Content-Security-Policy is the one the browser UI works with:
 * - scripts only from this origin, plus `'wasm-unsafe-eval'` to compile Automerge's WebAssembly;
 *   no inline script, no `eval`;
 * - styles from this origin and inline: Lit templates and CodeMirror decorations set `style`
 *   attributes (each user's colour on remote carets and selections), and Swagger UI injects styles.
 *   Chat markdown is sanitised (DOMPurify) before it reaches the DOM, so inline styles are not a way in;
 * - images from this origin and `data:` (the favicon, Swagger UI's icons), plus `https:` avatars;
 * - connections (fetch, the /ws WebSocket) to this origin only;
 * - no framing (`frame-ancestors 'none'`, and `X-Frame-Options: DENY` for older browsers), no
 *   plugins, forms post only here, `<base>` cannot be moved.
 * Also `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`. HSTS is left to the
 * TLS-terminating edge (this server speaks plain HTTP), and so is `upgrade-insecure-requests`,
 * which would break a plain-HTTP deployment on a private network.
 */
import helmet from 'helmet';
import type { ServerResponse } from 'node:http';

export const CONTENT_SECURITY_POLICY: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'https:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
};

/** helmet's options for the headers above. */
const HELMET_OPTIONS: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY as Record<string, string[]> },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: false,
  // Same-origin by design: the UI and the API share one origin.
  crossOriginResourcePolicy: { policy: 'same-origin' },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
};

/**
 * The headers helmet sets with these options, taken once: they do not depend on the request, and
 * helmet's chain of a dozen middlewares per request cost more than setting the same headers from a list.
 */
function helmetHeaders(): readonly (readonly [string, string])[] {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => void headers.push([name, String(value)]),
    removeHeader: () => undefined,
  };
  let done = false;
  helmet(HELMET_OPTIONS)({} as never, recorder as never, (error?: unknown) => {
    if (error) throw error;
    done = true;
  });
  if (!done) throw new Error('helmet did not finish synchronously: the security headers cannot be taken once');
  return headers;
}

/** Sets the security headers on an answer (the app's front handler calls it on every request). */
export function securityHeaderSetter(): (res: ServerResponse) => void {
  const headers = helmetHeaders();
  return (res) => {
    for (const [name, value] of headers) res.setHeader(name, value);
  };
}
