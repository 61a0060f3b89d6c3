/**
 * Browser flow for the analysts' additions to Insights: a project with a generated history (every
 * kind of event, checks with scores, other people) gets a sparkline on its card, a quality chart on
 * grade bands, a people filter kept in the URL, and a SQL tab that runs the example queries, shows
 * refusals and downloads CSV.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SqliteEventStore } from '@resoft/adapter-sqlite';
import { generateHistory } from '@resoft/projectors';
import { FLOW_MS, openPage, registerThroughUi, step, describeInChromium } from './browser-harness.js';

describeInChromium('insights-analyst', 'the UI in Chromium: insights for analysts', (suite) => {
  it('shows sparklines, grade bands, a people filter kept in the URL and a SQL tab', async () => {
    const { page, context, errors } = await openPage(suite.browser, suite.server.baseUrl);
    try {
      await step('flow-insights-analyst', [page], async () => {
        await registerThroughUi(page, 'quinn');
        const userId = await page.evaluate(() => (JSON.parse(localStorage.getItem('resoft.session')!) as { user: { id: string } }).user.id);
        // A history of the last ten days, owned by quinn, appended to the server's own event store.
        const history = generateHistory({ seed: 7, projects: 1, events: 400, owner: userId, start: Date.now() - 10 * 86_400_000, maxStepMs: 20 * 60_000 });
        const store = new SqliteEventStore({ file: path.join(suite.server.config.dataDir, 'events.sqlite') });
        try {
          for (const { streamId, event } of history) await store.append(streamId, [event], 'any');
        } finally {
          await store.close();
        }
        const projectId = (history[0]!.event.data as { projectId: string }).projectId;

        // The card's sparkline: one cross-project read for every card, counted once the projection caught up.
        const sparkline = page.getByRole('listitem').filter({ hasText: 'P0' }).getByRole('img', { name: /Activity over the last 14 days/ });
        for (let tries = 0; ; tries++) {
          await page.goto('/');
          await sparkline.waitFor();
          const label = (await sparkline.getAttribute('aria-label'))!;
          if (Number(/(\d+) events?/.exec(label)![1]) >= 200 || tries > 20) break;
          await page.waitForTimeout(1000);
        }
        const sparkTotal = Number(/(\d+) events?/.exec((await sparkline.getAttribute('aria-label'))!)![1]);
        expect(sparkTotal).toBeGreaterThanOrEqual(200);
        expect(await sparkline.locator('polyline').getAttribute('points')).toMatch(/^(\d+(\.\d)?,\d+(\.\d)? ){13}\d+(\.\d)?,\d+(\.\d)?$/);

        await page.goto(`/projects/${projectId}/insights`);
        await page.getByRole('heading', { name: 'Insights' }).waitFor();
        // Quality: the checks' scores on the five grade bands, each band a visible element.
        await page.getByRole('img', { name: /Quality score of [1-9]\d* finished checks? over time, on grade bands A to E/ }).waitFor();
        const bands = page.getByTestId('quality-chart').locator('.band');
        expect(await bands.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset['grade']))).toEqual(['A', 'B', 'C', 'D', 'E']);
        const heights = await bands.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
        expect(heights.every((h) => h > 5)).toBe(true);
        expect(heights[4]! / heights[0]!).toBeCloseTo(6, 0); // E spans 0–60, A 90–100

        // People: narrowing to quinn counts only quinn's events, in the chart, its total and the URL.
        const totalText = page.getByText(/events in the period/);
        await totalText.waitFor();
        const everyone = Number(/; (\d+) events/.exec(await totalText.innerText())![1]);
        // quinn's events as the contributors table (a different sum over the same read model) counts them.
        const contributors = page.getByRole('table', { name: 'Contributors' });
        const eventsColumn = (await contributors.locator('thead th').allInnerTexts()).indexOf('events');
        const ownEvents = Number(await contributors.locator('tbody tr').filter({ hasText: 'quinn' }).locator('td').nth(eventsColumn).innerText());
        expect(ownEvents).toBeGreaterThan(0);
        await page.getByRole('group', { name: /People/ }).getByRole('checkbox', { name: 'quinn' }).check();
        await page.waitForURL(new RegExp(`people=${userId}`));
        await page.getByRole('img', { name: /stacked by area, by quinn/ }).waitFor();
        await page.getByText(/events in the period by quinn/).waitFor();
        const quinns = Number(/; (\d+) events/.exec(await page.getByText(/events in the period by quinn/).innerText())![1]);
        expect(quinns).toBe(ownEvents);
        expect(quinns).toBeLessThan(everyone);
        expect(await page.getByRole('table', { name: 'Contributors' }).locator('tbody tr').count()).toBe(1);
        await page.reload();
        await page.getByRole('img', { name: /stacked by area, by quinn/ }).waitFor();
        expect(await page.getByRole('checkbox', { name: 'quinn' }).isChecked()).toBe(true);

        // SQL: an example query, its table and CSV; refusals shown as the server words them.
        await page.getByRole('tab', { name: 'SQL' }).click();
        await page.waitForURL(/tab=sql/);
        expect(await page.getByLabel('Example queries').locator('option').count()).toBe(6);
        await page.getByLabel('Example queries').selectOption({ label: 'When the team works' });
        expect(await page.getByRole('textbox', { name: /^SQL/ }).inputValue()).toContain('Europe/Berlin');
        await page.getByRole('button', { name: 'Run query' }).click();
        const result = page.getByRole('table', { name: 'Query result' });
        await result.waitFor();
        expect(await result.locator('thead').innerText()).toMatch(/weekday\s+hour\s+events/);
        expect(await result.locator('tbody tr').count()).toBeGreaterThan(0);
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
        const csv = fs.readFileSync((await download.path())!, 'utf8').split('\r\n');
        expect(download.suggestedFilename()).toBe('query.csv');
        expect(csv[0]).toBe('weekday,hour,events');
        expect(csv.filter(Boolean).length - 1).toBe(await result.locator('tbody tr').count());

        await page.getByRole('textbox', { name: /^SQL/ }).fill("COPY events TO '/tmp/stolen.csv'");
        await page.getByRole('button', { name: 'Run query' }).click();
        await page.getByRole('alert').filter({ hasText: /refused/ }).waitFor();
        expect(await result.count()).toBe(0);
        await page.getByRole('textbox', { name: /^SQL/ }).fill('SELECT nothing_here FROM events');
        await page.getByRole('button', { name: 'Run query' }).click();
        await page.getByRole('alert').filter({ hasText: /nothing_here/ }).waitFor();
        await page.getByRole('textbox', { name: /^SQL/ }).fill('SELECT count(*) AS n FROM events');
        await page.getByRole('button', { name: 'Run query' }).click();
        await result.waitFor();
        // The project's whole history is within the sparkline's fortnight: both count every event.
        expect(Number(await result.locator('tbody td').first().innerText())).toBe(sparkTotal);
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, FLOW_MS * 2);
});
