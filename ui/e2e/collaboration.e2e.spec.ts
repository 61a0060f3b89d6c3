/** Browser flow 3: two people edit one file in two browser contexts and see each other's text and caret; an @mention in chat notifies the other. */
import type { Page } from 'playwright-core';
import { ApiClient } from '@resoft/testkit';
import { alertsSeen, FLOW_MS, observeAlerts, openPage, step, describeInChromium, type WatchedPage } from './browser-harness.js';

async function signIn(page: Page, username: string, next: string) {
  await page.goto(next);
  await page.waitForURL('**/sign-in?next=**');
  await page.getByLabel('Email').fill(`${username}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`**${next}`);
}

/** The editor's text (not its rendering, which also shows the other people's name labels). */
const editorText = (page: Page) => page.locator('code-editor').evaluate((el) => (el as HTMLElement & { text: string }).text);

describeInChromium('collaboration', 'the UI in Chromium: editing together', (suite) => {
  const pages: WatchedPage[] = [];
  // Close the contexts the tests opened (harmless when closing the browser already did).
  afterAll(async () => {
    for (const p of pages) await p.context.close().catch(() => undefined);
  });

  it('shows each editor the other one\'s text and cursor, and notifies a mentioned member', async () => {
    const api = new ApiClient(suite.server.baseUrl);
    const ann = await api.signUp('ann');
    await api.signUp('bob');
    const projectId = (await api.post('/api/projects', { name: 'Shared' }, ann.accessToken)).body.id;
    await api.post(`/api/projects/${projectId}/members`, { username: 'bob', role: 'editor' }, ann.accessToken);
    const file = await api.post(`/api/projects/${projectId}/files`, { path: 'src/app.py', content: 'print("hello")\n' }, ann.accessToken);
    const fileUrl = `/projects/${projectId}/files/${file.body.id}`;
    // An earlier conversation: more than one page of history (the UI loads 50 at a time).
    const roomId = (await api.post('/api/collaboration/rooms', { projectId, name: 'General' }, ann.accessToken)).body.id;
    await api.post(`/api/collaboration/rooms/${roomId}/join`, {}, ann.accessToken);
    for (let i = 1; i <= 55; i++) await api.post('/api/collaboration/chat', { roomId, text: `earlier message ${i}` }, ann.accessToken);

    const annPage = await openPage(suite.browser, suite.server.baseUrl);
    const bobPage = await openPage(suite.browser, suite.server.baseUrl);
    pages.push(annPage, bobPage);
    const a = annPage.page;
    const b = bobPage.page;

    await step('flow3-co-editing', [a, b], async () => {
      await signIn(a, 'ann', fileUrl);
      await signIn(b, 'bob', fileUrl);
      for (const p of [a, b]) {
        await p.locator('code-editor .cm-content').waitFor();
        await p.waitForFunction(() => document.querySelector('resoft-app')?.shadowRoot?.querySelector('project-page')?.shadowRoot?.querySelector('[data-testid=sync-status]')?.textContent === 'saved');
      }
      expect(await editorText(a)).toContain('print("hello")');

      // Ann types at the end of the first line; Bob sees it.
      await a.locator('code-editor .cm-line').first().click();
      await a.keyboard.press('End');
      await a.keyboard.type('  # from ann');
      await b.locator('code-editor .cm-content', { hasText: 'print("hello")  # from ann' }).waitFor();

      // Bob types on a new line at the end; Ann sees it, and sees Bob's cursor with his name.
      await b.locator('code-editor .cm-line').last().click();
      await b.keyboard.press('Control+End');
      await b.keyboard.type('x = 1  # bob');
      await a.locator('code-editor .cm-content', { hasText: 'x = 1  # bob' }).waitFor();
      await a.locator('code-editor .cm-remote-caret[data-user="bob"]').waitFor();
      await b.locator('code-editor .cm-remote-caret[data-user="ann"]').waitFor();

      // Bob selects his line: Ann sees the selection in Bob's colour; when he collapses it, it goes.
      await b.keyboard.press('Shift+Home');
      const bobsSelection = a.locator('code-editor .cm-remote-selection[data-user="bob"]');
      // (the mark may be split around syntax-highlighted tokens; together they are exactly the line)
      await bobsSelection.first().waitFor();
      expect((await bobsSelection.allInnerTexts()).join('')).toBe('x = 1  # bob');
      const bobsColour = await a.locator('code-editor .cm-remote-caret[data-user="bob"]').evaluate((el) => (el as HTMLElement).style.borderLeftColor);
      expect(bobsColour).toMatch(/^rgb/);
      for (const shade of await bobsSelection.evaluateAll((els) => els.map((el) => (el as HTMLElement).style.backgroundColor))) expect(shade).toContain(bobsColour);
      await b.keyboard.press('End');
      await bobsSelection.first().waitFor({ state: 'detached' });
      expect(await editorText(a)).toBe(await editorText(b));

      // Both see each other in the room, viewing the file.
      await a.locator('presence-list li[data-user="bob"][data-status="online"]').waitFor();
      expect(await a.locator('presence-list li[data-user="bob"]').innerText()).toContain('in src/app.py');

      // The edits are stored: the API has the text both typed.
      await a.waitForFunction(() => document.querySelector('resoft-app')?.shadowRoot?.querySelector('project-page')?.shadowRoot?.querySelector('[data-testid=sync-status]')?.textContent === 'saved');
      const stored = await api.get(`/api/projects/${projectId}/files/${file.body.id}`, ann.accessToken);
      expect(stored.body.text).toContain('print("hello")  # from ann');

      // Bob sees the latest page of history; scrolling to the top brings the older messages.
      await b.locator('chat-panel li', { hasText: 'earlier message 55' }).waitFor();
      expect(await b.locator('chat-panel li[data-message-id]').count()).toBe(50);
      expect(await b.locator('chat-panel li[data-message-id]', { hasText: /earlier message 1\s*$/ }).count()).toBe(0);
      await b.locator('chat-panel ol').evaluate((list) => list.scrollTo(0, 0));
      await b.locator('chat-panel li[data-message-id]', { hasText: /earlier message 1\s*$/ }).waitFor();
      expect(await b.locator('chat-panel li[data-message-id]').count()).toBe(55);

      // Ann locks the file: Bob sees who holds the lock.
      await a.getByRole('button', { name: 'Lock', exact: true }).click();
      await a.getByTestId('lock').filter({ hasText: 'locked by you' }).waitFor();
      await b.getByTestId('lock').filter({ hasText: 'locked by ann' }).waitFor();
      expect(await b.getByRole('button', { name: 'Unlock' }).count()).toBe(0);

      // Ann mentions Bob in chat: Bob's message list has it and he gets a notification.
      // Typing @b offers bob; Enter picks him.
      const composer = a.getByRole('combobox', { name: 'Message' });
      await composer.click();
      await composer.pressSequentially('@b');
      await a.getByRole('option', { name: '@bob' }).waitFor();
      await composer.press('Enter');
      expect(await composer.inputValue()).toBe('@bob ');
      await a.getByLabel('Message', { exact: true }).fill('@bob please look at **line 2**');
      await a.getByRole('button', { name: 'Send' }).click();
      await b.locator('toast-area .toast.mention', { hasText: 'ann mentioned you in Shared' }).waitFor();
      const message = b.locator('chat-panel li.mention', { hasText: 'please look at line 2' });
      await message.waitFor();
      expect(await message.locator('strong', { hasText: 'line 2' }).count()).toBe(1);
      // Bob was reading older messages: the new one is counted as unread until he goes down to it.
      await b.getByRole('button', { name: '1 unread, show them' }).click();
      await b.getByRole('button', { name: /unread, show them/ }).waitFor({ state: 'detached' });
      expect(await b.locator('chat-panel ol').evaluate((list) => list.scrollHeight - list.scrollTop - list.clientHeight < 24)).toBe(true);

      // Ann edits her message, then deletes it: Bob sees both; he cannot edit or delete it himself.
      expect(await message.getByRole('button', { name: 'Edit' }).count()).toBe(0);
      const messageId = await message.getAttribute('data-message-id');
      const own = a.locator('chat-panel li', { hasText: 'please look at line 2' });
      await own.getByRole('button', { name: 'Edit' }).click();
      await a.getByLabel('Edited message').fill('@bob please look at line 3');
      await a.getByRole('button', { name: 'Save' }).click();
      await b.locator('chat-panel li', { hasText: 'please look at line 3' }).filter({ hasText: 'edited' }).waitFor();
      await a.locator('chat-panel li', { hasText: 'please look at line 3' }).getByRole('button', { name: 'Delete' }).click();
      await b.locator(`chat-panel li[data-message-id="${messageId}"]`, { hasText: 'deleted' }).waitFor();
      expect(await b.locator('chat-panel li', { hasText: 'please look at line 3' }).count()).toBe(0);

      // Fenced code is highlighted for python, js and ts; an unlabelled block stays plain; markup in code stays text.
      await a.getByLabel('Message', { exact: true }).fill(
        ['Try this:', '```python', 'def greet(name):', '    return "hi " + name  # py', '```', '```js', 'const tag = "<img src=x onerror=alert(1)>";', '```', '```ts', 'let n: number = 2;', '```', '```', 'def plain(): pass', '```'].join('\n'),
      );
      await a.getByRole('button', { name: 'Send' }).click();
      const snippet = b.locator('chat-panel li', { hasText: 'Try this:' });
      await snippet.locator('code[data-language="python"] .tok-keyword', { hasText: 'def' }).waitFor();
      expect(await snippet.locator('code[data-language="python"] .tok-comment').innerText()).toBe('# py');
      expect((await snippet.locator('code[data-language="python"]').innerText()).trimEnd()).toBe('def greet(name):\n    return "hi " + name  # py');
      expect(await snippet.locator('code[data-language="javascript"] .tok-string').innerText()).toBe('"<img src=x onerror=alert(1)>"');
      expect(await snippet.locator('code[data-language="typescript"] .tok-typeName', { hasText: 'number' }).count()).toBe(1);
      expect((await snippet.locator('code[data-language="text"]').innerText()).trimEnd()).toBe('def plain(): pass');
      expect(await snippet.locator('code[data-language="text"] span').count()).toBe(0);
      expect(await snippet.locator('img').count()).toBe(0);
    });
    expect([...annPage.errors, ...bobPage.errors]).toEqual([]);
  }, FLOW_MS);

  it('alerts a member who opted in to desktop notifications and sound when mentioned; the settings persist', async () => {
    const api = new ApiClient(suite.server.baseUrl);
    const eve = await api.signUp('eve');
    await api.signUp('fay');
    const projectId = (await api.post('/api/projects', { name: 'Alerts' }, eve.accessToken)).body.id;
    await api.post(`/api/projects/${projectId}/members`, { username: 'fay', role: 'editor' }, eve.accessToken);
    const roomId = (await api.post('/api/collaboration/rooms', { projectId, name: 'General' }, eve.accessToken)).body.id;
    await api.post(`/api/collaboration/rooms/${roomId}/join`, {}, eve.accessToken);
    const watched = await openPage(suite.browser, suite.server.baseUrl);
    pages.push(watched);
    const page = watched.page;
    await observeAlerts(watched.context, suite.server.baseUrl);
    const seen = () => alertsSeen(page);
    await step('flow3-notification-settings', [page], async () => {
      await signIn(page, 'fay', '/settings');
      const desktop = page.getByLabel('Desktop notifications');
      const sound = page.getByLabel('Play a sound');
      expect(await desktop.isChecked()).toBe(false);
      expect(await sound.isChecked()).toBe(false);
      await desktop.check();
      await sound.check();
      expect((await seen()).tones).toBe(1);
      await page.reload();
      await page.getByRole('heading', { name: 'Settings' }).waitFor();
      expect(await page.getByLabel('Desktop notifications').isChecked()).toBe(true);
      expect(await page.getByLabel('Play a sound').isChecked()).toBe(true);

      await page.goto(`/projects/${projectId}`);
      await page.locator('presence-list li[data-user="fay"]').waitFor();
      expect(await seen()).toEqual({ notifications: [], tones: 0 });
      await api.post('/api/collaboration/chat', { roomId, text: '@fay the build is green' }, eve.accessToken);
      await page.locator('toast-area .toast.mention', { hasText: 'eve mentioned you in Alerts' }).waitFor();
      await page.waitForFunction(() => (window as unknown as { seenAlerts: { notifications: unknown[] } }).seenAlerts.notifications.length > 0);
      expect(await seen()).toEqual({ notifications: [{ title: 'Resoft: you were mentioned', body: expect.stringMatching(/^eve mentioned you in Alerts: “@fay the build is green”$/) }], tones: 1 });

      // Turned off again: the next mention is a toast only.
      await page.goto('/settings');
      await page.getByLabel('Desktop notifications').uncheck();
      await page.getByLabel('Play a sound').uncheck();
      await page.goto(`/projects/${projectId}`);
      await page.locator('presence-list li[data-user="fay"]').waitFor();
      await api.post('/api/collaboration/chat', { roomId, text: '@fay and now the deploy' }, eve.accessToken);
      await page.locator('toast-area .toast.mention', { hasText: 'eve mentioned you in Alerts' }).waitFor();
      await page.locator('chat-panel li', { hasText: 'and now the deploy' }).waitFor();
      expect(await seen()).toEqual({ notifications: [], tones: 0 });
    });
    expect(watched.errors).toEqual([]);
  }, FLOW_MS);

  it('shows a file\'s versions, the diff of one against the current text, and restores it', async () => {
    const api = new ApiClient(suite.server.baseUrl);
    const dee = await api.signUp('dee');
    const projectId = (await api.post('/api/projects', { name: 'History' }, dee.accessToken)).body.id;
    const file = await api.post(`/api/projects/${projectId}/files`, { path: 'notes.md', content: 'alpha\nbeta\n' }, dee.accessToken);
    await api.request('PUT', `/api/projects/${projectId}/files/${file.body.id}/content`, { token: dee.accessToken, body: { content: 'alpha\nBETA\ngamma\n' } });
    const watched = await openPage(suite.browser, suite.server.baseUrl);
    pages.push(watched);
    const page = watched.page;
    await step('flow3-version-history', [page], async () => {
      await signIn(page, 'dee', `/projects/${projectId}/files/${file.body.id}`);
      await page.locator('code-editor .cm-content', { hasText: 'gamma' }).waitFor();
      await page.getByRole('button', { name: 'Version history' }).click();
      await page.locator('history-panel button[data-version="0"]').click();
      const diff = page.getByLabel('Differences');
      await diff.waitFor();
      expect((await diff.innerText()).split('\n').filter(Boolean)).toEqual(['  alpha', '− beta', '+ BETA', '+ gamma', '  ']);
      await page.getByRole('button', { name: 'Restore version 0' }).click();
      // Restoring asks first, saying what will happen.
      await page.getByRole('alertdialog', { name: 'Restore version 0?' }).waitFor();
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      await page.getByText('Version 0 restored as version 2.').first().waitFor();
      await page.waitForFunction(() => (document.querySelector('resoft-app')?.shadowRoot?.querySelector('project-page')?.shadowRoot?.querySelector('code-editor') as unknown as { text: string } | null)?.text === 'alpha\nbeta\n');
      await page.locator('history-panel button[data-version="2"]').waitFor();
    });
    expect(watched.errors).toEqual([]);
  }, FLOW_MS);
});
