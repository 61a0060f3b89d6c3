/**
 * The Content-Security-Policy the server sends is enforced by Chromium and the UI works under it: the
 * pages load (the editor page with Automerge's WebAssembly is covered by collaboration.e2e.spec.ts,
 * which fails on any console error), Swagger UI at /api/docs renders, no policy violation is
 * reported, and an injected inline script is refused.
 */
import type { Page } from 'playwright-core';
import { FLOW_MS, openPage, registerThroughUi, step, describeInChromium } from './browser-harness.js';

/** Records every CSP violation the page reports, from the moment the document starts. */
async function recordViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

const violations = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

describeInChromium('content security policy', 'the UI in Chromium under the Content-Security-Policy', (suite) => {
  it('runs the UI and the API docs without a violation, and refuses an injected inline script', async () => {
    const { page, context, errors } = await openPage(suite.browser, suite.server.baseUrl);
    try {
      await recordViolations(page);
      await step('csp-ui', [page], async () => {
        const answer = await page.goto('/sign-in');
        expect(answer?.headers()['content-security-policy']).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
        await registerThroughUi(page, 'cspuser');
        await page.getByLabel('Name').fill('Policy');
        await page.getByRole('button', { name: 'Create project' }).click();
        await page.getByRole('heading', { name: 'Policy' }).waitFor();
        await page.goto('/checker');
        await page.getByRole('button', { name: /Run check/ }).waitFor();
        expect(await violations(page)).toEqual([]);

        // The policy is in force: an inline script someone managed to inject does not run.
        const ran = await page.evaluate(async () => {
          const script = document.createElement('script');
          script.textContent = 'window.injected = true';
          document.body.append(script);
          await new Promise((resolve) => setTimeout(resolve, 50));
          return (window as unknown as { injected?: boolean }).injected === true;
        });
        expect(ran).toBe(false);
        expect((await violations(page)).some((v) => v.startsWith('script-src'))).toBe(true);
      });
      errors.splice(0, errors.length, ...errors.filter((e) => !/Content Security Policy/.test(e) || !/inline script/i.test(e)));

      await step('csp-api-docs', [page], async () => {
        await page.goto('/api/docs');
        await page.locator('.opblock').first().waitFor();
        expect(await violations(page)).toEqual([]);
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, FLOW_MS);
});
