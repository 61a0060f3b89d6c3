/**
 * Fixed-window rate limits counted in the ephemeral store, so every instance
 * of a service shares one count (in process by default, Redis when
 * configured). When the store cannot answer, requests are let through: a
 * rate limit is not worth an outage.
 */
import type { Ephemeral } from '@resoft/ports';
import { HttpError } from './http-errors.js';

export class RateLimiter {
  constructor(
    private readonly ephemeral: Ephemeral,
    private readonly name: string,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly onUnavailable: (error: unknown) => void = () => undefined,
    /** Opens the 429 message, e.g. "Too many chat messages". */
    private readonly tooMany = 'Too many attempts',
  ) {}

  /** The most hits per window, for messages and documentation. */
  get perWindow(): number {
    return this.limit;
  }

  /** Throws a 429 HttpError with Retry-After when `key` is over its limit. */
  async take(key: string): Promise<void> {
    let count: number;
    try {
      count = await this.ephemeral.hit(`rate:${this.name}:${key}`, this.windowMs);
    } catch (error) {
      this.onUnavailable(error);
      return;
    }
    if (count > this.limit) {
      // The window's end is not known here; its length is an upper bound on the wait.
      const retryAfter = Math.ceil(this.windowMs / 1000);
      throw new HttpError(429, 'rate_limited', `${this.tooMany}; try again in at most ${retryAfter} s`, undefined, { 'Retry-After': String(retryAfter) });
    }
  }
}
