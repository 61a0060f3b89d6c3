/** Browser flow 5: browse templates, preview one, apply it with a variable error and then successfully, watch progress, open a new file. */
import { FLOW_MS, openPage, registerThroughUi, step, describeInChromium } from './browser-harness.js';

describeInChromium('templates', 'the UI in Chromium: template marketplace', (suite) => {

  it('filters, previews, refuses a bad variable with the API message, applies, shows progress and opens a new file', async () => {
    const { page, context, errors } = await openPage(suite.browser, suite.server.baseUrl);
    try {
      await step('flow5-templates', [page], async () => {
        await registerThroughUi(page, 'tia');
        await page.getByLabel('Name').fill('Service');
        await page.getByRole('button', { name: 'Create project' }).click();
        await page.getByRole('heading', { name: 'Service' }).waitFor();

        await page.getByRole('link', { name: 'Templates' }).click();
        const cards = page.getByRole('list', { name: 'Templates' }).getByRole('listitem');
        await cards.first().waitFor();
        expect(await cards.count()).toBeGreaterThan(1);
        await page.getByLabel('Category').selectOption('backend');
        await page.waitForFunction(() => document.querySelector('resoft-app')?.shadowRoot?.querySelector('templates-page')?.shadowRoot?.querySelectorAll('ul.cards li').length === 1);
        await page.getByLabel('Keyword').fill('no template is called this');
        await page.getByText('No template matches these filters.').waitFor();
        await page.getByLabel('Keyword').fill('fastapi');
        await page.getByRole('button', { name: 'FastAPI microservice: details' }).click();

        const dialog = page.getByRole('dialog');
        await dialog.getByRole('heading', { name: 'FastAPI microservice' }).waitFor();
        expect(await dialog.getByRole('table', { name: 'Variables' }).innerText()).toContain('service_name');
        expect(await dialog.getByRole('list', { name: 'Files the template creates' }).innerText()).toContain('Dockerfile');

        await dialog.getByRole('button', { name: 'Use this template…' }).click();
        // The apply dialog opens at its title.
        await dialog.getByRole('heading', { name: 'Apply FastAPI microservice' }).waitFor();
        await page.waitForFunction(() => (document.querySelector('resoft-app')?.shadowRoot?.querySelector('templates-page')?.shadowRoot?.activeElement as HTMLElement | null)?.id === 'detail-title');
        await dialog.getByLabel('HTTP port').fill('eighty');
        await dialog.getByLabel('Service name *').fill('Bad Name!');
        await dialog.getByRole('button', { name: 'Apply template' }).click();
        // Checked in the browser from the variables' JSON Schema: plain words, the field marked and focused, the typed value kept.
        const nameError = dialog.locator('#var-service_name-error');
        await nameError.waitFor();
        expect(await nameError.innerText()).toBe('Start with a lower-case letter, then use only lower-case letters, digits and “-”, and end with lower-case letters and digits.');
        expect(await dialog.locator('#var-port-error').innerText()).toBe('Enter a whole number, like 8080.');
        expect(await dialog.getByLabel('Service name *').getAttribute('aria-invalid')).toBe('true');
        expect(await dialog.getByLabel('Service name *').inputValue()).toBe('Bad Name!');
        expect(await page.evaluate(() => (document.querySelector('resoft-app')?.shadowRoot?.querySelector('templates-page')?.shadowRoot?.querySelector('template-form')?.shadowRoot?.activeElement as HTMLElement | null)?.id)).toBe('var-service_name');
        await dialog.getByLabel('HTTP port').fill('8080');
        await nameError.waitFor();

        await dialog.getByLabel('Service name *').fill('orders-service');
        await dialog.getByRole('button', { name: 'Apply template' }).click();
        await dialog.getByTestId('run-status').filter({ hasText: /^completed: (\d+) of \1 files/ }).waitFor();
        expect(await dialog.getByRole('progressbar', { name: 'Progress' }).getAttribute('value')).toBe(await dialog.getByRole('progressbar', { name: 'Progress' }).getAttribute('max'));

        await dialog.getByRole('link', { name: 'Dockerfile' }).click();
        await page.locator('code-editor .cm-content', { hasText: 'FROM python' }).waitFor();
        await page.getByRole('heading', { name: 'Dockerfile' }).waitFor();
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, FLOW_MS);
});
