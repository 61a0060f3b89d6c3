/**
 * The browser UI on the all-in-one: files of `ui/dist` (built by `npm install` / `npm run build:ui`)
 * and, for any other GET of a page path (not `/api`, not `/ws`), `index.html` so the UI's own router
 * answers deep links. Without a build, `/` says how to make one; the API works either way. The
 * build is looked for on every page request, not once at start: while `ui/dist` is being rebuilt
 * (emptied, then written) pages answer the same "not built" page (503, retry soon), never a raw error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestHandler } from 'express';
import type { Logger } from '@resoft/infra';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** `ui/dist` of the checkout this module runs from (app/src or app/dist). */
export const defaultUiDir = (): string => path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../ui/dist');

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Resoft</title>
<h1>The Resoft UI is not built</h1>
<p>Build it with <code>npm run build:ui</code> (<code>npm install</code> does it too), then reload. If a build is running, reload in a few seconds. The API is at <a href="/api/docs">/api/docs</a>.</p>`;
/** Seconds a browser or proxy is told to wait before asking again while there is no build. */
const RETRY_AFTER_SECONDS = 5;

export function uiSite(logger: Logger, dir: string = defaultUiDir()): RequestHandler {
  const root = path.resolve(dir);
  const index = path.join(root, 'index.html');
  if (!fs.existsSync(index)) logger.warn({ dir: root }, 'the browser UI is not built (npm run build:ui): / explains how');
  const notBuilt = (res: Parameters<RequestHandler>[1]): void => {
    res.status(503).setHeader('retry-after', String(RETRY_AFTER_SECONDS));
    res.setHeader('cache-control', 'no-store');
    res.type('html').send(NOT_BUILT);
  };
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/api' || req.path.startsWith('/api/') || req.path === '/ws' || req.path.startsWith('/ws/')) return next();
    if (!fs.existsSync(index)) return notBuilt(res);
    let file: string;
    try {
      file = path.resolve(root, '.' + decodeURIComponent(req.path));
    } catch {
      return next();
    }
    if (file === root) file = index;
    if (!file.startsWith(root + path.sep)) return next();
    const asset = req.path.startsWith('/assets/');
    fs.stat(file, (error, stat) => {
      if (!error && stat.isFile()) {
        res.setHeader('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream');
        // Vite names assets by content hash: they never change; pages must be revalidated.
        res.setHeader('cache-control', asset ? 'public, max-age=31536000, immutable' : 'no-cache');
        res.sendFile(file);
        return;
      }
      // A missing asset is a 404; any other path is a page of the UI's router.
      if (asset || path.extname(req.path)) return next();
      res.setHeader('cache-control', 'no-cache');
      res.type('html').sendFile(index, (sendError) => {
        // index.html went away between the check and the read (a rebuild started): same page as no build.
        if (sendError && !res.headersSent) notBuilt(res);
      });
    });
  };
}
