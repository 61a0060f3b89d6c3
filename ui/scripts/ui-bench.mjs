#!/usr/bin/env node
/**
 * npm run bench:ui — the production bundle's sizes (initial JavaScript that index.html loads, the
 * lazy chunks, Automerge's WebAssembly; raw and gzipped) and the time to interactive of the
 * sign-in page and the editor page in headless Chromium (Debian's, via playwright-core), each the
 * median of cold loads in fresh browser contexts against the real all-in-one server; the editor
 * for a 600-line file cold (fresh context) and warm (the same context again, HTTP cache filled);
 * and keystroke-to-remote-render latency (P50/P99) with 2 and 10 browser editors on one file: from
 * the typist's keydown to the DOM change in every other editor. The latency is split where the
 * time goes: in the typist's page (keydown to its binary sync frame leaving), between the pages
 * (the gateway and the network: that frame leaving to the receiver's next binary frame arriving)
 * and in the receiver's page (arrival to the DOM change). `UI_BENCH_ONLY=latency` skips the rest.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ApiClient, startTestServer } from '@resoft/testkit';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../dist');
const RUNS = Number(process.env.UI_BENCH_RUNS ?? 7);
/** Keystrokes measured per editor count (each reaches every other editor). */
const KEYS = Number(process.env.UI_BENCH_KEYS ?? 60);
const EDITOR_COUNTS = (process.env.UI_BENCH_EDITORS ?? '2,10').split(',').map(Number);
const ONLY_LATENCY = process.env.UI_BENCH_ONLY === 'latency';
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
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];
const sessionOf = (u) => ({ accessToken: u.accessToken, refreshToken: u.refreshToken, user: { id: u.userId, username: u.username, email: u.email } });
/**
 * In the page: the editor shows the whole file (the text holds `marker`) and is synced; the first
 * time it holds, the moment is noted. Functions, not strings: the UI's CSP forbids eval.
 */
const editorReady = (marker) => {
  const pageRoot = document.querySelector('resoft-app')?.shadowRoot?.querySelector('project-page')?.shadowRoot;
  const editor = pageRoot?.querySelector('code-editor');
  const ready = Boolean(editor?.shadowRoot?.querySelector('.cm-content .cm-line') && editor.text.includes(marker) && pageRoot.querySelector('[data-testid=sync-status]')?.textContent === 'saved');
  if (ready) window.__interactiveAt ??= performance.now();
  return ready;
};

/** Opens `url` in `context` and returns the ms from navigation start until the editor holds `marker`. */
async function interactiveAfter(context, url, marker) {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(editorReady, marker, { timeout: 60_000, polling: 10 });
  const at = await page.evaluate(() => window.__interactiveAt);
  await page.close();
  return at;
}

/** In every page: when binary (sync) frames leave and arrive, on the shared clock (performance.timeOrigin + now()). */
function recordSyncFrames() {
  const Native = window.WebSocket;
  const now = () => performance.timeOrigin + performance.now();
  window.__sent = [];
  window.__arrived = [];
  const send = Native.prototype.send;
  Native.prototype.send = function (data) {
    if (typeof data !== 'string') window.__sent.push(now());
    return send.call(this, data);
  };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      // Added before the client sets onmessage, so it runs first: the moment of arrival, before any processing.
      this.addEventListener('message', (event) => typeof event.data !== 'string' && window.__arrived.push(now()));
    }
  };
}

/** The first time in the sorted `times` at or after `t` (or before it with `before`). */
const firstAfter = (times, t) => times.find((x) => x >= t);
const lastBefore = (times, t) => times.findLast((x) => x <= t);

/**
 * `count` editors (one browser context each, one user each) on one file; one types `KEYS` single
 * characters, waiting for each to reach every other editor. Latency: typist's keydown to the DOM
 * mutation in a receiving editor (both on the same clock: performance.timeOrigin + now()).
 */
async function keystrokeLatency(browser, server, api, owner, projectId, fileId, count) {
  const contexts = [];
  try {
    const pages = [];
    for (let i = 0; i < count; i++) {
      const user = i === 0 ? owner : await api.signUp(`k${count}e${i}`);
      if (i > 0) await api.post(`/api/projects/${projectId}/members`, { userId: user.userId, role: 'editor' }, owner.accessToken);
      const context = await browser.newContext({ baseURL: server.baseUrl });
      contexts.push(context);
      await context.addInitScript((s) => localStorage.setItem('resoft.session', JSON.stringify(s)), sessionOf(user));
      await context.addInitScript(recordSyncFrames);
      const page = await context.newPage();
      await page.goto(`/projects/${projectId}/files/${fileId}`);
      await page.waitForFunction(editorReady, 'def g299', { timeout: 120_000, polling: 50 });
      pages.push(page);
    }
    const [typist, ...receivers] = pages;
    for (const page of receivers) {
      await page.evaluate(() => {
        const editor = document.querySelector('resoft-app').shadowRoot.querySelector('project-page').shadowRoot.querySelector('code-editor');
        const count = () => (editor.text.match(/q/g) ?? []).length;
        let seen = count();
        window.__renders = [];
        new MutationObserver(() => {
          const now = count();
          if (now > seen) {
            seen = now;
            window.__renders.push(performance.timeOrigin + performance.now());
          }
        }).observe(editor.shadowRoot.querySelector('.cm-content'), { childList: true, subtree: true, characterData: true });
      });
    }
    await typist.evaluate(() => {
      window.__keys = [];
      window.addEventListener('keydown', (e) => e.key === 'q' && window.__keys.push(performance.timeOrigin + performance.now()), { capture: true });
    });
    await typist.locator('code-editor .cm-line').first().click();
    // At the top, where every editor shows it: CodeMirror renders only the lines in view.
    await typist.keyboard.press('Control+Home');
    const latencies = [];
    for (let k = 0; k < KEYS; k++) {
      await typist.keyboard.press('q');
      for (const page of receivers) {
        await page.waitForFunction((n) => window.__renders.length > n, k, { timeout: 30_000, polling: 5 }).catch(async (error) => {
          const qs = (p) => p.evaluate(() => (document.querySelector('resoft-app').shadowRoot.querySelector('project-page').shadowRoot.querySelector('code-editor').text.match(/q/g) ?? []).length);
          throw new Error(`keystroke ${k + 1} did not reach an editor: the typist has ${await qs(typist)} q, that editor ${await qs(page)} (${error.message})`);
        });
      }
      await typist.waitForTimeout(20 + Math.random() * 30);
    }
    const keys = await typist.evaluate(() => window.__keys);
    const sent = await typist.evaluate(() => window.__sent);
    const split = { typist: [], between: [], receiver: [] };
    for (const page of receivers) {
      const renders = await page.evaluate(() => window.__renders);
      const arrived = await page.evaluate(() => window.__arrived);
      renders.forEach((at, k) => {
        latencies.push(at - keys[k]);
        const left = firstAfter(sent, keys[k]);
        const came = lastBefore(arrived, at);
        if (left === undefined || came === undefined || came < left) return;
        split.typist.push(left - keys[k]);
        split.between.push(came - left);
        split.receiver.push(at - came);
      });
    }
    return { latencies, split };
  } finally {
    for (const context of contexts) await context.close();
  }
}

