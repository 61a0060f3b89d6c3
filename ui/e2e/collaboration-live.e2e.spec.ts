/**
 * Issue 12 in Chromium: permissions reach an open editor at once and refused work is offered back
 * (never lost); Ctrl+Z undoes only one's own edits while others type; presence says away, typing
 * and offline; following a collaborator opens their file.
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
const waitForStatus = (page: Page, status: string) => page.getByTestId('sync-status').filter({ hasText: new RegExp(`^${status}$`) }).waitFor();
async function waitForText(page: Page, check: (text: string) => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await editorText(page);
    if (check(text)) return text;
    await page.waitForTimeout(50);
  }
  throw new Error(`the editor never had ${what}; it has ${JSON.stringify(text)}`);
}

/** Lets the test cut a page's WebSocket to the gateway (and refuse new ones) as a network failure would. */
async function cuttableGateway(page: Page): Promise<{ cut(): Promise<void>; restore(): void }> {
  let cut = false;
  const open = new Set<WebSocketRoute>();
  await page.routeWebSocket(/\/ws$/, (ws) => {
    if (cut) return void ws.close({ code: 4000, reason: 'network cut' });
    ws.connectToServer();
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
  };
}

describeInChromium('collaboration-live', 'the UI in Chromium: live permissions, own undo, presence', (suite) => {
  const pages: WatchedPage[] = [];
  afterAll(async () => {
    for (const p of pages) await p.context.close().catch(() => undefined);
  });

  async function twoEditors(project: string, ann: string, bob: string, content: string) {
    const api = new ApiClient(suite.server.baseUrl);
    const owner = await api.signUp(ann);
    const member = await api.signUp(bob);
    const projectId = (await api.post('/api/projects', { name: project }, owner.accessToken)).body.id;
    await api.post(`/api/projects/${projectId}/members`, { username: bob, role: 'editor' }, owner.accessToken);
    const fileId = (await api.post(`/api/projects/${projectId}/files`, { path: 'src/app.py', content }, owner.accessToken)).body.id;
    const a = await openPage(suite.browser, suite.server.baseUrl);
    const b = await openPage(suite.browser, suite.server.baseUrl);
    pages.push(a, b);
    return { api, owner, member, projectId, fileId, a, b, fileUrl: `/projects/${projectId}/files/${fileId}` };
  }

  it('turns the other editor read-only at once on lock, offers back what it typed unseen, and lets its edits flow after unlock', async () => {
    const { api, owner, projectId, fileId, a: annPage, b: bobPage, fileUrl } = await twoEditors('Locks', 'ann', 'bob', 'print("hello")\n');
    const a = annPage.page;
    const b = bobPage.page;
    const bobNetwork = await cuttableGateway(b);
    await step('live-lock', [a, b], async () => {
      await signIn(a, 'ann', fileUrl);
      await signIn(b, 'bob', fileUrl);
      for (const p of [a, b]) await waitForStatus(p, 'saved');

      // Bob types; Ann locks while Bob keeps the file open: his editor turns read-only at once, with a banner.
      await b.locator('code-editor .cm-line').last().click();
      await b.keyboard.press('Control+End');
      await b.keyboard.type('# bob before the lock\n');
      await waitForText(a, (t) => t.includes('# bob before the lock'), "Bob's line");
      await waitForStatus(b, 'saved');
      await a.getByRole('button', { name: 'Lock', exact: true }).click();
      await b.getByTestId('access-notice').filter({ hasText: 'ann locked this file: it is read-only for you' }).waitFor();
      const before = await editorText(b);
      await b.locator('code-editor .cm-content').click();
      await b.keyboard.type('ignored');
      expect(await editorText(b)).toBe(before);
      expect(await a.locator('code-editor .cm-content', { hasText: 'ignored' }).count()).toBe(0);

      // Ann unlocks: Bob can type again and his edits reach Ann; the badge goes back to saved.
      await a.getByRole('button', { name: 'Unlock' }).click();
      await b.getByTestId('access-notice').filter({ hasText: 'you can edit it again' }).waitFor();
      await b.keyboard.press('Control+End');
      await b.keyboard.type('# bob after the unlock\n');
      await waitForText(a, (t) => t.includes('# bob after the unlock'), "Bob's line after the unlock");
      await waitForStatus(b, 'saved');

      // Bob's network fails; he keeps typing (the badge says offline); meanwhile Ann locks the file.
      await bobNetwork.cut();
      await waitForStatus(b, 'offline');
      await b.keyboard.press('Control+End');
      await b.keyboard.type('# typed while offline\n');
      await api.post(`/api/projects/${projectId}/files/${fileId}/lock`, {}, owner.accessToken);
      await a.getByTestId('lock').filter({ hasText: 'locked by you' }).waitFor();
      await a.locator('code-editor .cm-line').first().click();
      await a.keyboard.press('Home');
      await a.keyboard.type('# ann holds the lock\n');
      // Back online: the gateway refuses Bob's offline edit; it leaves his document and is offered back to him.
      bobNetwork.restore();
      const unsaved = b.getByTestId('unsaved-edits');
      await unsaved.waitFor({ timeout: 30_000 });
      expect(await unsaved.locator('pre').innerText()).toContain('# typed while offline');
      await waitForText(b, (t) => t.startsWith('# ann holds the lock\n') && !t.includes('# typed while offline'), "Ann's text without Bob's refused line");
      await b.getByTestId('access-notice').filter({ hasText: 'read-only' }).waitFor();
      await waitForStatus(b, 'saved');
      expect(await unsaved.getByRole('button', { name: 'Re-apply' }).isDisabled()).toBe(true);
      // A reload does not drop them: they are offered again.
      await b.reload();
      await waitForStatus(b, 'saved');
      await unsaved.waitFor();
      expect(await unsaved.locator('pre').innerText()).toContain('# typed while offline');

      // Unlocked again: Bob re-applies his edits and Ann gets them; nothing he typed was lost.
      await a.getByRole('button', { name: 'Unlock' }).click();
      await unsaved.getByRole('button', { name: 'Re-apply' }).and(b.locator(':enabled')).waitFor();
      await unsaved.getByRole('button', { name: 'Re-apply' }).click();
      await unsaved.waitFor({ state: 'detached' });
      const final = await waitForText(a, (t) => t.includes('# typed while offline'), "Bob's re-applied line");
      for (const line of ['# ann holds the lock', 'print("hello")', '# bob before the lock', '# bob after the unlock', '# typed while offline']) expect(final).toContain(line);
      await waitForStatus(b, 'saved');
      expect(await editorText(b)).toBe(final);
      // One refusal, no toast per keystroke.
      expect(await b.locator('toast-area .toast.error').count()).toBe(0);
    });
    expect([...annPage.errors, ...bobPage.errors].filter((e) => !/WebSocket/.test(e))).toEqual([]);
  }, FLOW_MS);

  it('makes the editor read-only at once when the member is demoted to viewer, without a toast per keystroke', async () => {
    const { api, owner, member, projectId, a: annPage, b: bobPage, fileUrl } = await twoEditors('Roles', 'cat', 'dan', 'x = 1\n');
    const b = bobPage.page;
    await step('live-demotion', [annPage.page, b], async () => {
      await signIn(b, 'dan', fileUrl);
      await waitForStatus(b, 'saved');
      await b.locator('code-editor .cm-line').last().click();
      await b.keyboard.press('Control+End');
      await b.keyboard.type('y = 2\n');
      await waitForStatus(b, 'saved');
      await api.request('PATCH', `/api/projects/${projectId}/members/${member.userId}`, { token: owner.accessToken, body: { role: 'viewer' } });
      await b.getByTestId('access-notice').filter({ hasText: 'You are a viewer in this project' }).waitFor();
      await b.keyboard.type('z = 3');
      expect(await editorText(b)).toBe('x = 1\ny = 2\n');
      expect(await b.locator('toast-area .toast.error').count()).toBe(0);
      const stored = await api.get(`/api/projects/${projectId}/files/${fileUrl.split('/').pop()}`, owner.accessToken);
      expect(stored.body.text).toBe('x = 1\ny = 2\n');
    });
    expect(bobPage.errors).toEqual([]);
  }, FLOW_MS);

  it('undoes only the user\'s own edits with Ctrl+Z, also when the other\'s edits interleave, and redoes them', async () => {
    const { a: annPage, b: bobPage, fileUrl } = await twoEditors('Undo', 'eve', 'fay', 'one\ntwo\n');
    const a = annPage.page;
    const b = bobPage.page;
    await step('own-undo', [a, b], async () => {
      await signIn(a, 'eve', fileUrl);
      await signIn(b, 'fay', fileUrl);
      for (const p of [a, b]) await waitForStatus(p, 'saved');
      await a.locator('code-editor .cm-line').first().click();
      await a.keyboard.press('End');
      await b.locator('code-editor .cm-line').nth(1).click();
      await b.keyboard.press('End');
      // Turns: eve, fay, eve, fay; each waits until the other sees it.
      await a.keyboard.type(' eve1');
      await waitForText(b, (t) => t.includes('eve1'), "eve's first edit");
      await b.keyboard.type(' fay1');
      await waitForText(a, (t) => t.includes('fay1'), "fay's first edit");
      await a.waitForTimeout(600); // a separate undo step for eve's second edit
      await a.keyboard.type(' eve2');
      await waitForText(b, (t) => t.includes('eve2'), "eve's second edit");
      await b.keyboard.type(' fay2');
      await waitForText(a, (t) => t.includes('fay2'), "fay's second edit");
      expect(await editorText(a)).toBe('one eve1 eve2\ntwo fay1 fay2\n');

      // Eve undoes: her edits go, newest first; fay's stay (on both screens).
      await a.keyboard.press('Control+z');
      await waitForText(b, (t) => t === 'one eve1\ntwo fay1 fay2\n', "eve's first undo");
      for (let i = 0; i < 3; i++) await a.keyboard.press('Control+z');
      await waitForText(b, (t) => t === 'one\ntwo fay1 fay2\n', 'all of eve\'s edits undone');
      expect(await editorText(a)).toBe('one\ntwo fay1 fay2\n');
      // Redo brings hers back; fay's undo then takes out only fay's.
      await a.keyboard.press('Control+Shift+Z');
      await a.keyboard.press('Control+Shift+Z');
      await waitForText(b, (t) => t === 'one eve1 eve2\ntwo fay1 fay2\n', "eve's redo");
      await b.keyboard.press('Control+z');
      await b.keyboard.press('Control+z');
      await waitForText(a, (t) => t === 'one eve1 eve2\ntwo\n', "fay's undo");
    });
    expect([...annPage.errors, ...bobPage.errors]).toEqual([]);
  }, FLOW_MS);

  it('shows a collaborator away when their tab is hidden, typing while they type, offline without a network, and follows them to their file', async () => {
    const { api, owner, projectId, a: annPage, b: bobPage, fileUrl } = await twoEditors('Presence', 'gil', 'hal', 'first line\nsecond line\n');
    const other = (await api.post(`/api/projects/${projectId}/files`, { path: 'src/other.py', content: 'pass\n' }, owner.accessToken)).body.id;
    const a = annPage.page;
    const b = bobPage.page;
    await step('presence', [a, b], async () => {
      await signIn(a, 'gil', fileUrl);
      await signIn(b, 'hal', fileUrl);
      for (const p of [a, b]) await waitForStatus(p, 'saved');
      const hal = a.locator('presence-list li[data-user="hal"]');
      await a.locator('presence-list li[data-user="hal"][data-status="online"]').waitFor();

      // Typing, then not.
      await b.locator('code-editor .cm-line').first().click();
      await b.keyboard.press('End');
      await b.keyboard.type(' typed');
      await hal.filter({ hasText: 'typing…' }).waitFor();
      await hal.filter({ hasNotText: 'typing…' }).waitFor({ timeout: 15_000 });

      // Hal's caret on line 1: its name label sits below the caret, where the editor cannot clip it.
      await a.locator('code-editor .cm-remote-caret.cm-remote-below[data-user="hal"]').waitFor();

      // A hidden tab is away; visible again, online.
      await b.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await a.locator('presence-list li[data-user="hal"][data-status="away"]').waitFor();
      await b.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await a.locator('presence-list li[data-user="hal"][data-status="online"]').waitFor();

      // No network: the badge says offline (not syncing), and saved again once it is back.
      await bobPage.context.setOffline(true);
      await waitForStatus(b, 'offline');
      await bobPage.context.setOffline(false);
      await waitForStatus(b, 'saved');

      // Hal moves to another file; Gil follows him there.
      await b.goto(`/projects/${projectId}/files/${other}`);
      await waitForStatus(b, 'saved');
      await a.getByRole('button', { name: 'Follow hal' }).click();
      await a.waitForURL(`**/files/${other}`);
      await a.locator('code-editor .cm-content', { hasText: 'pass' }).waitFor();
      await a.getByRole('button', { name: 'Stop following' }).click();
    });
    expect([...annPage.errors, ...bobPage.errors].filter((e) => !/WebSocket|ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
  }, FLOW_MS);
});
