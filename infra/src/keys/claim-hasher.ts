/**
 * Keyed hashes for uniqueness claims (HMAC-SHA-256 with a server secret), so a claim stream's name says
 * nothing about the email or username behind it, even to someone with a dictionary of addresses. The
 * secret comes from configuration or is made once and kept in the data directory (`keys/claim-hmac.key`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type ClaimKind = 'email' | 'username';

export class ClaimHasher {
  constructor(private readonly secret: Uint8Array) {}

  /** Emails and usernames compare without case (and emails without surrounding space), as registration does. */
  hash(kind: ClaimKind, value: string): string {
    const normalized = kind === 'email' ? value.trim().toLowerCase() : value.toLowerCase();
    return createHmac('sha256', this.secret).update(`${kind}:${normalized}`).digest('hex');
  }
}

export function loadOrCreateClaimSecret(dataDir: string, configured: string | undefined): Uint8Array {
  if (configured) return new TextEncoder().encode(configured);
  const file = path.join(dataDir, 'keys', 'claim-hmac.key');
  try {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('hex');
  try {
    // 'wx' so two processes starting together cannot both write a secret.
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  }
  return Buffer.from(secret, 'hex');
}