/** Time to interactive of the sign-in page and the editor page (cold), and of a 600-line file cold and warm. */
async function loadTimes(browser, server, session, projectId, fileId, longFile) {
  const measure = async (url, signedIn, ready, arg) => {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ baseURL: server.baseUrl });
      if (signedIn) await context.addInitScript((s) => localStorage.setItem('resoft.session', JSON.stringify(s)), session);
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'commit' });
      // Interactive: the page's main control is rendered and usable; measured from navigation start.
      await page.waitForFunction(ready, arg, { timeout: 30_000, polling: 10 });
      times.push(await page.evaluate(() => window.__interactiveAt));
      await context.close();
    }
    return times;
  };
  const signIn = await measure('/sign-in', false, () => {
    const button = document.querySelector('resoft-app')?.shadowRoot?.querySelector('sign-in-page')?.shadowRoot?.querySelector('button[type=submit]');
    const ready = Boolean(button && !button.disabled);
    if (ready) window.__interactiveAt ??= performance.now();
    return ready;
  });
  // CodeMirror renders only the visible lines: the editor's text says the whole file is there.
  const editor = await measure(`/projects/${projectId}/files/${fileId}`, true, editorReady, 'def f199');
  const fmt = (t, what = 'cold loads') => `median ${median(t).toFixed(0)} ms (min ${Math.min(...t).toFixed(0)}, max ${Math.max(...t).toFixed(0)}, ${t.length} ${what})`;
  console.log('time to interactive (headless Chromium, fresh context each load)');
  console.log(`  sign-in page: ${fmt(signIn)}`);
  console.log(`  editor page (200-function file open and synced): ${fmt(editor)} (goal < 1500 ms)`);

  // A 600-line file: cold (fresh context each time) and warm (one context, its HTTP cache filled by a first load).
  const longUrl = `/projects/${projectId}/files/${longFile}`;
  const cold = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ baseURL: server.baseUrl });
    await context.addInitScript((s) => localStorage.setItem('resoft.session', JSON.stringify(s)), session);
    cold.push(await interactiveAfter(context, longUrl, 'def g299'));
    await context.close();
  }
  const warmContext = await browser.newContext({ baseURL: server.baseUrl });
  await warmContext.addInitScript((s) => localStorage.setItem('resoft.session', JSON.stringify(s)), session);
  await interactiveAfter(warmContext, longUrl, 'def g299');
  const warm = [];
  for (let i = 0; i < RUNS; i++) warm.push(await interactiveAfter(warmContext, longUrl, 'def g299'));
  await warmContext.close();
  console.log(`  editor page, 600-line file, cold: ${fmt(cold)}`);
  console.log(`  editor page, 600-line file, warm: ${fmt(warm, 'warm loads')}`);
}

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

    const long = Array.from({ length: 300 }, (_, i) => `def g${i}(x):\n    return x * ${i}`).join('\n');
    const longFile = (await api.post(`/api/projects/${projectId}/files`, { path: 'src/long.py', content: long }, ann.accessToken)).body.id;
    if (!ONLY_LATENCY) await loadTimes(browser, server, session, projectId, file.body.id, longFile);

    console.log(`keystroke to remote render (typist's keydown to the DOM change in each other editor; ${KEYS} keystrokes)`);
    for (const count of EDITOR_COUNTS) {
      const { latencies, split } = await keystrokeLatency(browser, server, api, ann, projectId, longFile, count);
      console.log(`  ${String(count).padStart(2)} editors: P50 ${percentile(latencies, 50).toFixed(1)} ms, P99 ${percentile(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms (${latencies.length} renders; goal P50 < 30, P99 < 100)`);
      const part = (values) => `P50 ${percentile(values, 50).toFixed(1)} / P99 ${percentile(values, 99).toFixed(1)} ms`;
      console.log(`      where: typist page ${part(split.typist)}; gateway + network ${part(split.between)}; receiving page ${part(split.receiver)} (${split.typist.length} attributed)`);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
