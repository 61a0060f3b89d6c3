/**
 * Signed tree heads: a log's size and root, signed with Ed25519 so whoever
 * holds the public key can check that the operator vouched for exactly that
 * history. The signed bytes are a fixed line format so a verifier written in
 * any language rebuilds them without a JSON canonicaliser.
 */
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';

export interface TreeHead {
  readonly treeSize: number;
  /** Global position of the tree's last leaf (0 for the empty tree). */
  readonly lastPosition: number;
  /** Hex SHA-256 root (RFC 9162 MTH). */
  readonly rootHash: string;
  /** ISO-8601 time of signing. */
  readonly timestamp: string;
  /**
   * The first global position whose leaf is format 2 (audit-leaf.ts); absent: every leaf of the
   * tree is format 1 (heads signed before format 2 existed). Signed with the rest.
   */
  readonly leafV2From?: number;
}

export interface SignedTreeHead extends TreeHead {
  /** RFC 7638 thumbprint of the signing key; names it in the JWKS. */
  readonly keyId: string;
  /** Base64 Ed25519 signature of `treeHeadMessage`. */
  readonly signature: string;
}

/**
 * The bytes that are signed: six lines (`resoft-tree-head/v1`) for a head without `leafV2From`,
 * seven (`resoft-tree-head/v2`, then `leafV2From` last) for one with it — so a head cannot be
 * passed off as the other kind.
 */
export function treeHeadMessage(head: TreeHead & { readonly keyId: string }): Buffer {
  const lines = [head.treeSize, head.lastPosition, head.rootHash, head.timestamp, head.keyId];
  const message = head.leafV2From === undefined || head.leafV2From === null ? ['resoft-tree-head/v1', ...lines] : ['resoft-tree-head/v2', ...lines, head.leafV2From];
  return Buffer.from(message.join('\n'), 'utf8');
}

/** A public signing key as served in the JWKS (OKP / Ed25519). */
export interface AuditPublicKey {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
  readonly use?: 'sig';
  readonly alg?: 'EdDSA';
}

/** Why a tree head does not verify against the trusted keys, or null when it does. */
export function treeHeadSignatureProblem(head: SignedTreeHead, keys: readonly AuditPublicKey[]): string | null {
  const jwk = keys.find((k) => k.kid === head.keyId);
  if (!jwk) return `signed with key ${head.keyId}, which is not a trusted key`;
  try {
    const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } as JsonWebKey, format: 'jwk' });
    return verify(null, treeHeadMessage(head), key, Buffer.from(head.signature, 'base64')) ? null : 'the signature does not verify with its key';
  } catch {
    return 'the signature or key is malformed';
  }
}
