/** Browser flows 1 and 2: register, sign in, sign out, guarded routes; create a project and add a member. */
import { ApiClient } from '@resoft/testkit';
import { FLOW_MS, openPage, registerThroughUi, step, describeInChromium } from './browser-harness.js';

describeInChromium('auth, projects', 'the UI in Chromium: accounts and projects', (suite) => {

  it('registers, signs out, keeps guarded pages behind sign-in, and signs back in to where the user was going', async () => {
    const { page, context, errors } = await openPage(suite.browser, suite.server.baseUrl);
    try {
      await step('flow1-register-sign-in-out', [page], async () => {
        await page.goto('/projects');
        await page.waitForURL('**/sign-in?next=%2Fprojects');
        await page.getByRole('heading', { name: 'Sign in' }).waitFor();

        await registerThroughUi(page, 'ann');
        expect(await page.getByTestId('current-user').textContent()).toBe('ann');

        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByRole('heading', { name: 'Sign in' }).waitFor();
        await page.goto('/checker');
        await page.waitForURL('**/sign-in?next=%2Fchecker');

        await page.getByLabel('Email').fill('ann@example.com');
        await page.getByLabel('Password').fill('not her password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();

        await page.getByLabel('Password').fill('correct horse battery');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL('**/checker');
        expect(await page.getByTestId('current-user').textContent()).toBe('ann');

        // A reload keeps the session; the sign-in page sends a signed-in user on.
        await page.reload();
        await page.goto('/sign-in');
        await page.waitForURL('**/projects');
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, FLOW_MS);

  it('creates a project, adds a member by username, changes the role, and the member sees the project', async () => {
    const api = new ApiClient(suite.server.baseUrl);
    await api.signUp('bob');
    const { page, context, errors } = await openPage(suite.browser, suite.server.baseUrl);
    try {
      await step('flow2-project-members', [page], async () => {
        await registerThroughUi(page, 'cat');
        await page.getByText('You are not in any project yet').waitFor();
        await page.getByLabel('Name').fill('Apollo');
        await page.getByLabel('Description').fill('Moon shot');
        await page.getByRole('button', { name: 'Create project' }).click();
        await page.getByRole('heading', { name: 'Apollo' }).waitFor();
        await page.getByText('Members (1)').click();

        await page.getByLabel('Username').fill('nobody-by-that-name');
        await page.getByRole('button', { name: 'Add member' }).click();
        await page.getByRole('alert').filter({ hasText: 'There is no user named nobody-by-that-name.' }).waitFor();

        await page.getByLabel('Username').fill('bob');
        await page.getByLabel('Role', { exact: true }).selectOption('viewer');
        await page.getByRole('button', { name: 'Add member' }).click();
        await page.getByText('Members (2)').waitFor();
        await page.getByLabel('Role of bob').waitFor();
        expect(await page.getByLabel('Role of bob').inputValue()).toBe('viewer');
        await page.getByLabel('Role of bob').selectOption('editor');
        await page.getByText('Role changed to editor.').waitFor();

        const projectId = new URL(page.url()).pathname.split('/')[2]!;
        const bob = await api.post('/api/auth/login', { email: 'bob@example.com', password: 'correct horse battery' });
        const members = await api.get(`/api/projects/${projectId}/members`, bob.body.accessToken);
        expect(members.body.items.map((m: { username: string; role: string }) => [m.username, m.role])).toEqual([['cat', 'owner'], ['bob', 'editor']]);

        await page.getByRole('link', { name: 'Projects' }).click();
        await page.getByRole('link', { name: /Apollo/ }).waitFor();
        expect(await page.getByRole('list', { name: 'Projects' }).textContent()).toContain('2 members');
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, FLOW_MS);
});
