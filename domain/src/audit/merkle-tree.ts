/**
 * Merkle tree hashing of RFC 9162 (Certificate Transparency v2), so any
 * third-party verifier applies: leaf = SHA-256(0x00 || data), node =
 * SHA-256(0x01 || left || right), the tree of n leaves split at the largest
 * power of two below n. Proofs are computed from a source of perfect-subtree
 * hashes (level, index), which is what a log store keeps, so a proof costs
 * O(log² n) lookups rather than a pass over every leaf.
 */
import { createHash, hash } from 'node:crypto';

export type Hash = Buffer;

const LEAF_PREFIX = Buffer.from([0]);

// One-shot `hash` rather than a Hash object per call, and its digest taken as a 'binary' (latin1) string (one
// char per byte) turned into a (pooled) Buffer: on Node 20 asking `hash` for a Buffer costs about as
// much again as the SHA-256 itself, and every appended event makes a leaf and about one node.
const digest = (input: Uint8Array | string): Hash => Buffer.from(hash('sha256', input, 'binary'), 'latin1');

/** SHA-256 of bytes that already begin with the leaf prefix 0x00 (a caller writing a leaf's input in place). */
export const leafHashOfPrefixed = (input: Uint8Array): Hash => digest(input);

/**
 * SHA-256 of `input` written into `target` at `offset` (32 bytes), no Buffer made: the digest's latin1
 * string copied a char a byte. For a caller that keeps hashes packed (the audit log builder makes a leaf
 * and about one node per appended event): a Buffer per digest cost about half as much as the SHA-256 call.
 */
export function sha256Into(input: Uint8Array, target: Uint8Array, offset: number): void {
  const bytes = hash('sha256', input, 'binary');
  for (let i = 0; i < 32; i += 1) target[offset + i] = bytes.charCodeAt(i);
}

export function leafHash(data: Uint8Array | string): Hash {
  // U+0000 is the one byte 0x00 in UTF-8: the same bytes as the prefix followed by the string's UTF-8.
  return digest(typeof data === 'string' ? `\u0000${data}` : Buffer.concat([LEAF_PREFIX, data]));
}

/** 0x01 || left || right, reused: `hash` reads it before returning, so one buffer serves every call. */
const nodeInput = Buffer.alloc(65, 1);

export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  if (left.length !== 32 || right.length !== 32) return digest(Buffer.concat([Buffer.from([1]), left, right]));
  nodeInput.set(left, 1);
  nodeInput.set(right, 33);
  return digest(nodeInput);
}

/** MTH of the empty tree: SHA-256 of nothing. */
export const EMPTY_TREE_ROOT: Hash = createHash('sha256').digest();

/** The root of the perfect subtree of 2^level leaves starting at leaf index × 2^level. */
export type NodeSource = (level: number, index: number) => Hash;

export interface NodeRef {
  readonly level: number;
  readonly index: number;
}

export const nodeKey = (level: number, index: number): string => `${level}:${index}`;

/** The largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// Math.log2 is exact on powers of two.
const isPowerOfTwo = (n: number): boolean => n > 0 && Number.isInteger(Math.log2(n));

/** MTH(D[start:end]) from perfect-subtree hashes: an aligned power-of-two range is one lookup. */
export function rangeRoot(start: number, end: number, source: NodeSource): Hash {
  const n = end - start;
  if (n <= 0) return EMPTY_TREE_ROOT;
  if (isPowerOfTwo(n) && start % n === 0) return source(Math.log2(n), start / n);
  const k = splitPoint(n);
  return nodeHash(rangeRoot(start, start + k, source), rangeRoot(start + k, end, source));
}

/**
 * A source that also answers the unaligned ranges a tree's right edge needs
 * from memory once computed: proofs of many leaves of one tree share them.
 */
function memoized(source: NodeSource): NodeSource & { range(start: number, end: number): Hash } {
  const ranges = new Map<string, Hash>();
  const range = (start: number, end: number): Hash => {
    const n = end - start;
    if (n <= 0) return EMPTY_TREE_ROOT;
    if (isPowerOfTwo(n) && start % n === 0) return source(Math.log2(n), start / n);
    const key = `${start}:${end}`;
    let hash = ranges.get(key);
    if (!hash) {
      const k = splitPoint(n);
      hash = nodeHash(range(start, start + k), range(start + k, end));
      ranges.set(key, hash);
    }
    return hash;
  };
  return Object.assign((level: number, index: number) => source(level, index), { range });
}

/** PATH(m, D[start:end]) of RFC 9162 §2.1.3.1: the audit path of leaf m. */
function path(m: number, start: number, end: number, range: (start: number, end: number) => Hash): Hash[] {
  const n = end - start;
  if (n <= 1) return [];
  const k = splitPoint(n);
  if (m - start < k) return [...path(m, start, start + k, range), range(start + k, end)];
  return [...path(m, start + k, end, range), range(start, start + k)];
}

export function inclusionProof(leafIndex: number, treeSize: number, source: NodeSource): Hash[] {
  if (!(leafIndex >= 0 && leafIndex < treeSize)) throw new RangeError(`leaf ${leafIndex} is not in a tree of ${treeSize}`);
  return path(leafIndex, 0, treeSize, (a, b) => rangeRoot(a, b, source));
}

/** Inclusion proofs of several leaves of one tree, sharing the right-edge ranges they have in common. */
export function inclusionProofs(leafIndexes: readonly number[], treeSize: number, source: NodeSource): Hash[][] {
  const shared = memoized(source);
  return leafIndexes.map((i) => {
    if (!(i >= 0 && i < treeSize)) throw new RangeError(`leaf ${i} is not in a tree of ${treeSize}`);
    return path(i, 0, treeSize, shared.range);
  });
}

/** SUBPROOF(m, D[start:end], b) of RFC 9162 §2.1.4.1. */
function subproof(m: number, start: number, end: number, complete: boolean, source: NodeSource): Hash[] {
  const n = end - start;
  if (m === n) return complete ? [] : [rangeRoot(start, end, source)];
  const k = splitPoint(n);
  if (m <= k) return [...subproof(m, start, start + k, complete, source), rangeRoot(start + k, end, source)];
  return [...subproof(m - k, start + k, end, false, source), rangeRoot(start, start + k, source)];
}

/** Proof that the tree of `first` leaves is a prefix of the tree of `second` leaves (empty when first is 0 or equal). */
export function consistencyProof(first: number, second: number, source: NodeSource): Hash[] {
  if (!(first >= 0 && first <= second)) throw new RangeError(`cannot prove ${first} against ${second}`);
  if (first === 0 || first === second) return [];
  return subproof(first, 0, second, true, source);
}

/**
 * Runs a proof computation twice: once to learn which nodes it reads (the set
 * depends only on the sizes, never on hash values), then with those nodes
 * fetched in one go — so an asynchronous store serves it with one query.
 */
export async function withNodes<T>(compute: (source: NodeSource) => T, fetch: (refs: readonly NodeRef[]) => Promise<ReadonlyMap<string, Hash>>): Promise<T> {
  const wanted = new Map<string, NodeRef>();
  const zero = Buffer.alloc(32);
  compute((level, index) => (wanted.set(nodeKey(level, index), { level, index }), zero));
  const nodes = await fetch([...wanted.values()]);
  return compute((level, index) => {
    const hash = nodes.get(nodeKey(level, index));
    if (!hash) throw new Error(`the log has no node ${nodeKey(level, index)}`);
    return hash;
  });
}
