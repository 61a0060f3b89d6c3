/**
 * An audit bundle: one project's whole history with what an auditor needs to
 * check it offline — every event of every stream of the project, each with
 * its inclusion proof against the latest signed tree head, that tree head, the
 * public keys and a README. A zip (deflate), read by `resoft audit verify
 * --bundle` and by the standalone `tools/verify-bundle/verify-bundle.mjs`.
 * The format is described in docs/audit.md.
 */
import { HttpError } from '@resoft/http-kit';
import { zip } from '@resoft/templates';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { projectEvents, projectStreamIds } from './project-history.js';
import { ProofSource } from './proof-source.js';
import type { SignedTreeHead } from '@resoft/domain';

/** v1: the tree head names no leaf format (every leaf format 1); v2: its signed `leafV2From` says where format 2 leaves start. */
export const BUNDLE_FORMATS = ['resoft-audit-bundle/v1', 'resoft-audit-bundle/v2'] as const;
export type BundleFormat = (typeof BUNDLE_FORMATS)[number];

/** The bundle format for a tree head: v2 when it names where format 2 leaves start (older verifiers then refuse the bundle by name). */
export const bundleFormatFor = (head: SignedTreeHead): BundleFormat => (head.leafV2From === undefined || head.leafV2From === null ? BUNDLE_FORMATS[0] : BUNDLE_FORMATS[1]);

const PROOF_CHUNK = 5000;

const README = (projectId: string, treeSize: number) => `# Resoft audit bundle

Project ${projectId}, proven against the signed tree head of size ${treeSize}.

Files:
- manifest.json   format, project, export time, the project's streams with their event counts
- events.jsonl    every event of the project's streams, one JSON envelope per line, in log order, exactly as stored
- proofs.jsonl    one line per event (same order): position, leafIndex and the RFC 9162 inclusion proof (hex)
- tree-head.json  the signed tree head (treeSize, lastPosition, rootHash, timestamp, keyId, leafV2From when the
                  log has format 2 leaves, Ed25519 signature)
- keys.json       the public keys (JWKS, OKP/Ed25519) — compare them with the operator's published keys

Check it offline with Node 20 and nothing else:

    node tools/verify-bundle/verify-bundle.mjs bundle.zip [--keys trusted-jwks.json]

It checks the signature of the tree head, every event's leaf hash and inclusion proof
against the signed root, and every stream's hash chain from its first event. An event at
a position of at least the tree head's leafV2From has a format 2 leaf, which commits to its
stored hash and position only: it proves the event because the hash is recomputed from it.
The algorithm is written down in docs/audit.md of the Resoft repository.
`;

export async function buildAuditBundle(deps: Pick<QueryServiceDeps, 'readStore' | 'eventStore' | 'auditLog' | 'auditKeys'>, projectId: string, now: Date): Promise<Buffer> {
  const head = await deps.auditLog.latestTreeHead();
  if (!head) throw new HttpError(409, 'not_yet_signed', 'The audit log has no signed tree head yet; try again shortly');
  const streamIds = await projectStreamIds(deps, projectId);
  const events = (await projectEvents(deps, streamIds)).filter((e) => e.position <= head.lastPosition);
  const proofs = new ProofSource(deps.auditLog);
  const eventParts: Buffer[] = [];
  const proofParts: Buffer[] = [];
  const counts = new Map<string, number>();
  // Upper tree nodes recur in every proof of one tree: each is turned into hex once.
  const hexOf = new WeakMap<Buffer, string>();
  const hex = (hash: Buffer) => {
    let text = hexOf.get(hash);
    if (text === undefined) hexOf.set(hash, (text = hash.toString('hex')));
    return text;
  };
  // In chunks: one leaf read and one node fetch per chunk, memory bounded whatever the project's size;
  // each chunk's lines become one buffer, so no string of the whole file is ever built.
  for (let at = 0; at < events.length; at += PROOF_CHUNK) {
    const chunk = events.slice(at, at + PROOF_CHUNK);
    const leaves = await deps.auditLog.leavesAt(chunk.map((e) => e.position));
    const indexes = chunk.map((e) => {
      const leaf = leaves.get(e.position);
      if (!leaf) throw new HttpError(409, 'audit_log_incomplete', `The audit log has no leaf for position ${e.position}`);
      return leaf.index;
    });
    const chunkProofs = await proofs.inclusions(indexes, head.treeSize);
    let eventText = '';
    let proofText = '';
    chunk.forEach((event, i) => {
      eventText += `${JSON.stringify(event)}\n`;
      // The same text JSON.stringify makes of { position, leafIndex, proof }, without building the object.
      proofText += `{"position":${event.position},"leafIndex":${indexes[i]},"proof":[${chunkProofs[i]!.map((h) => `"${hex(h)}"`).join(',')}]}\n`;
      counts.set(event.streamId, (counts.get(event.streamId) ?? 0) + 1);
    });
    eventParts.push(Buffer.from(eventText, 'utf8'));
    proofParts.push(Buffer.from(proofText, 'utf8'));
  }
  const manifest = {
    format: bundleFormatFor(head), projectId, exportedAt: now.toISOString(), treeSize: head.treeSize, events: events.length,
    streams: streamIds.map((streamId) => ({ streamId, events: counts.get(streamId) ?? 0 })),
  };
  return zip([
    { path: 'README.md', content: README(projectId, head.treeSize) },
    { path: 'manifest.json', content: `${JSON.stringify(manifest, null, 2)}\n` },
    { path: 'events.jsonl', content: Buffer.concat(eventParts) },
    { path: 'proofs.jsonl', content: Buffer.concat(proofParts) },
    { path: 'tree-head.json', content: `${JSON.stringify(head, null, 2)}\n` },
    { path: 'keys.json', content: `${JSON.stringify({ keys: deps.auditKeys.publicKeys }, null, 2)}\n` },
    // Proofs are hex hashes: the fastest level compresses them nearly as well as the default.
  ], { level: 1 });
}
