/**
 * Issue 12 in the browser: the header's inbox on every page (live count, persisted read state,
 * links), the file history in sessions with named versions, keyboard help (skip link, focus on the
 * page heading), and the phone layout (390×844: the editor first, files and people in a drawer)
 * against a committed screenshot baseline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { ApiClient } from '@resoft/testkit';
import { FLOW_MS, describeInChromium, openPage, screenshotDir, step, type WatchedPage } from './browser-harness.js';

const baselines = path.join(path.dirname(fileURLToPath(import.meta.url)), 'baselines');
const TOLERANCE = 0.01;

async function signIn(page: Page, username: string, next: string) {
  await page.goto(next);
  await page.waitForURL('**/sign-in?next=**');
  await page.getByLabel('Email').fill(`${username}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`**${next}`);
}

/** The deep active element's description: tag and text, through shadow roots. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return `${active?.tagName.toLowerCase()}: ${active?.textContent?.trim().slice(0, 60)}`;
  });

async function compareWithBaseline(page: Page, name: string): Promise<void> {
  const actual = PNG.sync.read(await page.screenshot({ animations: 'disabled', caret: 'hide' }));
  const file = path.join(baselines, `${name}.png`);
  if (!fs.existsSync(file) || process.env['UPDATE_UI_BASELINES'] === '1') {
    fs.mkdirSync(baselines, { recursive: true });
    fs.writeFileSync(file, PNG.sync.write(actual));
    console.warn(`visual baseline ${name}: written to ${file} (commit it)`);
    return;
  }
  const expected = PNG.sync.read(fs.readFileSync(file));
  expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
  const diff = new PNG({ width: actual.width, height: actual.height });
  const share = pixelmatch(expected.data, actual.data, diff.data, actual.width, actual.height, { threshold: 0.1 }) / (actual.width * actual.height);
  if (share > TOLERANCE) {
    fs.mkdirSync(screenshotDir, { recursive: true });
    fs.writeFileSync(path.join(screenshotDir, `${name}-actual.png`), PNG.sync.write(actual));
    fs.writeFileSync(path.join(screenshotDir, `${name}-diff.png`), PNG.sync.write(diff));
  }
  expect({ page: name, differentShare: share <= TOLERANCE ? 'within tolerance' : share.toFixed(4) }).toEqual({ page: name, differentShare: 'within tolerance' });
}

describeInChromium('inbox and layout', 'the UI in Chromium: inbox, history sessions, keyboard and phone', (suite) => {
  const pages: WatchedPage[] = [];
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.context.close()));
  });

  it('shows a live unread count on every page, keeps read state across reloads, and links each entry to its message', async () => {
    const api = new ApiClient(suite.server.baseUrl);
    const [ivy, jon] = await Promise.all([api.signUp('ivy'), api.signUp('jon')]);
    const projectId = (await api.post('/api/projects', { name: 'Inbox team' }, ivy.accessToken)).body.id;
    await api.post(`/api/projects/${projectId}/members`, { userId: jon.userId, role: 'editor' }, ivy.accessToken);
    const roomId = (await api.post('/api/collaboration/rooms', { projectId, name: 'General' }, ivy.accessToken)).body.id;
    await api.post(`/api/collaboration/rooms/${roomId}/join`, {}, ivy.accessToken);
    const watched = await openPage(suite.browser, suite.server.baseUrl);
    pages.push(watched);
    const page = watched.page;
    await step('issue12-inbox', [page], async () => {
      // Jon is on the templates page, far from the project: the mention still reaches his header.
      await signIn(page, 'jon', '/templates');
      await page.getByRole('heading', { name: 'Templates' }).waitFor();
      await page.getByRole('button', { name: 'Notifications, none unread' }).waitFor();
      const posted = await api.post('/api/collaboration/chat', { roomId, text: '@jon can you check the release notes?' }, ivy.accessToken);
      expect([posted.status, posted.body.mentions]).toEqual([201, [jon.userId]]);
      await page.getByTestId('unread-count').filter({ hasText: '1' }).waitFor();
      await page.locator('toast-area .toast.mention', { hasText: 'ivy mentioned you in Inbox team' }).waitFor();

      // Another page, then a reload: still unread, because the server keeps it.
      await page.getByRole('link', { name: 'Code checker' }).click();
      await page.getByTestId('unread-count').filter({ hasText: '1' }).waitFor();
      await page.reload();
      await page.getByTestId('unread-count').filter({ hasText: '1' }).waitFor();

      await page.getByTestId('inbox-toggle').click();
      const entry = page.getByRole('region', { name: 'Notifications' }).getByRole('link', { name: /ivy mentioned you in Inbox team/ });
      expect(await entry.getAttribute('href')).toMatch(new RegExp(`^/projects/${projectId}\\?room=${roomId}&message=`));
      await entry.click();
      await page.waitForURL(`**/projects/${projectId}?room=**`);
      await page.getByRole('heading', { name: 'Inbox team' }).waitFor();
      // The link leads to the message itself: the chat scrolls to it and marks it.
      await page.locator('chat-panel li.revealed', { hasText: 'can you check the release notes?' }).waitFor();
      await page.getByRole('button', { name: 'Notifications, none unread' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Inbox team' }).waitFor();
      await page.getByRole('button', { name: 'Notifications, none unread' }).waitFor();
    });
    expect(watched.errors).toEqual([]);
  }, FLOW_MS);

  it('groups the history into sessions with named versions, and moves focus to the heading after navigation; a skip link leads past the header', async () => {
    const api = new ApiClient(suite.server.baseUrl);
    const kim = await api.signUp('kim');
    const projectId = (await api.post('/api/projects', { name: 'Sessions' }, kim.accessToken)).body.id;
    const file = await api.post(`/api/projects/${projectId}/files`, { path: 'main.py', content: 'a = 1\n' }, kim.accessToken);
    const base = `/api/projects/${projectId}/files/${file.body.id}`;
    for (const content of ['a = 1\nb = 2\n', 'a = 1\nb = 2\nc = 3\n', 'a = 1\nb = 2\nc = 3\nd = 4\n']) await api.request('PUT', `${base}/content`, { token: kim.accessToken, body: { content } });
    await api.post(`${base}/checkpoints`, { version: 2, label: 'two lines more' }, kim.accessToken);
    const watched = await openPage(suite.browser, suite.server.baseUrl);
    pages.push(watched);
    const page = watched.page;
    await step('issue12-history-keyboard', [page], async () => {
      await signIn(page, 'kim', '/projects');
      await page.getByRole('link', { name: 'Sessions' }).click();
      await page.getByRole('heading', { name: 'Sessions', level: 1 }).waitFor();
      await page.waitForFunction(() => document.title.startsWith('Sessions'));
      expect(await focused(page)).toBe('h1: Sessions');

      await page.goto(`/projects/${projectId}/files/${file.body.id}`);
      await page.locator('code-editor .cm-content', { hasText: 'd = 4' }).waitFor();
      await page.getByRole('button', { name: 'Version history' }).click();
      const sessions = page.getByRole('list', { name: 'Editing sessions' }).getByRole('listitem');
      await sessions.nth(1).waitFor();
      // Three quick edits by one person are one session (v1–v3), newest first, with its named version.
      expect((await sessions.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').replace(/ · \d.*? · /, ' · <when> · '))).toEqual([
        expect.stringMatching(/^kim edited · <when> · v1–v3 · \+\d+ −\d+ two lines more$/),
        expect.stringMatching(/^kim created the file · <when> · v0$/),
      ]);
      await sessions.first().getByRole('button').click();
      expect((await page.getByLabel('Differences').innerText()).split('\n').filter(Boolean)).toEqual(['  a = 1', '+ b = 2', '+ c = 3', '+ d = 4', '  ']);

      // Any two versions: v1 against v2.
      await page.getByLabel('Compare').selectOption('1');
      await page.getByLabel('with').selectOption('2');
      await page.getByLabel('Differences').filter({ hasText: '+ c = 3' }).waitFor();
      expect((await page.getByLabel('Differences').innerText()).split('\n').filter(Boolean)).toEqual(['  a = 1', '  b = 2', '+ c = 3', '  ']);

      // Naming a version: the label is checked in the browser, then shown in its session.
      await page.getByRole('button', { name: 'Name version 1' }).click();
      await page.getByRole('button', { name: 'Save name' }).click();
      expect(await page.getByText('Give the version a name.').isVisible()).toBe(true);
      await page.getByLabel('Name version 1').fill('first edit');
      await page.getByRole('button', { name: 'Save name' }).click();
      await page.getByText('Version 1 is now named “first edit”.').waitFor();
      await sessions.first().filter({ hasText: 'first edit' }).waitFor();

      // The skip link is the first stop of the keyboard and leads to the page's heading.
      await page.goto('/projects');
      await page.getByRole('heading', { name: 'Your projects' }).waitFor();
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('a: Skip to main content');
      await page.keyboard.press('Enter');
      expect(await focused(page)).toBe('h1: Your projects');
    });
    expect(watched.errors).toEqual([]);
  }, FLOW_MS);

  it('puts the editor first on a 390×844 phone, with files and people in a drawer (screenshot baseline)', async () => {
    const api = new ApiClient(suite.server.baseUrl);
    const lea = await api.signUp('lea');
    const projectId = (await api.post('/api/projects', { name: 'Phone' }, lea.accessToken)).body.id;
    const file = await api.post(`/api/projects/${projectId}/files`, { path: 'app.py', content: 'def main():\n    print("hello")\n' }, lea.accessToken);
    await api.post(`/api/projects/${projectId}/files`, { path: 'README.md', content: '# Phone\n' }, lea.accessToken);
    const watched = await openPage(suite.browser, suite.server.baseUrl);
    pages.push(watched);
    const page = watched.page;
    await page.setViewportSize({ width: 390, height: 844 });
    await step('issue12-phone', [page], async () => {
      await signIn(page, 'lea', `/projects/${projectId}/files/${file.body.id}`);
      await page.locator('code-editor .cm-content', { hasText: 'print' }).waitFor();
      await page.getByTestId('sync-status').filter({ hasText: 'saved' }).waitFor();
      const editorTop = await page.locator('code-editor').evaluate((el) => el.getBoundingClientRect().top);
      expect(editorTop).toBeLessThan(844 / 2);
      expect(await page.getByRole('complementary', { name: 'Files and people' }).isVisible()).toBe(false);
      await page.mouse.move(0, 0);
      await compareWithBaseline(page, 'phone-project-editor');

      // Python indents with four spaces: a new line after `def main():` starts at column 4.
      await page.locator('code-editor .cm-line').first().click();
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('x = 1');
      await page.waitForFunction(() => ((document.querySelector('resoft-app')?.shadowRoot?.querySelector('project-page')?.shadowRoot?.querySelector('code-editor') as unknown as { text: string } | null)?.text ?? '').startsWith('def main():\n    x = 1\n'));

      await page.getByRole('button', { name: 'Files and people' }).click();
      const drawer = page.getByRole('complementary', { name: 'Files and people' });
      await drawer.getByText('README.md').waitFor();
      await drawer.getByText('README.md').click();
      await page.locator('code-editor .cm-content', { hasText: '# Phone' }).waitFor();
      await page.waitForFunction(() => !document.querySelector('resoft-app')?.shadowRoot?.querySelector('project-page')?.shadowRoot?.querySelector('aside.open'));
    });
    expect(watched.errors).toEqual([]);
  }, FLOW_MS);

  it('runs checks for a project: a teammate opens the share link with the code, is told in the inbox, and follows the trend, new and fixed findings on the quality page', async () => {
    const api = new ApiClient(suite.server.baseUrl);
    const [mia, ned] = await Promise.all([api.signUp('mia'), api.signUp('ned')]);
    const projectId = (await api.post('/api/projects', { name: 'Quality' }, mia.accessToken)).body.id;
    await api.post(`/api/projects/${projectId}/members`, { userId: ned.userId, role: 'viewer' }, mia.accessToken);
    const [owner, teammate] = [await openPage(suite.browser, suite.server.baseUrl), await openPage(suite.browser, suite.server.baseUrl)];
    pages.push(owner, teammate);
    const [a, b] = [owner.page, teammate.page];
    await step('issue12-project-checks', [a, b], async () => {
      await signIn(b, 'ned', `/projects/${projectId}/quality`);
      await b.getByText('No check has run for this project yet.').waitFor();

      await signIn(a, 'mia', '/checker');
      await a.getByLabel('Check for').selectOption({ label: 'Quality' });
      await a.locator('#upload').setInputFiles({ name: 'app.js', mimeType: 'text/javascript', buffer: Buffer.from('var unused = 1\nconsole.log(missing)\n') });
      await a.getByTestId('chosen-linters').filter({ hasText: 'Linters for JavaScript: eslint' }).waitFor();
      await a.getByRole('button', { name: 'Run check' }).click();
      const ring = a.getByRole('img', { name: /^Score .* grade [A-E]$/ });
      await ring.waitFor({ timeout: 60_000 });
      const shareLink = a.url();
      const label = await ring.getAttribute('aria-label');

      // The teammate hears of it wherever they are, and the share link opens for them with the code.
      await b.getByTestId('unread-count').filter({ hasText: '1' }).waitFor({ timeout: 30_000 });
      await b.locator('toast-area .toast', { hasText: /Check of app\.js in Quality finished/ }).waitFor();
      await b.goto(shareLink);
      await b.getByRole('img', { name: label! }).waitFor();
      await b.getByTestId('statistics').filter({ hasText: '2 lines' }).waitFor();

      // A second run fixes one finding; the quality page shows the trend, both grades, and what changed.
      await a.goto('/checker');
      await a.locator('#upload').setInputFiles({ name: 'app.js', mimeType: 'text/javascript', buffer: Buffer.from('var unused = 1\nconsole.log(2)\n') });
      await a.getByRole('button', { name: 'Run check' }).click();
      await a.waitForURL((url) => url.search.includes('check=') && url.href !== shareLink, { timeout: 60_000 });
      await a.getByRole('img', { name: /^Score .* grade [A-E]$/ }).waitFor({ timeout: 60_000 });

      await b.goto(`/projects/${projectId}/quality`);
      await b.getByRole('heading', { name: 'Code quality of Quality' }).waitFor();
      await b.getByRole('img', { name: /^Score of 2 runs, from / }).waitFor();
      expect(await b.getByRole('table', { name: 'Check runs' }).getByRole('row').count()).toBe(3);
      expect([await b.getByTestId('new-findings').innerText(), await b.getByTestId('fixed-findings').innerText()]).toEqual(['0\nnew', '1\nfixed']);
      expect(await b.getByRole('list', { name: 'Fixed findings' }).innerText()).toContain("'missing' is not defined.");
      const findings = b.getByRole('table', { name: 'Findings' }).getByRole('row');
      const all = await findings.count();
      await b.getByLabel('Severity').selectOption('info');
      await b.getByRole('heading', { name: /^Findings of the latest run \(0 of / }).waitFor();
      await b.getByLabel('Severity').selectOption('');
      expect(await findings.count()).toBe(all);
      await b.getByRole('table', { name: 'Findings' }).getByRole('link').first().click();
      await b.waitForURL(/\/checker\?check=.*&line=\d+/);
      await b.getByTestId('statistics').filter({ hasText: '2 lines' }).waitFor();
    });
    expect([owner.errors, teammate.errors]).toEqual([[], []]);
  }, FLOW_MS);
});
