/**
 * Keeps a process's recent answers of the key store in memory, so writes and reads that need a user's
 * key do not reach the engine every time, and keep working through a short outage of it (with MONGO_URL
 * the key store lives in MongoDB beside the read models; a frozen read store must not stop commands
 * that only append). A tombstone is kept for good (erasure is final); an active key for `ttlMs`, so a
 * key another process destroyed is forgotten here within that time, and at once when this process
 * destroys it. docs/audit.md lists this among what erasure does not reach at once.
 */
import type { DataKeyStatus, KeyStore } from '@resoft/ports';

/** How long a process keeps a user's active key after reading it from the store. */
export const KEY_CACHE_TTL_MS = 60_000;

interface Cached {
  readonly status: DataKeyStatus;
  readonly until: number;
}

export class CachingKeyStore implements KeyStore {
  private readonly cached = new Map<string, Cached>();

  constructor(
    private readonly store: KeyStore,
    private readonly ttlMs = KEY_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async find(ownerId: string): Promise<DataKeyStatus | null> {
    const hit = this.fresh(ownerId);
    if (hit) return hit;
    const status = await this.store.find(ownerId);
    if (status) this.remember(ownerId, status);
    return status;
  }

  async keyFor(ownerId: string): Promise<Buffer | null> {
    const hit = this.fresh(ownerId);
    if (hit) return hit.status === 'active' ? hit.key : null;
    const key = await this.store.keyFor(ownerId);
    this.remember(ownerId, key ? { status: 'active', key } : { status: 'erased', erasedAt: new Date(this.now()).toISOString() });
    return key;
  }

  async destroy(ownerId: string, erasedAt?: string): Promise<void> {
    this.cached.delete(ownerId);
    await this.store.destroy(ownerId, erasedAt);
    this.cached.delete(ownerId);
  }

  close(): Promise<void> {
    this.cached.clear();
    return this.store.close();
  }

  private fresh(ownerId: string): DataKeyStatus | null {
    const hit = this.cached.get(ownerId);
    if (!hit) return null;
    if (hit.status.status === 'erased' || hit.until > this.now()) return hit.status;
    this.cached.delete(ownerId);
    return null;
  }

  private remember(ownerId: string, status: DataKeyStatus): void {
    this.cached.set(ownerId, { status, until: this.now() + this.ttlMs });
  }
}
