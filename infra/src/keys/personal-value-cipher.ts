/**
 * Seals one personal value with its owner's data key: AES-256-GCM (node's crypto), a random 96-bit IV per
 * value, the owner's id as associated data (a sealed value copied into another user's event does not open).
 * Stored as `v1.<iv>.<ciphertext>.<tag>`, base64url parts.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SealedValue } from '@resoft/domain';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const VERSION = 'v1';

export function sealValue(key: Buffer, ownerId: string, clear: string): SealedValue {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(ownerId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
  return { sealed: [VERSION, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.') };
}

/** The clear value; throws when the value was not sealed with this key for this owner (or was altered). */
export function openValue(key: Buffer, ownerId: string, value: SealedValue): string {
  const [version, iv, ciphertext, tag] = value.sealed.split('.');
  if (version !== VERSION || iv === undefined || ciphertext === undefined || tag === undefined) throw new Error(`Unknown sealed value format: ${version ?? ''}`);
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(ownerId, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
