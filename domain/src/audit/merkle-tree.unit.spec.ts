import { createHash } from 'node:crypto';
import { MerkleFrontier, edgeNodes } from './merkle-frontier.js';
import { verifyConsistency, verifyInclusion } from './merkle-proof-verification.js';
import { EMPTY_TREE_ROOT, consistencyProof, inclusionProof, inclusionProofs, leafHash, nodeHash, rangeRoot, withNodes, type Hash, type NodeSource } from './merkle-tree.js';

// The eight leaf inputs of the Certificate Transparency / Trillian reference test data (RFC 6962 test vectors).
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
// Published roots of the trees of the first 1..8 of those leaves.
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const hex = (hashes: readonly Hash[]) => hashes.map((h) => h.toString('hex'));

/** RFC 9162's MTH written literally over a list of inputs: the independent reference the fast code is checked against. */
function referenceRoot(inputs: readonly Buffer[]): Buffer {
  const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
  if (inputs.length === 0) return sha();
  if (inputs.length === 1) return sha(Buffer.from([0]), inputs[0]!);
  let k = 1;
  while (k * 2 < inputs.length) k *= 2;
  return sha(Buffer.from([1]), referenceRoot(inputs.slice(0, k)), referenceRoot(inputs.slice(k)));
}

/** A node source over leaves held in memory, computing each perfect subtree directly. */
function memorySource(inputs: readonly Buffer[]): NodeSource {
  return (level, index) => referenceRoot(inputs.slice(index * 2 ** level, (index + 1) * 2 ** level));
}

