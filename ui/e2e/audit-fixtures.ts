/** What the audit page and time slider browser tests share: signing a user in through the UI, and waiting for a signed tree head. */
import type { Page } from 'playwright-core';
import type { ApiClient, Session } from '@resoft/testkit';

export async function signInThroughUi(page: Page, session: Session, password = 'correct horse battery'): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(session.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Your projects' }).waitFor();
}

/** Waits until a signed tree head covers `position` (tree heads are signed every 200 ms in tests). */
export async function waitForTreeHead(api: ApiClient, token: string, position: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const heads = await api.get('/api/audit/tree-heads?limit=1', token);
    if ((heads.body.latest?.lastPosition ?? 0) >= position) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no signed tree head covers position ${position}`);
}
