/** Browser flow 4: run a code check from the checker page and see the score, grade and findings; the share link reopens it. */
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../../cli/src/testing/test-server.js';
import { alertsSeen, BROWSER_START_MS, FLOW_MS, launchBrowser, observeAlerts, openPage, registerThroughUi, step, unavailableReason } from './browser-harness.js';

const reason = unavailableReason();
if (reason) console.warn(`browser e2e (code checker) skipped: ${reason}`);
const suite = reason ? describe.skip : describe;

suite('the UI in Chromium: code checker', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  }, BROWSER_START_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('checks an uploaded JavaScript file with ESLint and shows the score ring, grade and findings by severity', async () => {
    const { page, context, errors } = await openPage(browser, server.baseUrl);
    try {
      await step('flow4-code-check', [page], async () => {
        await observeAlerts(context, server.baseUrl);
        await registerThroughUi(page, 'dev');
        // Opted in to desktop notifications: the check's result is one too.
        await page.getByRole('link', { name: 'Settings' }).click();
        await page.getByLabel('Desktop notifications').check();
        await page.getByRole('link', { name: 'Code checker' }).click();
        await page.getByRole('heading', { name: 'Code checker' }).waitFor();
        await page.getByRole('checkbox', { name: 'pylint' }).waitFor();

        await page.locator('#upload').setInputFiles({ name: 'app.js', mimeType: 'text/javascript', buffer: Buffer.from('var unused = 1\nconsole.log(missing)\n') });
        expect(await page.getByLabel('Language').inputValue()).toBe('javascript');
        await page.getByTestId('statistics').filter({ hasText: '2 lines · 36 characters · 5 words' }).waitFor();
        await page.getByRole('checkbox', { name: 'eslint' }).waitFor();

        await page.getByRole('button', { name: 'Run check' }).click();
        const ring = page.getByRole('img', { name: /^Score .* grade [A-E]$/ });
        await ring.waitFor({ timeout: 60_000 });
        const errorsGroup = page.locator('.group[data-severity="error"]');
        expect(await errorsGroup.innerText()).toContain("'missing' is not defined.");
        expect(await errorsGroup.innerText()).toContain("'unused' is assigned a value but never used.");
        expect(await page.locator('details[data-linter="eslint"] summary').innerText()).toContain('eslint');
        // The findings' lines are marked in the editor.
        expect(await page.locator('code-editor .cm-annotated-error').count()).toBe(2);
        await page.waitForFunction(() => (window as unknown as { seenAlerts: { notifications: unknown[] } }).seenAlerts.notifications.length > 0);
        expect((await alertsSeen(page)).notifications).toEqual([{ title: 'Resoft: check finished', body: expect.stringMatching(/^Check finished: \d+\.\d \([A-E]\)$/) }]);

        // The share link opens the same check.
        const checkUrl = page.url();
        expect(checkUrl).toMatch(/\/checker\?check=/);
        const label = await ring.getAttribute('aria-label');
        await page.goto(checkUrl);
        await page.getByRole('img', { name: label! }).waitFor();
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, FLOW_MS);
});
