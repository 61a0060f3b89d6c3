/**
 * The Ed25519 keys that sign tree heads: the active one signs, all of them
 * (retired ones too) stay trusted so old tree heads keep verifying after a
 * rotation. Kept in `<data dir>/keys/audit/<kid>.pem` with `active` naming
 * the signing key, or given by configuration (RESOFT_AUDIT_SIGNING_KEY, a
 * PKCS#8 PEM), which then signs. Key ids are RFC 7638 thumbprints.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AuditPublicKey } from '@resoft/domain';

export interface AuditKeyRing {
  readonly activeKeyId: string;
  /** Every trusted public key, the active one first (the JWKS). */
  readonly publicKeys: readonly AuditPublicKey[];
  /** Base64 Ed25519 signature with the active key. */
  sign(message: Buffer): string;
}

function publicJwk(privateKey: KeyObject): AuditPublicKey {
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string };
  const kid = createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');
  return { kty: 'OKP', crv: 'Ed25519', x, kid, use: 'sig', alg: 'EdDSA' };
}

function parsePrivateKey(pem: string, source: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${source} is not an Ed25519 private key`);
  return key;
}

const keyDirectory = (dataDir: string) => path.join(dataDir, 'keys', 'audit');

/** Writes a fresh key and makes it the signing key; returns its id. */
export function rotateAuditKey(dataDir: string): string {
  const dir = keyDirectory(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const { kid } = publicJwk(privateKey);
  fs.writeFileSync(path.join(dir, `${kid}.pem`), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  // Written aside then renamed, so a reader never sees half a key id.
  const tmp = path.join(dir, `active.${process.pid}.tmp`);
  fs.writeFileSync(tmp, kid, { mode: 0o600 });
  fs.renameSync(tmp, path.join(dir, 'active'));
  return kid;
}

export function loadAuditKeyRing(dataDir: string, configuredPem: string | undefined): AuditKeyRing {
  const dir = keyDirectory(dataDir);
  const stored = new Map<string, KeyObject>();
  if (fs.existsSync(dir)) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.pem'))) {
      const key = parsePrivateKey(fs.readFileSync(path.join(dir, file), 'utf8'), file);
      stored.set(publicJwk(key).kid, key);
    }
  }
  let active: KeyObject;
  if (configuredPem) {
    active = parsePrivateKey(configuredPem, 'RESOFT_AUDIT_SIGNING_KEY');
  } else {
    if (stored.size === 0 || !fs.existsSync(path.join(dir, 'active'))) {
      try {
        rotateAuditKey(dataDir);
      } catch (error) {
        // Another process created the first key at the same moment: use theirs.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      return loadAuditKeyRing(dataDir, undefined);
    }
    const activeId = fs.readFileSync(path.join(dir, 'active'), 'utf8').trim();
    const found = stored.get(activeId);
    if (!found) throw new Error(`the active audit key ${activeId} has no file in ${dir}`);
    active = found;
  }
  const activeJwk = publicJwk(active);
  const publicKeys = [activeJwk, ...[...stored.values()].map(publicJwk).filter((k) => k.kid !== activeJwk.kid)];
  return { activeKeyId: activeJwk.kid, publicKeys, sign: (message) => sign(null, message, active).toString('base64') };
}
