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
  // Written whole under a private name, then linked into place: a process starting at the same moment
  // either finds no file or the complete secret, never a half-written one, and only one link wins.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(draft, randomBytes(32).toString('hex'), { mode: 0o600 });
  try {
    fs.linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(draft, { force: true });
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
}
