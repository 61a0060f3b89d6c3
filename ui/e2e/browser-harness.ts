/**
 * What the browser end-to-end tests share: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), the real all-in-one server serving the built UI, a screenshot of the page
 * whenever a step fails (to test-results/ui-e2e/, git-ignored), and console errors collected so a
 * test can insist there were none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from '@resoft/testkit';

const here = path.dirname(fileURLToPath(import.meta.url));
export const uiDist = path.resolve(here, '../dist');
export const screenshotDir = path.resolve(here, '../../test-results/ui-e2e');
/** Jest time limits: the first Chromium start on a busy 2-core machine builds its font cache. */
export const BROWSER_START_MS = 90_000;
export const FLOW_MS = 120_000;
const CANDIDATES = [process.env['RESOFT_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));

/** Why the browser tests cannot run here, or null when they can. */
export function unavailableReason(): string | null {
  if (!CANDIDATES.some((p) => fs.existsSync(p))) return `no Chromium at ${CANDIDATES.join(' or ')}: install it with apt-get install -y chromium (.ci/run does)`;
  if (!fs.existsSync(path.join(uiDist, 'index.html'))) return `the UI is not built (${uiDist}): run npm run build:ui`;
  return null;
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = CANDIDATES.find((p) => fs.existsSync(p))!;
  return chromium.launch({ executablePath, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'] });
}

export interface WatchedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far (not the browser's notes of 4xx answers the UI handled). */
  readonly errors: string[];
}

export async function openPage(browser: Browser, baseURL: string): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { page, context, errors };
}

/** Runs a step of a flow; when it fails, saves a screenshot of every page given, named after the flow. */
export async function step<T>(flow: string, pages: readonly Page[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    fs.mkdirSync(screenshotDir, { recursive: true });
    await Promise.all(pages.map((p, i) => p.screenshot({ path: path.join(screenshotDir, `${flow.replace(/\W+/g, '-')}-${i + 1}.png`), fullPage: true }).catch(() => undefined)));
    throw error;
  }
}

/** Signs up through the UI's register page (which signs in) and waits for the project list. */
export async function registerThroughUi(page: Page, username: string, password = 'correct horse battery'): Promise<void> {
  await page.goto('/register');
  await page.getByLabel('Email').fill(`${username}@example.com`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Your projects' }).waitFor();
}

export interface AlertsSeen {
  readonly notifications: { title: string; body: string }[];
  readonly tones: number;
}

/**
 * Grants notification permission to the site and records, in every page of the context, each
 * desktop notification the page shows (the browser's own Notification, wrapped) and each WebAudio
 * tone it starts, for `alertsSeen`.
 */
export async function observeAlerts(context: BrowserContext, origin: string): Promise<void> {
  await context.grantPermissions(['notifications'], { origin });
  await context.addInitScript(() => {
    const seen = { notifications: [] as { title: string; body: string }[], tones: 0 };
    (window as unknown as { seenAlerts: typeof seen }).seenAlerts = seen;
    const Real = window.Notification;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        seen.notifications.push({ title, body: options?.body ?? '' });
        super(title, options);
      }
    }
    Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
    Object.defineProperty(Recorded, 'requestPermission', { value: Real.requestPermission.bind(Real) });
    window.Notification = Recorded;
    const createOscillator = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      seen.tones += 1;
      return createOscillator.call(this);
    };
  });
}

export const alertsSeen = (page: Page): Promise<AlertsSeen> => page.evaluate(() => (window as unknown as { seenAlerts: AlertsSeen }).seenAlerts);

/** The real server and a Chromium, started once for a suite's tests. */
export interface ChromiumSuite {
  readonly server: TestServer;
  readonly browser: Browser;
}

/**
 * A `describe` whose tests get a fresh all-in-one server and a Chromium (`suite.server`,
 * `suite.browser`, set before the first test, stopped after the last); skipped, with the reason
 * printed, when Chromium or the UI build is missing.
 */
export function describeInChromium(label: string, title: string, define: (suite: ChromiumSuite) => void): void {
  const reason = unavailableReason();
  if (reason) console.warn(`browser e2e (${label}) skipped: ${reason}`);
  (reason ? describe.skip : describe)(title, () => {
    const suite = {} as { server: TestServer; browser: Browser };
    beforeAll(async () => {
      suite.server = await startTestServer();
      suite.browser = await launchBrowser();
    }, BROWSER_START_MS);
    afterAll(async () => {
      await suite.browser?.close();
      await suite.server?.stop();
    });
    define(suite);
  });
}
