/** Browser flow: a project's Insights page draws its chart, shows the tables, keeps the filters in the URL and downloads CSV. */
import fs from 'node:fs';
import { FLOW_MS, openPage, registerThroughUi, step, describeInChromium } from './browser-harness.js';

describeInChromium('insights', 'the UI in Chromium: project insights', (suite) => {
  it('charts activity, lists contributors, keeps filters in the URL across a reload and downloads CSV', async () => {
    const { page, context, errors } = await openPage(suite.browser, suite.server.baseUrl);
    try {
      await step('flow-insights', [page], async () => {
        await registerThroughUi(page, 'ivy');
        await page.getByLabel('Name').fill('Metrics');
        await page.getByRole('button', { name: 'Create project' }).click();
        await page.getByRole('heading', { name: 'Metrics' }).waitFor();

        await page.getByRole('link', { name: 'Insights' }).click();
        await page.getByRole('heading', { name: 'Insights' }).waitFor();
        await page.getByRole('img', { name: /Events per day, stacked by area/ }).waitFor();
        const contributors = page.getByRole('table', { name: 'Contributors' });
        await contributors.waitFor();
        expect(await contributors.innerText()).toContain('ivy');

        await page.getByLabel('Interval').selectOption('week');
        await page.waitForURL(/interval=week/);
        await page.getByRole('img', { name: /Events per week/ }).waitFor();
        await page.getByRole('checkbox', { name: 'files' }).uncheck();
        await page.waitForURL(/areas=/);
        expect(new URL(page.url()).searchParams.get('areas')?.split(',')).not.toContain('files');

        await page.reload();
        await page.getByRole('img', { name: /Events per week/ }).waitFor();
        expect(await page.getByLabel('Interval').inputValue()).toBe('week');
        expect(await page.getByRole('checkbox', { name: 'files' }).isChecked()).toBe(false);

        await page.getByRole('button', { name: 'Show table' }).click();
        const activity = page.getByRole('table', { name: 'Activity over time' });
        await activity.waitFor();
        expect(await activity.locator('thead').innerText()).not.toContain('files');

        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('region', { name: 'Activity over time' }).getByRole('button', { name: 'Download CSV' }).click()]);
        const csv = fs.readFileSync((await download.path())!, 'utf8');
        expect(download.suggestedFilename()).toBe('activity.csv');
        expect(csv.split('\r\n')[0]).toBe('bucket,total,agents,chat,checks,files,members,milestones,project,templates');
        expect(csv.split('\r\n').slice(1).some((line) => /,1,/.test(line) || /^[^,]+,[1-9]/.test(line))).toBe(true);
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, FLOW_MS);
});
