import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { treeHeadMessage, treeHeadSignatureProblem, type SignedTreeHead } from '@resoft/domain';
import { loadAuditKeyRing, rotateAuditKey } from './audit-key-ring.js';

function signedBy(ring: ReturnType<typeof loadAuditKeyRing>): SignedTreeHead {
  const head = { treeSize: 3, lastPosition: 3, rootHash: 'ab'.repeat(32), timestamp: '2026-01-01T00:00:00.000Z', keyId: ring.activeKeyId };
  return { ...head, signature: ring.sign(treeHeadMessage(head)) };
}

describe('the audit key ring', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-keys-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates one key in the data directory and finds the same one again', () => {
    const first = loadAuditKeyRing(dir, undefined);
    expect(loadAuditKeyRing(dir, undefined).activeKeyId).toBe(first.activeKeyId);
    expect(first.publicKeys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', kid: first.activeKeyId, alg: 'EdDSA' })]);
    expect(fs.statSync(path.join(dir, 'keys', 'audit', `${first.activeKeyId}.pem`)).mode & 0o077).toBe(0);
  });

  it('signs with the new key after a rotation and still trusts heads signed by the old one', () => {
    const before = loadAuditKeyRing(dir, undefined);
    const oldHead = signedBy(before);
    const newId = rotateAuditKey(dir);
    const after = loadAuditKeyRing(dir, undefined);
    expect(after.activeKeyId).toBe(newId);
    expect(after.publicKeys.map((k) => k.kid)).toEqual([newId, before.activeKeyId]);
    expect(treeHeadSignatureProblem(oldHead, after.publicKeys)).toBeNull();
    expect(treeHeadSignatureProblem(signedBy(after), after.publicKeys)).toBeNull();
    expect(treeHeadSignatureProblem(signedBy(after), before.publicKeys)).toContain('not a trusted key');
  });

  it('signs with a configured key and refuses one that is not Ed25519', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const configured = loadAuditKeyRing(dir, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    expect(configured.publicKeys[0]!.kid).toBe(configured.activeKeyId);
    expect(configured.publicKeys.length).toBe(3);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(() => loadAuditKeyRing(dir, rsa)).toThrow('not an Ed25519 private key');
  });

  it('gives processes that start together on a fresh data directory one and the same first key', async () => {
    // The distributed services start side by side; each used to write its own first key, and one then
    // found the pointer naming another's key that its directory listing had missed.
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-keys-race-'));
    const built = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/audit-log/audit-key-ring.js');
    const script = `const { loadAuditKeyRing } = await import(${JSON.stringify(built)}); process.stdout.write(loadAuditKeyRing(${JSON.stringify(fresh)}, undefined).activeKeyId);`;
    try {
      const runs = await Promise.all(Array.from({ length: 8 }, () => promisify(execFile)(process.execPath, ['--input-type=module', '-e', script])));
      const ids = new Set(runs.map((run) => run.stdout));
      expect(ids.size).toBe(1);
      expect(new Set(fs.readdirSync(path.join(fresh, 'keys', 'audit')))).toEqual(new Set([`${[...ids][0]}.pem`, 'active']));
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  }, 60_000);
});