describe('RFC 9162 Merkle tree hashing', () => {
  it('hashes the empty tree, leaves and nodes with the 0x00/0x01 domain separation', () => {
    expect(EMPTY_TREE_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(leafHash(Buffer.alloc(0)).toString('hex')).toBe(CT_ROOTS[0]);
    expect(nodeHash(leafHash(CT_LEAVES[0]!), leafHash(CT_LEAVES[1]!)).toString('hex')).toBe(CT_ROOTS[1]);
  });

  it('computes the published roots of the CT reference trees, from the frontier and from stored nodes', () => {
    const frontier = new MerkleFrontier();
    CT_LEAVES.forEach((leaf, i) => {
      frontier.append(leafHash(leaf));
      expect(frontier.root().toString('hex')).toBe(CT_ROOTS[i]);
      expect(rangeRoot(0, i + 1, memorySource(CT_LEAVES)).toString('hex')).toBe(CT_ROOTS[i]);
    });
  });

  it('produces the published inclusion proofs and verifies them', () => {
    const source = memorySource(CT_LEAVES);
    const root8 = Buffer.from(CT_ROOTS[7]!, 'hex');
    expect(hex(inclusionProof(0, 8, source))).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(hex(inclusionProof(5, 8, source))).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(hex(inclusionProof(2, 3, source))).toEqual(['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']);
    expect(hex(inclusionProof(1, 5, source))).toEqual([
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
    for (let i = 0; i < 8; i += 1) expect(verifyInclusion(leafHash(CT_LEAVES[i]!), i, 8, inclusionProof(i, 8, source), root8)).toBe(true);
  });

  it('produces the published consistency proofs and verifies them', () => {
    const source = memorySource(CT_LEAVES);
    const root = (n: number) => Buffer.from(CT_ROOTS[n - 1]!, 'hex');
    const published: Array<[number, number, string[]]> = [
      [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
      [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
      [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
    ];
    for (const [m, n, proof] of published) {
      expect(hex(consistencyProof(m, n, source))).toEqual(proof);
      expect(verifyConsistency(m, n, root(m), root(n), consistencyProof(m, n, source))).toBe(true);
    }
  });

  it('agrees with the literal RFC definition for every size up to 70 and rejects altered proofs', () => {
    const inputs = Array.from({ length: 70 }, (_, i) => Buffer.from(`leaf ${i}`));
    const source = memorySource(inputs);
    const frontier = new MerkleFrontier();
    for (let n = 1; n <= inputs.length; n += 1) {
      frontier.append(leafHash(inputs[n - 1]!));
      const root = referenceRoot(inputs.slice(0, n));
      expect(frontier.root().equals(root)).toBe(true);
      for (let i = 0; i < n; i += 1) {
        const proof = inclusionProof(i, n, source);
        expect(verifyInclusion(leafHash(inputs[i]!), i, n, proof, root)).toBe(true);
        if (proof.length > 0) {
          const bad = proof.map((p, j) => (j === 0 ? nodeHash(p, p) : p));
          expect(verifyInclusion(leafHash(inputs[i]!), i, n, bad, root)).toBe(false);
          expect(verifyInclusion(leafHash(inputs[(i + 1) % n]!), i, n, proof, root)).toBe(n === 1);
        }
      }
      for (let m = 1; m < n; m += 1) {
        const proof = consistencyProof(m, n, source);
        const first = referenceRoot(inputs.slice(0, m));
        expect(verifyConsistency(m, n, first, root, proof)).toBe(true);
        expect(verifyConsistency(m, n, referenceRoot(inputs.slice(1, m + 1)), root, proof)).toBe(false);
        expect(verifyConsistency(m, n, first, root, proof.slice(0, -1))).toBe(false);
      }
    }
  });

  it('restores a frontier from its edge nodes and reports the nodes each append completes', () => {
    const inputs = Array.from({ length: 13 }, (_, i) => Buffer.from(`x${i}`));
    const source = memorySource(inputs);
    const restored = new MerkleFrontier(11, edgeNodes(11).map((r) => source(r.level, r.index)));
    expect(edgeNodes(11)).toEqual([{ level: 3, index: 0 }, { level: 1, index: 4 }, { level: 0, index: 10 }]);
    const made = restored.append(leafHash(inputs[11]!));
    expect(made.map(({ level, index }) => ({ level, index }))).toEqual([{ level: 0, index: 11 }, { level: 1, index: 5 }, { level: 2, index: 2 }]);
    expect(made[2]!.hash.equals(source(2, 2))).toBe(true);
    expect(restored.root().equals(referenceRoot(inputs.slice(0, 12)))).toBe(true);
  });

  it('appends packed leaf hashes as it appends Buffers: the same nodes, to a sink, and the same roots', () => {
    const inputs = Array.from({ length: 300 }, (_, i) => Buffer.from(`p${i}`));
    const packed = Buffer.concat(inputs.map((input) => leafHash(input)));
    const byBuffer = new MerkleFrontier();
    const byOffset = new MerkleFrontier();
    for (let i = 0; i < inputs.length; i += 1) {
      const made = byBuffer.append(leafHash(inputs[i]!));
      const sunk: { level: number; index: number; hash: string }[] = [];
      byOffset.appendAt(packed, i * 32, { node: (level, index, bytes, offset) => sunk.push({ level, index, hash: Buffer.from(bytes.subarray(offset, offset + 32)).toString('hex') }) });
      expect(sunk).toEqual(made.slice(1).map((n) => ({ level: n.level, index: n.index, hash: n.hash.toString('hex') })));
      expect(byOffset.root().equals(byBuffer.root())).toBe(true);
    }
    expect(byOffset.root().equals(referenceRoot(inputs))).toBe(true);
    // Past 2^32 leaves (sizes are not 32-bit integers): the edge of 2^32 + 3 leaves is levels 32, 1 and 0.
    const large = 2 ** 32 + 3;
    const edge = edgeNodes(large);
    expect(edge.map((r) => r.level)).toEqual([32, 1, 0]);
    const far = new MerkleFrontier(large, edge.map((r) => leafHash(`${r.level}`)));
    const made = far.append(leafHash('next'));
    expect(made.map(({ level, index }) => ({ level, index }))).toEqual([{ level: 0, index: large }, { level: 1, index: 2 ** 31 + 1 }, { level: 2, index: 2 ** 30 }]);
    expect(far.root().equals(nodeHash(leafHash('32'), made[2]!.hash))).toBe(true);
  });

  it('computes many proofs of one tree at once, equal to one-by-one proofs', () => {
    const inputs = Array.from({ length: 77 }, (_, i) => Buffer.from(`z${i}`));
    const source = memorySource(inputs);
    const indexes = [0, 5, 63, 64, 70, 76];
    expect(inclusionProofs(indexes, 77, source).map(hex)).toEqual(indexes.map((i) => hex(inclusionProof(i, 77, source))));
  });

  it('fetches exactly the nodes a proof needs in one round', async () => {
    const inputs = Array.from({ length: 1000 }, (_, i) => Buffer.from(`y${i}`));
    const source = memorySource(inputs);
    let rounds = 0;
    const proof = await withNodes((s) => inclusionProof(617, 1000, s), async (refs) => {
      rounds += 1;
      return new Map(refs.map((r) => [`${r.level}:${r.index}`, source(r.level, r.index)]));
    });
    expect(rounds).toBe(1);
    expect(verifyInclusion(leafHash(inputs[617]!), 617, 1000, proof, referenceRoot(inputs))).toBe(true);
  });
});
