/** A fixed-window counter per key, in process. Old windows are swept so memory stays bounded. */
import { HttpError } from './http-errors.js';

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws a 429 HttpError with Retry-After when `key` is over its limit. */
  take(key: string): void {
    const now = this.now();
    if (this.windows.size > 10_000) this.sweep(now);
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      return;
    }
    window.count += 1;
    if (window.count > this.limit) {
      const retryAfter = Math.ceil((window.start + this.windowMs - now) / 1000);
      throw new HttpError(429, 'rate_limited', `Too many attempts; try again in ${retryAfter} s`, undefined, { 'Retry-After': String(retryAfter) });
    }
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(key);
    }
  }
}
