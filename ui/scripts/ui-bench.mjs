#!/usr/bin/env node
/**
 * npm run bench:ui — the production bundle's sizes (initial JavaScript that index.html loads, the
 * lazy chunks, Automerge's WebAssembly; raw and gzipped) and the time to interactive of the
 * sign-in page and the editor page in headless Chromium (Debian's, via playwright-core), each the
 * median of cold loads in fresh browser contexts against the real all-in-one server.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startTestServer } from '../../cli/dist/testing/test-server.js';
import { ApiClient } from '../../cli/dist/testing/api-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../dist');
const RUNS = Number(process.env.UI_BENCH_RUNS ?? 7);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function bundleSizes() {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initial = new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]));
  const rows = fs.readdirSync(path.join(dist, 'assets')).map((name) => {
    const bytes = fs.readFileSync(path.join(dist, 'assets', name));
    return { name, raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length, initial: initial.has(`assets/${name}`) };
  });
  return rows.sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzip - a.gzip);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error('ui/dist is missing: npm run build:ui');
  const rows = bundleSizes();
  console.log('bundle (gzip -9)');
  for (const r of rows) console.log(`  ${r.initial ? 'initial' : 'lazy   '}  ${r.name.padEnd(42)} ${kb(r.raw).padStart(11)}  gzip ${kb(r.gzip).padStart(10)}`);
  const sum = (filter) => rows.filter(filter).reduce((t, r) => t + r.gzip, 0);
  console.log(`  initial JavaScript: ${kb(sum((r) => r.initial))} gzipped (goal < 150 KB)`);
  console.log(`  lazy JavaScript: ${kb(sum((r) => !r.initial && r.name.endsWith('.js')))} gzipped; WebAssembly: ${kb(sum((r) => r.name.endsWith('.wasm')))} gzipped`);
  if (!executablePath) {
    console.log('time to interactive: skipped, no Chromium at /usr/bin/chromium (apt-get install -y chromium)');
    return;
  }

  const server = await startTestServer();
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'] });
  try {
    const api = new ApiClient(server.baseUrl);
    const ann = await api.signUp('bench');
    const projectId = (await api.post('/api/projects', { name: 'Bench' }, ann.accessToken)).body.id;
    const content = Array.from({ length: 200 }, (_, i) => `def f${i}(x):\n    return x + ${i}\n`).join('\n');
    const file = await api.post(`/api/projects/${projectId}/files`, { path: 'src/bench.py', content }, ann.accessToken);
    const session = { accessToken: ann.accessToken, refreshToken: ann.refreshToken, user: { id: ann.userId, username: ann.username, email: ann.email } };

    const measure = async (url, signedIn, ready) => {
      const times = [];
      for (let i = 0; i < RUNS; i++) {
        const context = await browser.newContext({ baseURL: server.baseUrl });
        if (signedIn) await context.addInitScript((s) => localStorage.setItem('resoft.session', JSON.stringify(s)), session);
        const page = await context.newPage();
        await page.goto(url, { waitUntil: 'commit' });
        // Interactive: the page's main control is rendered and usable; measured from navigation start.
        await page.waitForFunction(`(${ready})() && (window.__interactiveAt ??= performance.now())`, undefined, { timeout: 30_000, polling: 10 });
        times.push(await page.evaluate(() => window.__interactiveAt));
        await context.close();
      }
      return times;
    };
    const signIn = await measure('/sign-in', false, () => {
      const button = document.querySelector('resoft-app')?.shadowRoot?.querySelector('sign-in-page')?.shadowRoot?.querySelector('button[type=submit]');
      return Boolean(button && !button.disabled);
    });
    const editor = await measure(`/projects/${projectId}/files/${file.body.id}`, true, () => {
      const pageRoot = document.querySelector('resoft-app')?.shadowRoot?.querySelector('project-page')?.shadowRoot;
      const editor = pageRoot?.querySelector('code-editor');
      // CodeMirror renders only the visible lines: the editor's text says the whole file is there.
      return Boolean(editor?.shadowRoot?.querySelector('.cm-content .cm-line') && editor.text.includes('def f199') && pageRoot.querySelector('[data-testid=sync-status]')?.textContent === 'saved');
    });
    const fmt = (t) => `median ${median(t).toFixed(0)} ms (min ${Math.min(...t).toFixed(0)}, max ${Math.max(...t).toFixed(0)}, ${t.length} cold loads)`;
    console.log('time to interactive (headless Chromium, fresh context each load)');
    console.log(`  sign-in page: ${fmt(signIn)}`);
    console.log(`  editor page (200-function file open and synced): ${fmt(editor)} (goal < 1500 ms)`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
