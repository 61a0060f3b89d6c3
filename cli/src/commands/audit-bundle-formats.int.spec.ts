/**
 * Bundles of both leaf formats, made by hand from the domain's own functions (no server): one of a log
 * made before leaf format 2 (its tree head names no leaf format: `resoft-audit-bundle/v1`), one of a
 * log of format 2 leaves, and one of a log that went on in format 2 (both `resoft-audit-bundle/v2`).
 * The standalone verifier and `resoft audit verify --bundle` accept each, and refuse a data edit that
 * left the event's stored hash as it was.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { auditLeafHash, inclusionProof, nodeHash, rangeRoot, sealEvent, treeHeadMessage, GENESIS_HASH, type NodeSource, type RecordedEvent, type SignedTreeHead } from '@resoft/domain';
import { bundleFormatFor } from '@resoft/query-service';
import { zip } from '@resoft/templates';
import { runNodeScript } from '@resoft/testkit/processes';
import { verifyBundleFile } from './audit-bundle-commands.js';
import { unzip } from './audit-bundle-reader.js';

const STANDALONE = path.join(process.cwd(), 'tools', 'verify-bundle', 'verify-bundle.mjs');

/** Runs the standalone verifier as an auditor would: plain node, no repository code. */
const runStandalone = (args: readonly string[]) => runNodeScript(STANDALONE, args);

/** Ten events of two streams, every one proven against one signed head; leaves of format 2 from `leafV2From` (null: none). */
function bundleOf(leafV2From: number | null, edit?: (events: RecordedEvent[]) => RecordedEvent[]): { bytes: Buffer; head: SignedTreeHead } {
  const events: RecordedEvent[] = [];
  const tips = new Map<string, { revision: number; hash: string }>();
  for (let i = 0; i < 10; i += 1) {
    const streamId = i % 2 === 0 ? 'project-p' : 'files-p';
    const tip = tips.get(streamId);
    const sealed = sealEvent({ id: `e-${i}`, type: 'Something', data: { n: i }, metadata: { actor: 'u-1', correlationId: `c-${i}`, causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', schema: 1 } }, streamId, tip ? tip.revision + 1 : 0, tip?.hash ?? GENESIS_HASH);
    // Positions with a gap, as a store whose other projects' events sit in between.
    events.push({ ...sealed, position: 2 * i + 1 } as RecordedEvent);
    tips.set(streamId, { revision: sealed.revision, hash: sealed.metadata.hash });
  }
  const leaves = events.map((e) => auditLeafHash(e, leafV2From));
  const source: NodeSource = (level, index) => (level === 0 ? leaves[index]! : nodeHash(source(level - 1, 2 * index), source(level - 1, 2 * index + 1)));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: 'OKP'; crv: 'Ed25519'; x: string };
  const kid = createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })).digest('base64url');
  const unsigned = { treeSize: 10, lastPosition: 19, rootHash: rangeRoot(0, 10, source).toString('hex'), timestamp: '2026-01-02T00:00:00.000Z', keyId: kid, ...(leafV2From === null ? {} : { leafV2From }) };
  const head: SignedTreeHead = { ...unsigned, signature: sign(null, treeHeadMessage(unsigned), privateKey).toString('base64') };
  const shipped = edit ? edit(events) : events;
  const manifest = { format: bundleFormatFor(head), projectId: 'p', exportedAt: '2026-01-02T00:00:00.000Z', treeSize: 10, events: 10, streams: [{ streamId: 'project-p', events: 5 }, { streamId: 'files-p', events: 5 }] };
  const bytes = zip([
    { path: 'manifest.json', content: JSON.stringify(manifest) },
    { path: 'events.jsonl', content: shipped.map((e) => `${JSON.stringify(e)}\n`).join('') },
    { path: 'proofs.jsonl', content: events.map((e, i) => `${JSON.stringify({ position: e.position, leafIndex: i, proof: inclusionProof(i, 10, source).map((h) => h.toString('hex')) })}\n`).join('') },
    { path: 'tree-head.json', content: JSON.stringify(head) },
    { path: 'keys.json', content: JSON.stringify({ keys: [{ ...jwk, kid }] }) },
  ]);
  return { bytes, head };
}

describe('audit bundles of each leaf format', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-bundle-formats-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  const write = (name: string, bytes: Buffer) => {
    const file = path.join(work, name);
    fs.writeFileSync(file, bytes);
    return file;
  };

  it.each([
    ['format 1 leaves (a log made before format 2)', null, 'resoft-audit-bundle/v1'],
    ['format 2 leaves', 1, 'resoft-audit-bundle/v2'],
    ['format 1 leaves up to position 9, format 2 after', 11, 'resoft-audit-bundle/v2'],
  ])('verifies a bundle of %s with the standalone verifier and resoft audit verify --bundle', async (_name, leafV2From, format) => {
    const { bytes, head } = bundleOf(leafV2From);
    expect(bundleFormatFor(head)).toBe(format);
    const file = write(`bundle-${String(leafV2From)}.zip`, bytes);
    const standalone = await runStandalone([file, '--json']);
    expect([standalone.code, standalone.stderr]).toEqual([0, '']);
    expect(JSON.parse(standalone.stdout)).toMatchObject({ ok: true, events: 10, streams: 2, treeSize: 10 });
    expect(verifyBundleFile(file)).toMatchObject({ ok: true, events: 10, streams: 2, firstProblem: null });
  });

  it.each([[null], [1]])('fails a data edit that left metadata.hash as it was (leafV2From %s), naming its position', async (leafV2From) => {
    const { bytes } = bundleOf(leafV2From, (events) => events.map((e) => (e.position === 7 ? { ...e, data: { n: 'forged' } } : e)));
    const file = write(`edited-${String(leafV2From)}.zip`, bytes);
    const standalone = await runStandalone([file, '--json']);
    expect([standalone.code, JSON.parse(standalone.stdout).firstProblem]).toEqual([1, { position: 7, reason: expect.stringContaining('content does not match its hash') }]);
    expect(verifyBundleFile(file).firstProblem).toMatchObject({ position: 7 });
  });

  it('refuses a format 2 bundle whose tree head lost its leafV2From (the signature covers it) or whose manifest claims the other format', async () => {
    const { bytes } = bundleOf(1);
    const stripped = write('stripped.zip', zip([...unzip(bytes)].map(([p, content]) => ({
      path: p,
      content: p === 'tree-head.json' ? JSON.stringify({ ...JSON.parse(content.toString()), leafV2From: undefined }) : p === 'manifest.json' ? content.toString().replace('bundle/v2', 'bundle/v1') : content,
    }))));
    const standalone = await runStandalone([stripped, '--json']);
    expect([standalone.code, JSON.parse(standalone.stdout).firstProblem.reason]).toEqual([1, expect.stringContaining('signature does not verify')]);
    expect(verifyBundleFile(stripped).firstProblem?.reason).toContain('does not verify');
    const mislabelled = write('mislabelled.zip', zip([...unzip(bytes)].map(([p, content]) => ({ path: p, content: p === 'manifest.json' ? content.toString().replace('bundle/v2', 'bundle/v1') : content }))));
    expect((await runStandalone([mislabelled])).code).toBe(2);
    expect(() => verifyBundleFile(mislabelled)).toThrow(/manifest says resoft-audit-bundle\/v1/);
  });
});
