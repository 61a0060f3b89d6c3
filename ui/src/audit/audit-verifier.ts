/**
 * The audit log's verification, run in the browser with WebCrypto only (no node: modules), so the
 * audit page shows what the browser checked itself rather than the server's word: each stream's hash
 * chain, each event's RFC 9162 leaf hash and inclusion proof against the signed root, and the tree
 * head's Ed25519 signature. It follows the algorithm written down in docs/audit.md (the same one
 * tools/verify-bundle implements for Node), written here independently.
 */

import type { SignedTreeHeadAnswer } from '@resoft/contracts';

export type Hash = Uint8Array;

/** A stored event envelope, as the server sends it. */
export interface AuditEvent {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly data: unknown;
  /** Every stored member counts in the hashes, not only the ones named here. */
  readonly metadata: { readonly prevHash: string; readonly hash: string; readonly actor: string | null; readonly occurredAt: string };
}

/** A signed tree head, as the server answers it. */
export type SignedTreeHead = SignedTreeHeadAnswer;

/** A public key to judge: wider than the published JWKS (any kty or curve), since the verifier refuses what is not Ed25519 itself. */
export interface PublicJwk {
  readonly kty: string;
  readonly crv: string;
  readonly x: string;
  readonly kid: string;
}

export interface Inclusion {
  readonly leafIndex: number;
  readonly proof: readonly string[];
}

export interface ProvenAuditEvent {
  readonly event: AuditEvent;
  /** Null for an event no signed tree head covers yet: only its chain is checked. */
  readonly inclusion: Inclusion | null;
}

export interface VerificationReport {
  readonly ok: boolean;
  readonly events: number;
  readonly streams: number;
  /** Events the tree head does not cover yet (checked by their chain only). */
  readonly unsigned: number;
  readonly firstProblem: { readonly position: number; readonly reason: string } | null;
}

const GENESIS_HASH = '0'.repeat(64);
const encoder = new TextEncoder();

/** Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, undefined members left out, arrays in order. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((item: unknown) => canonicalJson(item ?? null)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}

export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function fromHex(hex: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/i.test(hex)) throw new Error(`not a hex string: ${hex.slice(0, 20)}`);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i]);

async function sha256(...parts: Uint8Array[]): Promise<Hash> {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

/** RFC 9162 §2.1.1: a leaf is hashed with a 0x00 prefix, an inner node with 0x01, so neither can pass for the other. */
export const leafHash = (data: Uint8Array | string): Promise<Hash> => sha256(Uint8Array.of(0), typeof data === 'string' ? encoder.encode(data) : data);
export const nodeHash = (left: Hash, right: Hash): Promise<Hash> => sha256(Uint8Array.of(1), left, right);

/**
 * The leaf of an event. Format 1: its whole stored envelope, global position included. Format 2 (from
 * the tree head's `leafV2From` on): `{ hash, position, v: 2 }`, its stored hash and position only — it
 * proves the envelope only together with the chain check, which recomputes that hash from the event.
 */
export const auditLeafHash = (e: AuditEvent, leafV2From: number | null | undefined): Promise<Hash> =>
  leafV2From !== null && leafV2From !== undefined && e.position >= leafV2From
    ? leafHash(canonicalJson({ hash: e.metadata.hash, position: e.position, v: 2 }))
    : leafHash(canonicalJson({ id: e.id, type: e.type, streamId: e.streamId, revision: e.revision, position: e.position, data: e.data, metadata: e.metadata }));

