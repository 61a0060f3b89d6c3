/**
 * The key store port: one AES-256 data key per user, which seals that user's personal data in events.
 * Destroying a key is what erases the user (crypto-shredding): the events stay, their personal fields can
 * no longer be opened. A destroyed key leaves a tombstone, so the user is known as erased and never gets
 * a new key. Every adapter passes `key-store.contract.ts`.
 */

export type DataKeyStatus =
  | { readonly status: 'active'; readonly key: Buffer }
  | { readonly status: 'erased'; readonly erasedAt: string };

/** 32 bytes: AES-256. */
export const DATA_KEY_BYTES = 32;

export interface KeyStore {
  /** The user's key, or their tombstone, or null for a user who never had a key (data written before sealing). */
  find(ownerId: string): Promise<DataKeyStatus | null>;
  /**
   * The user's key, made (random, from node's crypto) when they have none yet; null when they were erased.
   * Two processes asking at once get the same key.
   */
  keyFor(ownerId: string): Promise<Buffer | null>;
  /**
   * Destroys the key and records the tombstone (idempotent). Where the engine allows it, the key's bytes
   * are gone from its files when this returns (SQLite: secure_delete and a truncating WAL checkpoint).
   */
  destroy(ownerId: string, erasedAt?: string): Promise<void>;
  close(): Promise<void>;
}
