import { PresenceReporter, type PresenceState } from './presence-reporter.js';

/** The two browser objects the reporter listens to, as plain event targets (Node has no DOM). */
function fakeBrowser() {
  const page = Object.assign(new EventTarget(), { visibilityState: 'visible' as 'visible' | 'hidden' });
  Object.assign(globalThis, { window: new EventTarget(), document: page });
  return page;
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the presence this browser reports', () => {
  let sent: PresenceState[];
  let reporter: PresenceReporter;
  const last = () => sent[sent.length - 1];

  beforeEach(() => {
    sent = [];
  });
  afterEach(() => reporter.stop());

  it('is online while active, typing from a keystroke until a pause, and away after a quiet spell', async () => {
    fakeBrowser();
    reporter = new PresenceReporter(async (state) => void sent.push(state), { awayAfterMs: 400, typingIdleMs: 100 });
    reporter.start();
    reporter.view('file-1');
    expect(last()).toEqual({ status: 'online', typing: false, viewing: 'file-1' });
    reporter.typed();
    expect(last()).toEqual({ status: 'online', typing: true, viewing: 'file-1' });
    await until(() => last()!.typing === false);
    expect(last()!.status).toBe('online');
    await until(() => last()!.status === 'away');
    expect(last()).toEqual({ status: 'away', typing: false, viewing: 'file-1' });
    window.dispatchEvent(new Event('keydown'));
    expect(last()!.status).toBe('online');
  });

  it('is away while the tab is hidden, and sends only changes', async () => {
    const page = fakeBrowser();
    reporter = new PresenceReporter(async (state) => void sent.push(state), { awayAfterMs: 60_000, typingIdleMs: 100 });
    reporter.start();
    window.dispatchEvent(new Event('pointermove'));
    window.dispatchEvent(new Event('pointermove'));
    expect(sent).toHaveLength(1);
    page.visibilityState = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    expect(last()!.status).toBe('away');
    page.visibilityState = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    expect(last()!.status).toBe('online');
    expect(sent).toHaveLength(3);
  });

  it('sends again after a reconnect, and retries what could not be sent', async () => {
    fakeBrowser();
    let connected = false;
    reporter = new PresenceReporter(async (state) => {
      if (!connected) throw new Error('offline');
      sent.push(state);
    }, { awayAfterMs: 60_000, typingIdleMs: 100 });
    reporter.start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    connected = true;
    reporter.forget();
    expect(sent).toEqual([{ status: 'online', typing: false, viewing: null }]);
  });
});
