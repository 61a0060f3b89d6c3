/**
 * The phone drawer (files and people, 390×844) behaves as a modal panel for the keyboard: focus
 * moves into it when it opens, Tab and Shift+Tab stay inside it, Escape closes it and focus returns
 * to the button that opened it.
 */
import type { Page } from 'playwright-core';
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

/** Where focus is: whether it is inside the drawer (through shadow roots), and a short description of the element. */
const focus = (page: Page) =>
  page.evaluate(() => {
    const aside = document.querySelector('resoft-app')?.shadowRoot?.querySelector('project-page')?.shadowRoot?.querySelector('aside') ?? null;
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    let node: Node | null = active;
    let inDrawer = false;
    while (node) {
      if (node === aside) inDrawer = true;
      node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
    }
    return { inDrawer, what: `${active?.tagName.toLowerCase()}: ${(active?.textContent ?? '').trim().slice(0, 30)}` };
  });

describeInChromium('phone-drawer', 'the UI in Chromium: the phone drawer traps focus', (suite) => {
  const pages: WatchedPage[] = [];
  afterAll(async () => {
    for (const p of pages) await p.context.close().catch(() => undefined);
  });

  it('keeps Tab and Shift+Tab inside the open drawer, closes on Escape and returns focus to its opener', async () => {
    const api = new ApiClient(suite.server.baseUrl);
    const owner = await api.signUp('mia');
    const projectId = (await api.post('/api/projects', { name: 'Drawer' }, owner.accessToken)).body.id;
    const file = await api.post(`/api/projects/${projectId}/files`, { path: 'app.py', content: 'print(1)\n' }, owner.accessToken);
    await api.post(`/api/projects/${projectId}/files`, { path: 'lib.py', content: 'x = 1\n' }, owner.accessToken);
    const watched = await openPage(suite.browser, suite.server.baseUrl);
    pages.push(watched);
    const page = watched.page;
    await page.setViewportSize({ width: 390, height: 844 });
    await step('phone-drawer', [page], async () => {
      await signIn(page, 'mia', `/projects/${projectId}/files/${file.body.id}`);
      await page.getByTestId('sync-status').filter({ hasText: 'saved' }).waitFor();
      const opener = page.getByRole('button', { name: 'Files and people' });
      await opener.click();
      await page.getByRole('complementary', { name: 'Files and people' }).getByText('lib.py').waitFor();
      const start = await focus(page);
      expect(start).toEqual({ inDrawer: true, what: 'button: Close' });

      // Forward through everything in the drawer and round again: focus never leaves it and comes back to Close.
      const seen = new Set<string>();
      let wrapped = false;
      for (let i = 0; i < 40 && !wrapped; i++) {
        await page.keyboard.press('Tab');
        const now = await focus(page);
        expect(now.inDrawer).toBe(true);
        if (now.what === start.what) wrapped = true;
        seen.add(now.what);
      }
      expect(wrapped).toBe(true);
      expect(seen.size).toBeGreaterThan(2);
      // Backwards from the first element: to the last one, still inside.
      await page.keyboard.press('Shift+Tab');
      const last = await focus(page);
      expect(last.inDrawer).toBe(true);
      expect(last.what).not.toBe(start.what);
      await page.keyboard.press('Tab');
      expect(await focus(page)).toEqual(start);

      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('resoft-app')?.shadowRoot?.querySelector('project-page')?.shadowRoot?.querySelector('aside.open'));
      expect(await focus(page)).toEqual({ inDrawer: false, what: 'button: Files and people' });
    });
    expect(watched.errors).toEqual([]);
  }, FLOW_MS);
});
