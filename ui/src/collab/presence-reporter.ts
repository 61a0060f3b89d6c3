/**
 * Tells the gateway how this user is present: `online` while active, `away` after a quiet spell
 * or while the tab is hidden, `typing` from a keystroke until a short pause, and which file they
 * view. Only changes are sent, so moving the mouse costs nothing on the wire.
 */
import type { ClientFrame } from '@resoft/contracts/socket';

export interface PresenceState {
  readonly status: Extract<ClientFrame, { type: 'collaboration:presence' }>['status'];
  readonly typing: boolean;
  readonly viewing: string | null;
}

export interface PresenceReporterOptions {
  /** No keyboard or pointer activity for this long (tab visible) means away. */
  readonly awayAfterMs: number;
  /** Typing stops being reported this long after the last keystroke. */
  readonly typingIdleMs: number;
}

export const defaultPresenceReporterOptions: PresenceReporterOptions = { awayAfterMs: 60_000, typingIdleMs: 2_500 };

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'focus'] as const;

export class PresenceReporter {
  private sent: PresenceState | null = null;
  private viewing: string | null = null;
  private typingUntil = 0;
  private lastActivity = Date.now();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly onActivity = () => {
    this.lastActivity = Date.now();
    this.report();
  };
  private readonly onVisibility = () => this.report();

  constructor(
    private readonly send: (state: PresenceState) => Promise<void>,
    private readonly options: PresenceReporterOptions = defaultPresenceReporterOptions,
  ) {}

  start(): void {
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, this.onActivity, { passive: true, capture: true });
    document.addEventListener('visibilitychange', this.onVisibility);
    this.report();
  }

  stop(): void {
    for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, this.onActivity, { capture: true });
    document.removeEventListener('visibilitychange', this.onVisibility);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The file the user looks at (null: none). */
  view(fileId: string | null): void {
    this.viewing = fileId;
    this.report();
  }

  /** The user changed the text. */
  typed(): void {
    this.lastActivity = Date.now();
    this.typingUntil = this.lastActivity + this.options.typingIdleMs;
    this.report();
  }

  /** After a reconnect the gateway knows nothing: the next report goes out whatever it says. */
  forget(): void {
    this.sent = null;
    this.report();
  }

  private current(now: number): PresenceState {
    const hidden = document.visibilityState === 'hidden';
    const away = hidden || now - this.lastActivity >= this.options.awayAfterMs;
    return { status: away ? 'away' : 'online', typing: !away && now < this.typingUntil, viewing: this.viewing };
  }

  private report(): void {
    const now = Date.now();
    const state = this.current(now);
    const sent = this.sent;
    if (!sent || sent.status !== state.status || sent.typing !== state.typing || sent.viewing !== state.viewing) {
      this.sent = state;
      this.send(state).catch(() => {
        // Not connected: sent again after the reconnect (see forget).
        this.sent = null;
      });
    }
    // Wake up when the state would change by itself: typing ends, or the quiet spell turns into away.
    if (this.timer) clearTimeout(this.timer);
    const wakeAt = [state.typing ? this.typingUntil : Infinity, state.status === 'online' ? this.lastActivity + this.options.awayAfterMs : Infinity].reduce((a, b) => Math.min(a, b));
    this.timer = Number.isFinite(wakeAt) ? setTimeout(() => this.report(), Math.max(0, wakeAt - now) + 20) : null;
  }
}
