/**
 * Verifies a subset of the log — one project's streams — without the rest:
 * each stream's hash chain from revision 0, and each event's inclusion proof
 * against one signed tree head. This is what an audit bundle carries and what
 * project-scoped verification checks on the server. The leaf format of each
 * event follows the head's `leafV2From`; a format 2 leaf commits to the
 * envelope only through `metadata.hash`, which the chain check recomputes.
 */
import { auditLeafHash } from './audit-leaf.js';
import type { AuditProblem, AuditReport } from './audit-log-verifier.js';
import { ChainVerifier } from './hash-chain.js';
import { verifyInclusion } from './merkle-proof-verification.js';
import { treeHeadSignatureProblem, type AuditPublicKey, type SignedTreeHead } from './signed-tree-head.js';
import type { RecordedEvent } from '../events/envelope.js';

export interface ProvenEvent {
  readonly event: RecordedEvent;
  /** Absent for an event the tree head does not cover yet (it is then checked by its chain only). */
  readonly inclusion?: { readonly leafIndex: number; readonly proof: readonly Buffer[] };
}

/** `events` in global position order; `head` null when the log has no signed tree head yet. */
export function verifyProvenEvents(events: readonly ProvenEvent[], head: SignedTreeHead | null, keys: readonly AuditPublicKey[]): AuditReport {
  const chain = new ChainVerifier();
  let problem: AuditProblem | null = null;
  const note = (p: AuditProblem) => {
    if (!problem || p.position < problem.position) problem = p;
  };
  const signature = head ? treeHeadSignatureProblem(head, keys) : null;
  if (head && signature) note({ position: 1, treeSize: head.treeSize, reason: `tree head of size ${head.treeSize}: ${signature}` });
  const root = head ? Buffer.from(head.rootHash, 'hex') : null;
  let unsigned = 0;
  let lastIndex = -1;
  for (const { event, inclusion } of events) {
    if (!chain.check(event)) {
      const link = chain.report().firstBrokenLink!;
      note({ position: link.position, reason: `stream ${link.streamId} revision ${link.revision}: ${link.reason}`, link });
    }
    if (!head || event.position > head.lastPosition) {
      unsigned += 1;
      continue;
    }
    if (!inclusion) note({ position: event.position, reason: `the event at position ${event.position} has no inclusion proof` });
    else if (inclusion.leafIndex <= lastIndex || !verifyInclusion(auditLeafHash(event, head.leafV2From), inclusion.leafIndex, head.treeSize, inclusion.proof, root!)) {
      note({ position: event.position, reason: `the event at position ${event.position} is not in the signed tree of size ${head.treeSize} (altered, moved or inserted)` });
    }
    if (inclusion) lastIndex = inclusion.leafIndex;
  }
  const report = chain.report();
  return { ok: problem === null, events: report.events, streams: report.streams, treeHeads: head ? 1 : 0, signedSize: head?.treeSize ?? 0, unsignedEvents: unsigned, firstProblem: problem };
}
