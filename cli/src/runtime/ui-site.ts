/**
 * The browser UI on the all-in-one: files of `ui/dist` (built by `npm install` / `npm run build:ui`)
 * and, for any other GET of a page path (not `/api`, not `/ws`), `index.html` so the UI's own router
 * answers deep links. Without a build, `/` says how to make one; the API works either way.
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

/** `ui/dist` of the checkout this module runs from (cli/src/runtime or cli/dist/runtime). */
export const defaultUiDir = (): string => path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../ui/dist');

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Resoft</title>
<h1>The Resoft UI is not built</h1>
<p>Build it with <code>npm run build:ui</code> (<code>npm install</code> does it too), then reload. The API is at <a href="/api/docs">/api/docs</a>.</p>`;

export function uiSite(logger: Logger, dir: string = defaultUiDir()): RequestHandler {
  const root = path.resolve(dir);
  const built = fs.existsSync(path.join(root, 'index.html'));
  if (!built) logger.warn({ dir: root }, 'the browser UI is not built (npm run build:ui): / explains how');
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/api' || req.path.startsWith('/api/') || req.path === '/ws' || req.path.startsWith('/ws/')) return next();
    if (!built) {
      res.status(503).type('html').send(NOT_BUILT);
      return;
    }
    let file: string;
    try {
      file = path.resolve(root, '.' + decodeURIComponent(req.path));
    } catch {
      return next();
    }
    if (file === root) file = path.join(root, 'index.html');
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
      res.type('html').sendFile(path.join(root, 'index.html'));
    });
  };
}