/** The stream chain's content hash: the event without its position and without its own hash. */
export async function chainHash(e: AuditEvent): Promise<string> {
  const { hash: _ownHash, ...metadata } = e.metadata;
  return toHex(await sha256(encoder.encode(canonicalJson({ id: e.id, type: e.type, streamId: e.streamId, revision: e.revision, data: e.data, metadata }))));
}

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or null when it cannot belong to a tree of that size. */
export async function rootFromInclusionProof(leaf: Hash, leafIndex: number, treeSize: number, proof: readonly Hash[]): Promise<Hash | null> {
  if (!(Number.isSafeInteger(leafIndex) && leafIndex >= 0 && leafIndex < treeSize)) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (isOdd(fn) || fn === sn) {
      r = await nodeHash(p, r);
      // Climb past the levels where this node is a left child with no right sibling.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

export async function verifyInclusion(leaf: Hash, leafIndex: number, treeSize: number, proof: readonly Hash[], root: Hash): Promise<boolean> {
  const computed = await rootFromInclusionProof(leaf, leafIndex, treeSize, proof);
  return computed !== null && sameBytes(computed, root);
}

/** RFC 9162 §2.1.4.2: the tree of `first` leaves is a prefix of the tree of `second` leaves. */
export async function verifyConsistency(first: number, second: number, firstRoot: Hash, secondRoot: Hash, proof: readonly Hash[]): Promise<boolean> {
  if (!(first >= 0 && first <= second)) return false;
  if (first === second) return proof.length === 0 && sameBytes(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = Number.isInteger(Math.log2(first)) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameBytes(fr, firstRoot) && sameBytes(sr, secondRoot);
}

/**
 * The signed bytes of a tree head: lines, so any language rebuilds them without a JSON canonicaliser —
 * six under `resoft-tree-head/v1`, or seven under `resoft-tree-head/v2` with `leafV2From` last.
 */
export const treeHeadMessage = (h: SignedTreeHead): string =>
  h.leafV2From === undefined || h.leafV2From === null
    ? ['resoft-tree-head/v1', h.treeSize, h.lastPosition, h.rootHash, h.timestamp, h.keyId].join('\n')
    : ['resoft-tree-head/v2', h.treeSize, h.lastPosition, h.rootHash, h.timestamp, h.keyId, h.leafV2From].join('\n');

/** Why the tree head's Ed25519 signature does not verify with the key its keyId names, or null when it does. */
export async function treeHeadSignatureProblem(head: SignedTreeHead, keys: readonly PublicJwk[]): Promise<string | null> {
  const jwk = keys.find((k) => k.kid === head.keyId);
  if (!jwk) return `signed with key ${head.keyId}, which is not a trusted key`;
  try {
    const key = await crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
    const signature = Uint8Array.from(atob(head.signature), (c) => c.charCodeAt(0));
    return (await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, encoder.encode(treeHeadMessage(head)))) ? null : 'the signature does not verify with its key';
  } catch {
    return 'the signature or key is malformed';
  }
}

/** Why one event's inclusion proof fails against the signed root, or null when it holds. */
export async function inclusionProblem(event: AuditEvent, inclusion: Inclusion, head: SignedTreeHead): Promise<string | null> {
  const proof = inclusion.proof.map(fromHex);
  const ok = await verifyInclusion(await auditLeafHash(event, head.leafV2From), inclusion.leafIndex, head.treeSize, proof, fromHex(head.rootHash));
  return ok ? null : `the event at position ${event.position} is not in the signed tree of size ${head.treeSize} (altered, moved or inserted)`;
}

/**
 * Verifies a project's events (every stream from revision 0, in global position order) against one
 * signed tree head: its signature, each stream's chain (revisions, prevHash links, content hashes),
 * and each covered event's inclusion proof. Names the first bad position.
 */
export async function verifyProvenEvents(events: readonly ProvenAuditEvent[], head: SignedTreeHead | null, keys: readonly PublicJwk[]): Promise<VerificationReport> {
  let problem: { position: number; reason: string } | null = null;
  const note = (position: number, reason: string) => {
    if (!problem || position < problem.position) problem = { position, reason };
  };
  const signature = head ? await treeHeadSignatureProblem(head, keys) : null;
  if (head && signature) note(1, `tree head of size ${head.treeSize}: ${signature}`);
  const streams = new Map<string, { revision: number; hash: string }>();
  let unsigned = 0;
  let lastLeafIndex = -1;
  for (const { event, inclusion } of events) {
    const previous = streams.get(event.streamId);
    const expectedRevision = previous ? previous.revision + 1 : 0;
    const where = `stream ${event.streamId} revision ${event.revision}`;
    if (event.revision !== expectedRevision) note(event.position, `${where}: revision ${event.revision} where ${expectedRevision} was expected`);
    else if (event.metadata.prevHash !== (previous?.hash ?? GENESIS_HASH)) note(event.position, `${where}: prevHash does not match the hash of the previous event in the stream`);
    else if ((await chainHash(event)) !== event.metadata.hash) note(event.position, `${where}: content does not match its hash (the event was altered)`);
    streams.set(event.streamId, { revision: event.revision, hash: event.metadata.hash });
    if (!head || event.position > head.lastPosition) {
      unsigned += 1;
      continue;
    }
    if (!inclusion) note(event.position, `the event at position ${event.position} has no inclusion proof`);
    else if (inclusion.leafIndex <= lastLeafIndex) note(event.position, `the event at position ${event.position} is out of the log's order`);
    else {
      const failure = await inclusionProblem(event, inclusion, head);
      if (failure) note(event.position, failure);
    }
    if (inclusion) lastLeafIndex = inclusion.leafIndex;
    // Later events cannot name an earlier position: stop at the first problem.
    if (problem) break;
  }
  return { ok: problem === null, events: events.length, streams: streams.size, unsigned, firstProblem: problem };
}
