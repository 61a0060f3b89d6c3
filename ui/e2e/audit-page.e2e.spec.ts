/**
 * Browser flow: a project's audit page verifies the project in the browser ("Verified"), shows each
 * event's hashes and inclusion proof result, filters events, downloads the bundle, and names the
 * position of an event tampered in the SQLite event store ("failed at position N").
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ApiClient } from '@resoft/testkit';
import { signInThroughUi, waitForTreeHead } from './audit-fixtures.js';
import { FLOW_MS, openPage, step, describeInChromium } from './browser-harness.js';

describeInChromium('audit page', 'the UI in Chromium: the project audit page', (suite) => {
  it('verifies a real project in the browser, shows event proofs, filters, downloads the bundle, and names a tampered position', async () => {
    const api = new ApiClient(suite.server.baseUrl);
    const owner = await api.signUp('audra');
    const project = await api.post('/api/projects', { name: 'Ledger', description: 'Books' }, owner.accessToken);
    const projectId = project.body.id as string;
    const file = await api.post(`/api/projects/${projectId}/files`, { path: 'src/books.py', content: 'total = 1\n' }, owner.accessToken);
    const edited = await api.request('PUT', `/api/projects/${projectId}/files/${file.body.id}/content`, { token: owner.accessToken, body: { content: 'total = 2\n' } });
    expect(edited.status).toBe(200);
    await waitForTreeHead(api, owner.accessToken, edited.body.position);

    const { page, context, errors } = await openPage(suite.browser, suite.server.baseUrl);
    try {
      await step('flow-audit-page', [page], async () => {
        await signInThroughUi(page, owner);
        await page.goto(`/projects/${projectId}`);
        await page.getByRole('link', { name: 'Audit' }).click();
        await page.getByRole('heading', { name: 'Audit of Ledger' }).waitFor();
        const status = page.getByTestId('audit-status');
        await status.filter({ hasText: /^Verified$/ }).waitFor({ timeout: 30_000 });
        expect(await page.getByTestId('tree-head').innerText()).toContain('Ed25519, verified in this browser');

        const table = page.getByRole('table', { name: 'Project events' });
        await table.waitFor();
        expect(await table.innerText()).toContain('ProjectCreated');
        await page.getByRole('button', { name: `Event at position ${project.body.position}` }).click();
        const detail = page.getByTestId('event-detail');
        await detail.getByTestId('inclusion-result').filter({ hasText: /^Included in the signed tree of size \d+/ }).waitFor();
        expect(await detail.getByTestId('leaf-hash').innerText()).toMatch(/^[0-9a-f]{64}$/);

        await page.getByLabel('Type').fill('DocumentChanged');
        await page.getByRole('button', { name: 'Filter' }).click();
        await table.locator('tbody tr', { hasText: 'ProjectCreated' }).waitFor({ state: 'detached' });
        const rows = await table.locator('tbody tr').allInnerTexts();
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((row) => row.includes('DocumentChanged'))).toBe(true);

        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download audit bundle' }).click()]);
        expect(download.suggestedFilename()).toBe(`audit-${projectId}.zip`);
        expect(fs.readFileSync((await download.path())!).subarray(0, 2).toString()).toBe('PK');

        // Tamper with the file's creation as the tamper tests do: straight in the SQLite event store.
        const db = new Database(path.join(suite.server.env['RESOFT_DATA_DIR']!, 'events.sqlite'));
        try {
          db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ forged: true }), file.body.position);
        } finally {
          db.close();
        }
        await page.getByRole('button', { name: 'Verify again' }).click();
        await status.filter({ hasText: `Verification failed at position ${file.body.position}` }).waitFor({ timeout: 30_000 });
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, FLOW_MS);
});
