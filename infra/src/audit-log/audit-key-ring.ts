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

/** Puts `content` at `target` whole: written aside, then linked (`exclusive`: fails with EEXIST if the target exists) or renamed over it. */
function placeWhole(dir: string, target: string, content: string, exclusive: boolean): void {
  const aside = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  fs.writeFileSync(aside, content, { mode: 0o600 });
  try {
    if (exclusive) fs.linkSync(aside, path.join(dir, target));
    else fs.renameSync(aside, path.join(dir, target));
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

function writeNewKey(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const { kid } = publicJwk(privateKey);
  // Placed whole, so a process loading the ring at that moment never parses half a key.
  placeWhole(dir, `${kid}.pem`, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, true);
  return kid;
}

/** Writes a fresh key and makes it the signing key; returns its id. */
export function rotateAuditKey(dataDir: string): string {
  const dir = keyDirectory(dataDir);
  const kid = writeNewKey(dir);
  placeWhole(dir, 'active', kid, false);
  return kid;
}

/**
 * The first key of a data directory. Processes started together (the distributed services) may all
 * find none: each writes a key, one names it active (an exclusive link), the others remove theirs.
 */
function createFirstAuditKey(dataDir: string): void {
  const dir = keyDirectory(dataDir);
  const kid = writeNewKey(dir);
  try {
    placeWhole(dir, 'active', kid, true);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    fs.rmSync(path.join(dir, `${kid}.pem`), { force: true });
  }
}

function readStoredKeys(dir: string): Map<string, KeyObject> {
  const stored = new Map<string, KeyObject>();
  if (!fs.existsSync(dir)) return stored;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.pem'))) {
    let pem: string;
    try {
      pem = fs.readFileSync(path.join(dir, file), 'utf8');
    } catch (error) {
      // A key another process wrote and withdrew when it lost the race for the first key.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const key = parsePrivateKey(pem, file);
    stored.set(publicJwk(key).kid, key);
  }
  return stored;
}

export function loadAuditKeyRing(dataDir: string, configuredPem: string | undefined): AuditKeyRing {
  const dir = keyDirectory(dataDir);
  const activeFile = path.join(dir, 'active');
  let active: KeyObject;
  let stored: Map<string, KeyObject>;
  if (configuredPem) {
    stored = readStoredKeys(dir);
    active = parsePrivateKey(configuredPem, 'RESOFT_AUDIT_SIGNING_KEY');
  } else {
    if (!fs.existsSync(activeFile)) createFirstAuditKey(dataDir);
    // The pointer is read before the directory: the key it names was in place before it was written.
    const activeId = fs.readFileSync(activeFile, 'utf8').trim();
    stored = readStoredKeys(dir);
    const found = stored.get(activeId);
    if (!found) throw new Error(`the active audit key ${activeId} has no file in ${dir}`);
    active = found;
  }
  const activeJwk = publicJwk(active);
  const publicKeys = [activeJwk, ...[...stored.values()].map(publicJwk).filter((k) => k.kid !== activeJwk.kid)];
  return { activeKeyId: activeJwk.kid, publicKeys, sign: (message) => sign(null, message, active).toString('base64') };
}
