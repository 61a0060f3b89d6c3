/**
 * Issue 12, what was left: the "saved" badge waits for the gateway's stored ack (not just the sync
 * round trip), and an edit typed while the socket is down survives a reload of the page: it is
 * kept in the browser and reaches the other editor and the store once the connection is back.
 */
import type { Page, WebSocketRoute } from 'playwright-core';
import { ApiClient } from '@resoft/testkit';
import { FLOW_MS, openPage, step, describeInChromium, type WatchedPage } from './browser-harness.js';

async function signIn(page: Page, username: string, next: string) {
  await page.goto(next);
  await page.waitForURL('**/sign-in?next=**');
  await page.getByLabel('Email').fill(`${username}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`**${next}`);
}

const editorText = (page: Page) => page.locator('code-editor').evaluate((el) => (el as HTMLElement & { text: string }).text);
const statusOf = (page: Page) => page.getByTestId('sync-status').innerText();
const waitForStatus = (page: Page, status: string) => page.getByTestId('sync-status').filter({ hasText: new RegExp(`^${status}$`) }).waitFor({ timeout: 30_000 });
async function waitForText(page: Page, check: (text: string) => boolean, what: string) {
  const deadline = Date.now() + 30_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await editorText(page).catch(() => '');
    if (check(text)) return text;
    await page.waitForTimeout(50);
  }
  throw new Error(`the editor never had ${what}; it has ${JSON.stringify(text)}`);
}

/** Passes the page's WebSocket through, but can cut it (and refuse new ones) or hold back the gateway's stored acks. */
async function controlledGateway(page: Page) {
  let cut = false;
  let holdAcks = false;
  const held: (() => void)[] = [];
  const open = new Set<WebSocketRoute>();
  await page.routeWebSocket(/\/ws$/, (ws) => {
    if (cut) return void ws.close({ code: 4000, reason: 'network cut' });
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (holdAcks && typeof message === 'string' && message.includes('"collaboration:stored"')) held.push(() => ws.send(message));
      else ws.send(message);
    });
    open.add(ws);
  });
  return {
    async cut() {
      cut = true;
      for (const ws of open) await ws.close({ code: 4000, reason: 'network cut' });
      open.clear();
    },
    restore() {
      cut = false;
    },
    holdAcks() {
      holdAcks = true;
    },
    releaseAcks() {
      holdAcks = false;
      for (const send of held.splice(0)) send();
    },
    heldAcks: () => held.length,
  };
}

describeInChromium('offline-edits', 'the UI in Chromium: saved means stored, offline edits survive a reload', (suite) => {
  const pages: WatchedPage[] = [];
  afterAll(async () => {
    for (const p of pages) await p.context.close().catch(() => undefined);
  });

  async function twoEditors(project: string, ann: string, bob: string, content: string) {
    const api = new ApiClient(suite.server.baseUrl);
    const owner = await api.signUp(ann);
    await api.signUp(bob);
    const projectId = (await api.post('/api/projects', { name: project }, owner.accessToken)).body.id;
    await api.post(`/api/projects/${projectId}/members`, { username: bob, role: 'editor' }, owner.accessToken);
    const fileId = (await api.post(`/api/projects/${projectId}/files`, { path: 'src/app.py', content }, owner.accessToken)).body.id;
    const a = await openPage(suite.browser, suite.server.baseUrl);
    const b = await openPage(suite.browser, suite.server.baseUrl);
    pages.push(a, b);
    return { api, owner, projectId, fileId, a, b, fileUrl: `/projects/${projectId}/files/${fileId}` };
  }

  it('says saved only once the gateway acknowledged the edit as stored', async () => {
    const { a: annPage, b: bobPage, fileUrl } = await twoEditors('Acks', 'ivy', 'jon', 'one\n');
    const a = annPage.page;
    const b = bobPage.page;
    const bobGateway = await controlledGateway(b);
    await step('saved-after-ack', [a, b], async () => {
      await signIn(a, 'ivy', fileUrl);
      await signIn(b, 'jon', fileUrl);
      for (const p of [a, b]) await waitForStatus(p, 'saved');
      bobGateway.holdAcks();
      await b.locator('code-editor .cm-line').last().click();
      await b.keyboard.press('Control+End');
      await b.keyboard.type('two');
      // The gateway has the edit (Ann sees it) and stored it (its ack is held back): still not "saved".
      await waitForText(a, (t) => t.includes('two'), "Jon's edit");
      while (bobGateway.heldAcks() === 0) await b.waitForTimeout(50);
      await b.waitForTimeout(1000); // several rounds of the badge's refresh
      expect(await statusOf(b)).toBe('syncing');
      bobGateway.releaseAcks();
      await waitForStatus(b, 'saved');
    });
    expect([...annPage.errors, ...bobPage.errors]).toEqual([]);
  }, FLOW_MS);

  it('keeps an edit typed offline across a reload and delivers it once the connection is back', async () => {
    const { api, owner, projectId, fileId, a: annPage, b: bobPage, fileUrl } = await twoEditors('Offline', 'kim', 'lee', 'print("hi")\n');
    const a = annPage.page;
    const b = bobPage.page;
    const bobGateway = await controlledGateway(b);
    await step('offline-reload', [a, b], async () => {
      await signIn(a, 'kim', fileUrl);
      await signIn(b, 'lee', fileUrl);
      for (const p of [a, b]) await waitForStatus(p, 'saved');

      await bobGateway.cut();
      await waitForStatus(b, 'offline');
      await b.locator('code-editor .cm-line').last().click();
      await b.keyboard.press('Control+End');
      await b.keyboard.type('# typed offline\n');
      expect(await editorText(b)).toContain('# typed offline');
      // Reloaded while still cut off: the page loads, says offline, and waits for the gateway.
      await b.reload();
      await waitForStatus(b, 'offline');
      expect(await editorText(a)).not.toContain('# typed offline');

      bobGateway.restore();
      const final = await waitForText(a, (t) => t.includes('# typed offline'), "Lee's offline line");
      expect(final).toBe('print("hi")\n# typed offline\n');
      await waitForText(b, (t) => t === final, 'the same text');
      await waitForStatus(b, 'saved');
      const stored = await api.get(`/api/projects/${projectId}/files/${fileId}`, owner.accessToken);
      expect(stored.body.text).toBe(final);
      // Stored: nothing is kept for the next load.
      expect(await b.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('resoft.pending.')))).toEqual([]);
    });
    expect([...annPage.errors, ...bobPage.errors].filter((e) => !/WebSocket/.test(e))).toEqual([]);
  }, FLOW_MS);
});
