import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClaimHasher, loadOrCreateClaimSecret } from './claim-hasher.js';

describe('keyed claim hashes', () => {
  const hasher = new ClaimHasher(Buffer.alloc(32, 1));

  it('name a value the same way whatever its case (and an email whatever its surrounding space)', () => {
    expect(hasher.hash('email', ' Ann@Example.com ')).toBe(hasher.hash('email', 'ann@example.com'));
    expect(hasher.hash('username', 'Ann')).toBe(hasher.hash('username', 'ann'));
  });

  it('say nothing of the value: not its text, and not its plain SHA-256', () => {
    const hash = hasher.hash('email', 'ann@example.com');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toBe(createHash('sha256').update('ann@example.com').digest('hex'));
    expect(new ClaimHasher(Buffer.alloc(32, 2)).hash('email', 'ann@example.com')).not.toBe(hash);
  });

  it('keep emails and usernames apart', () => {
    expect(hasher.hash('email', 'ann')).not.toBe(hasher.hash('username', 'ann'));
  });
});

describe('the claim secret in the data directory', () => {
  it('is made once and read back by every later caller, unless one is configured', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-claim-secret-'));
    try {
      const first = loadOrCreateClaimSecret(dir, undefined);
      expect(first).toHaveLength(32);
      expect(loadOrCreateClaimSecret(dir, undefined)).toEqual(first);
      expect(fs.readdirSync(path.join(dir, 'keys'))).toEqual(['claim-hmac.key']);
      expect(Buffer.from(loadOrCreateClaimSecret(dir, 'c'.repeat(32))).toString()).toBe('c'.repeat(32));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
