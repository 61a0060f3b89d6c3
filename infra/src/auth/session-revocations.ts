/**
 * Signed-out sessions whose access tokens must stop working before they expire. A revocation is put
 * on a list in the ephemeral store (session id → when the session's last access token expires),
 * announced on a channel, and mirrored in every process, so checking a request costs a Map lookup.
 * The channel brings a revocation at once; re-reading the list every `pollMs` catches any message
 * pub/sub lost (it is at most once), so a revoked token stops working everywhere within `pollMs`.
 * If the ephemeral store is away, the revocation still holds in the process that made it and for
 * refresh tokens (the session stream is revoked); other processes learn it when the store returns.
 */
import type { Ephemeral } from '@resoft/ports';
import type { Logger } from '../logging/logger.js';

const LIST = 'revoked-sessions';
const CHANNEL = 'session-revoked';

export interface SessionRevocationsOptions {
  readonly pollMs: number;
  readonly logger?: Logger;
  readonly now?: () => number;
}

export class SessionRevocations {
  private readonly revoked = new Map<string, number>();
  private readonly listeners = new Set<(sessionId: string) => void>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(
    private readonly ephemeral: Ephemeral,
    private readonly options: SessionRevocationsOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Loads the list, follows the channel and starts polling; a store that is away is retried by the poll. */
  async start(): Promise<void> {
    try {
      this.unsubscribe = await this.ephemeral.subscribe(CHANNEL, (message) => this.learn(message));
    } catch (error) {
      this.options.logger?.warn({ err: error }, 'revoked sessions: cannot follow the channel; polling only');
    }
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.unsubscribe?.().catch(() => undefined);
    this.unsubscribe = null;
  }

  /** Revokes the session's access tokens until `untilMs`, here at once and in every other process within `pollMs`. */
  async revoke(sessionId: string, untilMs: number): Promise<void> {
    this.learn(JSON.stringify({ sessionId, untilMs }));
    try {
      await this.ephemeral.revoke(LIST, sessionId, untilMs);
      await this.ephemeral.publish(CHANNEL, JSON.stringify({ sessionId, untilMs }));
    } catch (error) {
      this.options.logger?.warn({ err: error, sessionId }, 'revoked sessions: the ephemeral store is away; other processes learn of this revocation when it returns');
    }
  }

  isRevoked(sessionId: string): boolean {
    const until = this.revoked.get(sessionId);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.revoked.delete(sessionId);
    return false;
  }

  /** Calls `listener` once per newly learnt revocation (to close that session's sockets); returns the unsubscribe. */
  onRevoked(listener: (sessionId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async refresh(): Promise<void> {
    try {
      const listed = await this.ephemeral.revoked(LIST);
      for (const [sessionId, untilMs] of listed) this.add(sessionId, untilMs);
      const now = this.now();
      for (const [sessionId, until] of this.revoked) if (until <= now) this.revoked.delete(sessionId);
    } catch (error) {
      this.options.logger?.debug({ err: error }, 'revoked sessions: the list could not be read; trying again');
    }
  }

  private learn(message: string): void {
    try {
      const { sessionId, untilMs } = JSON.parse(message) as { sessionId: unknown; untilMs: unknown };
      if (typeof sessionId === 'string' && typeof untilMs === 'number') this.add(sessionId, untilMs);
    } catch {
      // Not ours: ignore.
    }
  }

  private add(sessionId: string, untilMs: number): void {
    if (untilMs <= this.now()) return;
    const known = this.revoked.get(sessionId);
    this.revoked.set(sessionId, Math.max(untilMs, known ?? 0));
    if (known !== undefined) return;
    for (const listener of this.listeners) {
      try {
        listener(sessionId);
      } catch (error) {
        this.options.logger?.warn({ err: error }, 'revoked sessions: a listener failed');
      }
    }
  }
}
