/**
 * Browser flow: the project page's time slider shows the files, members and chat the live API
 * showed at a recorded past moment, and compares that moment with the present (changes and a diff).
 */
import { ApiClient, successfulBody } from '@resoft/testkit';
import { FLOW_MS, openPage, step, describeInChromium } from './browser-harness.js';
import { signInThroughUi } from './audit-fixtures.js';

const ok = successfulBody;

describeInChromium('time slider', 'the UI in Chromium: the time slider', (suite) => {
  it('shows files, members and chat as the API answered at a past moment, and diffs it with the present', async () => {
    const api = new ApiClient(suite.server.baseUrl);
    const owner = await api.signUp('tess');
    const bob = await api.signUp('bob');
    const projectId = (await ok(api.post('/api/projects', { name: 'Almanac' }, owner.accessToken))).id as string;
    const file = await ok(api.post(`/api/projects/${projectId}/files`, { path: 'notes.md', content: 'one\n' }, owner.accessToken));
    const roomId = (await ok(api.post('/api/collaboration/rooms', { projectId, name: 'General' }, owner.accessToken))).id as string;
    await ok(api.post(`/api/collaboration/rooms/${roomId}/join`, {}, owner.accessToken));
    const then = (await ok(api.post('/api/collaboration/chat', { roomId, text: 'hello back then' }, owner.accessToken))).position as number;
    // What the live read API answered at that moment.
    await api.readWhenFresh(`/api/projects/${projectId}`, then, owner.accessToken);
    const filesThen = (await ok(api.get(`/api/projects/${projectId}/files`, owner.accessToken))).items.map((f: { path: string }) => f.path);
    const membersThen = (await ok(api.get(`/api/projects/${projectId}/members`, owner.accessToken))).items.map((m: { username: string }) => m.username);
    const chatThen = (await ok(api.get(`/api/collaboration/chat/${roomId}/history`, owner.accessToken))).messages.map((m: { text: string }) => m.text);
    expect([filesThen, membersThen, chatThen]).toEqual([['notes.md'], ['tess'], ['hello back then']]);

    await ok(api.post(`/api/projects/${projectId}/members`, { userId: bob.userId, role: 'viewer' }, owner.accessToken));
    await ok(api.request('PUT', `/api/projects/${projectId}/files/${file.id}/content`, { token: owner.accessToken, body: { content: 'one\ntwo\n' } }));
    await ok(api.post(`/api/projects/${projectId}/files`, { path: 'later.md', content: 'x\n' }, owner.accessToken));
    const latest = await ok(api.post('/api/collaboration/chat', { roomId, text: 'said later' }, owner.accessToken));
    const events = (await ok(api.get(`/api/projects/${projectId}/audit/events?limit=1000`, owner.accessToken))).events as { event: { position: number } }[];
    const thenIndex = events.map((e) => e.event.position).lastIndexOf(then);
    expect(thenIndex).toBeGreaterThan(0);

    const { page, context, errors } = await openPage(suite.browser, suite.server.baseUrl);
    try {
      await step('flow-time-slider', [page], async () => {
        await signInThroughUi(page, owner);
        await page.goto(`/projects/${projectId}`);
        await page.getByRole('heading', { name: 'Almanac' }).waitFor();
        await page.getByText('Time travel').click();
        const asOf = page.getByTestId('as-of');
        await page.locator(`[data-testid="as-of"][data-position="${latest.position}"]`).waitFor();
        expect(await asOf.getByTestId('chat-then').innerText()).toContain('said later');

        await page.getByLabel(/^As of/).fill(String(thenIndex));
        await page.locator(`[data-testid="as-of"][data-position="${then}"]`).waitFor();
        await asOf.getByTestId('chat-then').waitFor();
        const shown = async (id: string) => (await asOf.getByTestId(id).locator('li').allInnerTexts()).map((t) => t.split(/\s|:/)[0]);
        expect(await shown('files-then')).toEqual(filesThen);
        expect(await shown('members-then')).toEqual(membersThen);
        expect((await asOf.getByTestId('chat-then').locator('li').allInnerTexts()).map((t) => t.replace(/^tess: /, ''))).toEqual(chatThen);

        await page.getByLabel('Compare with another moment').check();
        const changes = page.getByTestId('changes');
        await changes.getByText(`From position ${then} to ${latest.position}`).waitFor();
        const listed = await changes.locator('li').allInnerTexts();
        expect(listed).toEqual(expect.arrayContaining(['file later.md added', 'bob joined as viewer', expect.stringMatching(/^file notes\.md: v\d+ → v\d+$/)]));
        await changes.getByLabel('Diff of').selectOption({ label: 'notes.md' });
        const diff = page.getByTestId('diff');
        await diff.waitFor();
        expect(await diff.locator('span.added').allInnerTexts()).toEqual(['+ two']);
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, FLOW_MS);
});
