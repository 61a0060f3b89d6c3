/** Browser flow 4: run a code check from the checker page and see the score, grade and findings; the share link reopens it. */
import { alertsSeen, FLOW_MS, observeAlerts, openPage, registerThroughUi, step, describeInChromium } from './browser-harness.js';

describeInChromium('code checker', 'the UI in Chromium: code checker', (suite) => {

  it('checks an uploaded JavaScript file with ESLint and shows the score ring, grade and findings by severity', async () => {
    const { page, context, errors } = await openPage(suite.browser, suite.server.baseUrl);
    try {
      await step('flow4-code-check', [page], async () => {
        await observeAlerts(context, suite.server.baseUrl);
        await registerThroughUi(page, 'dev');
        // Opted in to desktop notifications: the check's result is one too.
        await page.getByRole('link', { name: 'Settings' }).click();
        await page.getByLabel('Desktop notifications').check();
        await page.getByRole('link', { name: 'Code checker' }).click();
        await page.getByRole('heading', { name: 'Code checker' }).waitFor();
        await page.getByTestId('chosen-linters').filter({ hasText: 'Linters for Python: pylint' }).waitFor();

        await page.locator('#upload').setInputFiles({ name: 'app.js', mimeType: 'text/javascript', buffer: Buffer.from('var unused = 1\nconsole.log(missing)\n') });
        expect(await page.getByLabel('Language').inputValue()).toBe('javascript');
        await page.getByTestId('statistics').filter({ hasText: '2 lines · 36 characters · 5 words' }).waitFor();
        await page.getByTestId('chosen-linters').filter({ hasText: 'Linters for JavaScript: eslint' }).waitFor();

        await page.getByRole('button', { name: 'Run check' }).click();
        const ring = page.getByRole('img', { name: /^Score .* grade [A-E]$/ });
        await ring.waitFor({ timeout: 60_000 });
        const errorsGroup = page.locator('.group[data-severity="error"]');
        expect(await errorsGroup.innerText()).toContain("'missing' is not defined.");
        expect(await errorsGroup.innerText()).toContain("'unused' is assigned a value but never used.");
        expect(await page.locator('details[data-linter="eslint"] summary').innerText()).toContain('eslint');
        // The findings are marked in the editor: an icon in the gutter and a wavy underline, not a tinted line.
        expect(await page.locator('code-editor .cm-finding-marker.cm-finding-error').count()).toBe(2);
        expect(await page.locator('code-editor .cm-finding-underline-error').count()).toBe(2);
        expect(await page.locator('code-editor .cm-annotated').count()).toBe(0);
        expect(await page.locator('code-editor .cm-finding-marker').first().getAttribute('title')).toMatch(/^eslint /);
        await page.waitForFunction(() => (window as unknown as { seenAlerts: { notifications: unknown[] } }).seenAlerts.notifications.length > 0);
        expect((await alertsSeen(page)).notifications).toEqual([{ title: 'Resoft: check finished', body: expect.stringMatching(/^Check finished: Score \d+\.\d · grade [A-E]$/) }]);

        // The share link opens the same check.
        const checkUrl = page.url();
        expect(checkUrl).toMatch(/\/checker\?check=/);
        const label = await ring.getAttribute('aria-label');
        await page.goto(checkUrl);
        await page.getByRole('img', { name: label! }).waitFor();
        // …with the code it checked, read back from the source store.
        await page.getByTestId('statistics').filter({ hasText: '2 lines · 36 characters · 5 words' }).waitFor();
        expect(await page.getByLabel('Language').inputValue()).toBe('javascript');
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, FLOW_MS);

  it('configures the linters per language in a keyboard-accessible dialog; the check runs with them and the choice persists', async () => {
    const { page, context, errors } = await openPage(suite.browser, suite.server.baseUrl);
    /** What has focus, looking through shadow roots: its id (or tag) and whether it is inside the dialog. */
    const focused = () =>
      page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return { id: el?.id || el?.textContent?.trim() || el?.tagName || '', inDialog: Boolean(el?.closest('dialog')) };
      });
    try {
      await step('flow4-linter-config', [page], async () => {
        await registerThroughUi(page, 'linty');
        await page.goto('/checker');
        const summary = page.getByTestId('chosen-linters');
        await summary.filter({ hasText: 'Linters for Python: pylint, mypy, ruff' }).waitFor();
        const configure = page.getByRole('button', { name: 'Configure linters…' });

        // Opened from the keyboard: focus moves into the dialog and Tab, Shift+Tab stay there.
        await configure.focus();
        await page.keyboard.press('Enter');
        const dialog = page.getByRole('dialog', { name: 'Linter configuration' });
        await dialog.waitFor();
        expect(await focused()).toEqual({ id: 'linter-python-pylint', inDialog: true });
        const controls = await dialog.locator('input:not([disabled]), button:not([disabled])').count();
        for (let i = 0; i < controls + 2; i++) {
          await page.keyboard.press('Tab');
          expect((await focused()).inDialog).toBe(true);
        }
        await page.keyboard.press('Shift+Tab');
        expect((await focused()).inDialog).toBe(true);
        // Each linter says what it runs with (as the server reports it).
        expect(await dialog.locator('fieldset[data-language="python"]').innerText()).toContain('--isolated');

        // Escape closes without saving; focus is back on the button.
        await dialog.getByLabel('pylint').uncheck();
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
        expect(await focused()).toEqual({ id: 'Configure linters…', inDialog: false });
        expect(await summary.innerText()).toBe('Linters for Python: pylint, mypy, ruff');

        // Python with ruff only: Save needs at least one linter per language.
        await configure.click();
        const python = dialog.locator('fieldset[data-language="python"]');
        for (const name of ['pylint', 'mypy', 'ruff']) await python.getByLabel(name).uncheck();
        await dialog.getByRole('alert').filter({ hasText: 'Choose at least one linter for Python' }).waitFor();
        expect(await dialog.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
        await python.getByLabel('ruff').check();
        await dialog.getByRole('button', { name: 'Save' }).click();
        await dialog.waitFor({ state: 'hidden' });
        expect(await focused()).toEqual({ id: 'Configure linters…', inDialog: false });
        expect(await summary.innerText()).toBe('Linters for Python: ruff');

        // The check runs ruff alone.
        await page.locator('code-editor .cm-content').click();
        await page.keyboard.type('import os\n');
        await page.getByRole('button', { name: 'Run check' }).click();
        await page.getByRole('img', { name: /^Score .* grade [A-E]$/ }).waitFor({ timeout: 60_000 });
        expect(await page.locator('details[data-linter]').evaluateAll((els) => els.map((el) => el.getAttribute('data-linter')))).toEqual(['ruff']);
        expect(await page.locator('.group[data-severity]').innerText()).toContain('imported but unused');

        // After a reload the choice is still there.
        await page.goto('/checker');
        await summary.filter({ hasText: 'Linters for Python: ruff' }).waitFor();
        await configure.click();
        expect(await python.getByLabel('ruff').isChecked()).toBe(true);
        expect(await python.getByLabel('pylint').isChecked()).toBe(false);
        await dialog.getByRole('button', { name: 'Cancel' }).click();
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, FLOW_MS);
  it('says which findings were merged across linters, hidden by a suppression comment, or not resolved because a package is not installed', async () => {
    const { page, context, errors } = await openPage(suite.browser, suite.server.baseUrl);
    try {
      await step('flow4-unlisted-findings', [page], async () => {
        await registerThroughUi(page, 'pyuser');
        await page.goto('/checker');
        await page.getByTestId('chosen-linters').filter({ hasText: 'Linters for Python: pylint, mypy, ruff' }).waitFor();
        const code = 'import os\nimport requests\nimport yaml  # pylint: disable=unused-import\n\n\ndef main():\n    """Entry."""\n    return requests.get\n\n\nprint(main())\n';
        await page.locator('#upload').setInputFiles({ name: 'app.py', mimeType: 'text/x-python', buffer: Buffer.from(code) });
        await page.getByRole('button', { name: 'Run check' }).click();
        await page.getByRole('img', { name: /^Score .* grade [A-E]$/ }).waitFor({ timeout: 90_000 });

        // `os` unused: pylint and ruff both report it, listed once and naming the other linter.
        const unusedOs = page.locator('.group li').filter({ hasText: '`os` imported but unused' });
        expect(await unusedOs.count()).toBe(1);
        expect(await unusedOs.innerText()).toMatch(/also reported by pylint W0611/);
        // pylint honoured the suppression on `yaml` and could not resolve the packages: both said, never silently dropped.
        const pylint = page.locator('details[data-linter="pylint"]');
        await pylint.locator('summary').click();
        const notes = await pylint.getByTestId('linter-notes').innerText();
        expect(notes).toContain('1 finding hidden by inline suppression comments');
        expect(notes).toContain("1 finding merged into another linter's finding");
        expect(notes).toMatch(/Not installed where the check ran.*requests.*yaml/);
        expect(await page.locator('.summary').innerText()).toContain('1 hidden by suppression comments');
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, FLOW_MS);
});
