/**
 * The main pages compared with committed baseline screenshots (ui/e2e/baselines/), with a tolerance
 * for anti-aliasing. A missing baseline is written (and said so); UPDATE_UI_BASELINES=1 rewrites them
 * after an intended change. On a mismatch the actual picture and the difference go to test-results/ui-e2e/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { FLOW_MS, openPage, registerThroughUi, screenshotDir, describeInChromium } from './browser-harness.js';

const baselines = path.join(path.dirname(fileURLToPath(import.meta.url)), 'baselines');
/** Share of pixels that may differ (colour distance over pixelmatch's 0.1 threshold). */
const TOLERANCE = 0.01;

async function compare(page: Page, name: string): Promise<void> {
  const actual = PNG.sync.read(await page.screenshot({ animations: 'disabled', caret: 'hide' }));
  const file = path.join(baselines, `${name}.png`);
  if (!fs.existsSync(file) || process.env['UPDATE_UI_BASELINES'] === '1') {
    fs.mkdirSync(baselines, { recursive: true });
    fs.writeFileSync(file, PNG.sync.write(actual));
    console.warn(`visual baseline ${name}: written to ${file} (commit it)`);
    return;
  }
  const expected = PNG.sync.read(fs.readFileSync(file));
  expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
  const diff = new PNG({ width: actual.width, height: actual.height });
  const different = pixelmatch(expected.data, actual.data, diff.data, actual.width, actual.height, { threshold: 0.1 });
  const share = different / (actual.width * actual.height);
  if (share > TOLERANCE) {
    fs.mkdirSync(screenshotDir, { recursive: true });
    fs.writeFileSync(path.join(screenshotDir, `${name}-actual.png`), PNG.sync.write(actual));
    fs.writeFileSync(path.join(screenshotDir, `${name}-diff.png`), PNG.sync.write(diff));
  }
  expect({ page: name, differentShare: share <= TOLERANCE ? 'within tolerance' : share.toFixed(4) }).toEqual({ page: name, differentShare: 'within tolerance' });
}

describeInChromium('visual baselines', 'the UI in Chromium: main pages look as committed', (suite) => {

  it('sign-in, register and an empty project list match their baselines', async () => {
    const { page, context } = await openPage(suite.browser, suite.server.baseUrl);
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto('/sign-in');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await compare(page, 'sign-in');
      await page.goto('/register');
      await page.getByRole('heading', { name: 'Create an account' }).waitFor();
      await compare(page, 'register');
      await registerThroughUi(page, 'baseline');
      await page.getByText('You are not in any project yet').waitFor();
      await compare(page, 'projects-empty');
    } finally {
      await context.close();
    }
  }, FLOW_MS);
});
