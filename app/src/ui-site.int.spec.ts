import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@resoft/infra';
import { uiSite } from './ui-site.js';

async function serve(dir: string) {
  const app = express();
  app.use(uiSite(createLogger('silent'), dir));
  app.use((_req, res) => res.status(404).json({ error: { code: 'route_not_found' } }));
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('the UI site of the all-in-one', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-ui-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'main-abc.js'), 'console.log(1)');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves built files, answers deep links with index.html and leaves /api and /ws alone', async () => {
    const site = await serve(dir);
    try {
      const asset = await fetch(`${site.base}/assets/main-abc.js`);
      expect([asset.status, asset.headers.get('content-type'), await asset.text()]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log(1)']);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      const home = await fetch(`${site.base}/`);
      expect([home.status, home.headers.get('content-type'), await home.text()]).toEqual([200, 'text/html; charset=utf-8', '<!doctype html><title>app</title>']);
      const deep = await fetch(`${site.base}/projects/123/files/456`);
      expect([deep.status, await deep.text()]).toEqual([200, '<!doctype html><title>app</title>']);
      expect((await fetch(`${site.base}/assets/missing.js`)).status).toBe(404);
      expect((await fetch(`${site.base}/api/nothing`)).status).toBe(404);
      expect((await fetch(`${site.base}/ws`)).status).toBe(404);
      expect((await fetch(`${site.base}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    } finally {
      await site.close();
    }
  });

  it('says how to build the UI when it is not built', async () => {
    const site = await serve(path.join(dir, 'nothing-here'));
    try {
      const page = await fetch(`${site.base}/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('npm run build:ui');
      expect((await fetch(`${site.base}/api/projects`)).status).toBe(404);
    } finally {
      await site.close();
    }
  });

  it('answers the "not built" page, not a raw error, while ui/dist is being rebuilt, and the app again once it is back', async () => {
    const rebuilt = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-ui-rebuild-'));
    fs.writeFileSync(path.join(rebuilt, 'index.html'), '<!doctype html><title>v1</title>');
    const site = await serve(rebuilt);
    try {
      expect((await fetch(`${site.base}/projects`)).status).toBe(200);
      fs.rmSync(path.join(rebuilt, 'index.html'));
      const during = await fetch(`${site.base}/projects/123`);
      const body = await during.text();
      expect([during.status, during.headers.get('content-type'), during.headers.get('retry-after')]).toEqual([503, 'text/html; charset=utf-8', '5']);
      expect(body).toContain('The Resoft UI is not built');
      expect(body).not.toMatch(/ENOENT|"error"/);
      fs.writeFileSync(path.join(rebuilt, 'index.html'), '<!doctype html><title>v2</title>');
      const after = await fetch(`${site.base}/projects/123`);
      expect([after.status, await after.text()]).toEqual([200, '<!doctype html><title>v2</title>']);
    } finally {
      await site.close();
      fs.rmSync(rebuilt, { recursive: true, force: true });
    }
  });
});
