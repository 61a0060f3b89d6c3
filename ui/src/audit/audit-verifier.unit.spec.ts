import { createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { auditLeafHash as serverLeafHash, nodeHash as nodeHash2, inclusionProof, rangeRoot, sealEvent, treeHeadMessage as serverTreeHeadMessage, GENESIS_HASH, type NodeSource, type RecordedEvent } from '@resoft/domain';
import {
  auditLeafHash, canonicalJson, fromHex, leafHash, nodeHash, rootFromInclusionProof, toHex, treeHeadSignatureProblem, verifyConsistency, verifyInclusion, verifyProvenEvents,
  type AuditEvent, type ProvenAuditEvent, type PublicJwk, type SignedTreeHead,
} from './audit-verifier.js';

// The eight leaf inputs of the Certificate Transparency / Trillian reference test data, with the published roots of the trees of their first 1..8.
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(fromHex);
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(fromHex);
// Published inclusion proofs [leaf index, tree size, proof] and consistency proofs [first, second, proof].
const CT_INCLUSION: Array<[number, number, string[]]> = [
  [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [1, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];
const CT_CONSISTENCY: Array<[number, number, string[]]> = [
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];

describe('the browser audit verifier against the RFC 9162 reference vectors', () => {
  it('hashes leaves and nodes with the 0x00/0x01 prefixes to the published roots', async () => {
    expect(toHex(await leafHash(new Uint8Array()))).toBe(toHex(CT_ROOTS[0]!));
    expect(toHex(await nodeHash(await leafHash(CT_LEAVES[0]!), await leafHash(CT_LEAVES[1]!)))).toBe(toHex(CT_ROOTS[1]!));
  });

  it('verifies the published inclusion proofs and rejects an altered proof, leaf or index', async () => {
    for (const [index, size, proof] of CT_INCLUSION) {
      const leaf = await leafHash(CT_LEAVES[index]!);
      const hashes = proof.map(fromHex);
      const root = CT_ROOTS[size - 1]!;
      expect(await verifyInclusion(leaf, index, size, hashes, root)).toBe(true);
      expect(await verifyInclusion(leaf, index, size, [await nodeHash(hashes[0]!, hashes[0]!), ...hashes.slice(1)], root)).toBe(false);
      expect(await verifyInclusion(await leafHash(CT_LEAVES[(index + 1) % size]!), index, size, hashes, root)).toBe(false);
      expect(await rootFromInclusionProof(leaf, size, size, hashes)).toBeNull();
    }
  });

  it('verifies the published consistency proofs and rejects a wrong old root or a cut proof', async () => {
    for (const [first, second, proof] of CT_CONSISTENCY) {
      const hashes = proof.map(fromHex);
      expect(await verifyConsistency(first, second, CT_ROOTS[first - 1]!, CT_ROOTS[second - 1]!, hashes)).toBe(true);
      expect(await verifyConsistency(first, second, CT_ROOTS[first]!, CT_ROOTS[second - 1]!, hashes)).toBe(false);
      expect(await verifyConsistency(first, second, CT_ROOTS[first - 1]!, CT_ROOTS[second - 1]!, hashes.slice(0, -1))).toBe(false);
    }
  });

  it('writes canonical JSON with sorted keys, no whitespace and undefined members left out', () => {
    expect(canonicalJson({ b: 1, a: [true, null, undefined], c: undefined, 'é': 'x', Z: { y: 2, x: 'q"' } })).toBe('{"Z":{"x":"q\\"","y":2},"a":[true,null,null],"b":1,"é":"x"}');
  });
});

/** A small log made by the server's own code (domain), proven and signed as the server does; leaves of format 2 from `leafV2From` (null: none). */
function serverLogOf(count: number, leafV2From: number | null = null) {
  const streams = ['project-a', 'files-a'];
  const events: RecordedEvent[] = [];
  const heads = new Map<string, { revision: number; hash: string }>();
  for (let i = 0; i < count; i += 1) {
    const streamId = streams[i % 2]!;
    const previous = heads.get(streamId);
    const revision = previous ? previous.revision + 1 : 0;
    const sealed = sealEvent(
      { id: `e-${i}`, type: i === 0 ? 'ProjectCreated' : 'Something', data: { n: i, text: `ünïcode ${i}`, nested: { z: 1, a: [1, 'two'] } }, metadata: { actor: 'u-1', correlationId: `c-${i}`, causationId: null, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), schema: 1 } },
      streamId, revision, previous?.hash ?? GENESIS_HASH,
    );
    const event = { ...sealed, position: i + 1 } as RecordedEvent;
    events.push(event);
    heads.set(streamId, { revision, hash: event.metadata.hash });
  }
  const leaves = events.map((e) => serverLeafHash(e, leafV2From));
  const source: NodeSource = (level, index) => (level === 0 ? leaves[index]! : nodeHash2(source(level - 1, 2 * index), source(level - 1, 2 * index + 1)));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string };
  const kid = createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })).digest('base64url');
  const unsigned = { treeSize: count, lastPosition: count, rootHash: rangeRoot(0, count, source).toString('hex'), timestamp: '2026-01-02T00:00:00.000Z', keyId: kid, ...(leafV2From === null ? {} : { leafV2From }) };
  const head: SignedTreeHead = { ...unsigned, signature: sign(null, serverTreeHeadMessage(unsigned), privateKey).toString('base64') };
  const keys: PublicJwk[] = [{ ...jwk, kid }];
  const proven: ProvenAuditEvent[] = events.map((event, i) => ({ event: event as AuditEvent, inclusion: { leafIndex: i, proof: inclusionProof(i, count, source).map((h) => h.toString('hex')) } }));
  return { proven, head, keys, publicKey };
}

