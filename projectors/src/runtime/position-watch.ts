/** A position that only moves forward, and waiters for it to reach a given value (bounded in time). */
import { EventEmitter } from 'node:events';

export class PositionWatch {
  private current = 0;
  private readonly progress = new EventEmitter();

  constructor() {
    this.progress.setMaxListeners(0);
  }

  get position(): number {
    return this.current;
  }

  /** Sets the position (also backwards, when a stored checkpoint says so) and wakes waiters it satisfies. */
  set(position: number): void {
    this.current = position;
    this.progress.emit('progress', position);
  }

  /** Resolves true once the position reaches `position`, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (this.current >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onProgress = (reached: number): void => {
        if (reached < position) return;
        clearTimeout(timer);
        this.progress.off('progress', onProgress);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.progress.off('progress', onProgress);
        resolve(false);
      }, timeoutMs);
      this.progress.on('progress', onProgress);
    });
  }
}