const FORMATS: Array<[string, number | null]> = [['format 1 leaves (a log made before format 2)', null], ['format 2 leaves', 1], ['format 1 leaves up to position 5, format 2 after', 6]];

describe.each(FORMATS)('verifying a project in the browser, %s', (_name, leafV2From) => {
  const serverLog = (count: number) => serverLogOf(count, leafV2From);

  it('accepts what the server produced: chains, leaf hashes, inclusion proofs and the Ed25519 tree head', async () => {
    const { proven, head, keys } = serverLog(11);
    expect(createPublicKey({ key: { kty: keys[0]!.kty, crv: keys[0]!.crv, x: keys[0]!.x }, format: 'jwk' }).asymmetricKeyType).toBe('ed25519');
    expect(await treeHeadSignatureProblem(head, keys)).toBeNull();
    expect(await verifyProvenEvents(proven, head, keys)).toEqual({ ok: true, events: 11, streams: 2, unsigned: 0, firstProblem: null });
  });

  it('names the position of an edited event, even when its chain hash was recomputed', async () => {
    const { proven, head, keys } = serverLog(11);
    const edited = proven.map((p) => (p.event.position === 7 ? { ...p, event: { ...p.event, data: { n: 'changed' } } } : p));
    expect((await verifyProvenEvents(edited, head, keys)).firstProblem).toEqual({ position: 7, reason: expect.stringContaining('altered') });
    const original = proven[6]!.event;
    const { hash: _old, ...rest } = original.metadata;
    const rehashed = sealEvent({ id: original.id, type: original.type, data: { n: 'changed' }, metadata: rest as never }, original.streamId, original.revision, rest.prevHash);
    const recomputed = proven.map((p, i) => (i === 6 ? { ...p, event: { ...rehashed, position: 7 } as AuditEvent } : p));
    const report = await verifyProvenEvents(recomputed, head, keys);
    expect(report.ok).toBe(false);
    expect(report.firstProblem?.position).toBe(7);
  });

  it('rejects a tree head signed by another key or with a changed root, and a missing event', async () => {
    const { proven, head, keys } = serverLog(6);
    const other = serverLogOf(6, leafV2From);
    expect((await verifyProvenEvents(proven, head, other.keys)).firstProblem?.reason).toContain('not a trusted key');
    expect((await verifyProvenEvents(proven, { ...head, rootHash: 'ab'.repeat(32) }, keys)).firstProblem?.reason).toContain('does not verify');
    expect((await verifyProvenEvents(proven.filter((p) => p.event.position !== 3), head, keys)).firstProblem?.position).toBe(5);
  });

  it('counts events the tree head does not cover yet and checks only their chain', async () => {
    const { proven, keys, head } = serverLog(4);
    const report = await verifyProvenEvents([...proven, { event: { ...proven[3]!.event, position: 5, revision: 2, metadata: { ...proven[3]!.event.metadata, prevHash: proven[3]!.event.metadata.hash } }, inclusion: null }], head, keys);
    expect(report.unsigned).toBe(1);
    expect(report.firstProblem).toEqual({ position: 5, reason: expect.stringContaining('altered') });
  });
});

describe('format 2 leaves in the browser', () => {
  it('catches a data edit that left metadata.hash as it was: the leaf still matches, the recomputed hash does not', async () => {
    const { proven, head, keys } = serverLogOf(8, 1);
    const edited = proven.map((p) => (p.event.position === 4 ? { ...p, event: { ...p.event, data: { n: 'changed' } } } : p));
    // The leaf covers only the stored hash and position, so the edited event's inclusion proof still holds…
    expect(await verifyInclusion(await auditLeafHash(edited[3]!.event, head.leafV2From), 3, 8, edited[3]!.inclusion!.proof.map(fromHex), fromHex(head.rootHash))).toBe(true);
    // …and the chain check, recomputing the hash from the event, is what names it.
    expect((await verifyProvenEvents(edited, head, keys)).firstProblem).toEqual({ position: 4, reason: expect.stringContaining('content does not match its hash') });
  });

  it('refuses a tree head whose leaf format was changed or dropped: leafV2From is signed', async () => {
    const { proven, head, keys } = serverLogOf(8, 1);
    const { leafV2From: _dropped, ...asV1 } = head;
    expect((await verifyProvenEvents(proven, asV1, keys)).firstProblem?.reason).toContain('does not verify');
    expect((await verifyProvenEvents(proven, { ...head, leafV2From: 5 }, keys)).firstProblem?.reason).toContain('does not verify');
  });
});
