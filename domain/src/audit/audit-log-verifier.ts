/**
 * Verifies the event log against its audit log: every stream's hash chain,
 * every event against the leaf the Merkle log recorded at its place, and the
 * roots recomputed from the events against every signed tree head. A deleted
 * last event, a stream chain recomputed after an edit, a reordered or
 * inserted event and a truncated log all surface here, each named by the
 * first position where the log and its audit trail disagree. Format 2 leaves
 * (audit-leaf.ts) commit to an event through its stored `metadata.hash`: the
 * chain check, which recomputes that hash from the envelope, is what ties
 * them to the data, so it runs on every event up to the first break (which fails the log anyway).
 */
import { auditLeafHash } from './audit-leaf.js';
import { ChainVerifier, type BrokenLink } from './hash-chain.js';
import { MerkleFrontier } from './merkle-frontier.js';
import { treeHeadSignatureProblem, type AuditPublicKey, type SignedTreeHead } from './signed-tree-head.js';
import type { RecordedEvent } from '../events/envelope.js';

/** A leaf as the log store keeps it. */
export interface LoggedLeaf {
  readonly position: number;
  readonly hash: Buffer;
}

export interface AuditProblem {
  /** The first global position that does not hold. */
  readonly position: number;
  readonly reason: string;
  /** The stream link, when the stream hash chain is what broke. */
  readonly link?: BrokenLink;
  /** The tree head, when a signed tree head is what failed. */
  readonly treeSize?: number;
}

export interface AuditReport {
  readonly ok: boolean;
  readonly events: number;
  readonly streams: number;
  readonly treeHeads: number;
  /** Size of the largest tree head checked (events covered by a signature). */
  readonly signedSize: number;
  /** Events after the last signed tree head (checked against their leaves only). */
  readonly unsignedEvents: number;
  readonly firstProblem: AuditProblem | null;
}

/**
 * Problems come in two kinds: exact ones (an event that differs from its
 * leaf, a broken stream link, a missing position) and ones a tree head shows
 * only for a range of positions (its signature fails, or the events of the
 * range do not hash to its root). The report names the exact one when it
 * falls within or before the first failing range, else that range's start.
 */
export class AuditLogVerifier {
  private readonly chain = new ChainVerifier();
  private readonly frontier = new MerkleFrontier();
  private readonly heads: SignedTreeHead[];
  /** Heads whose signature, or the leaf format they name, does not hold. */
  private readonly signatureProblems = new Map<number, string>();
  private nextHead = 0;
  private lastVerifiedPosition = 0;
  private lastSeenPosition = 0;
  private exact: AuditProblem | null = null;
  private range: (AuditProblem & { readonly rangeEnd: number }) | null = null;

  /** The first position whose leaf is format 2 (null: none): as the latest head that says so signed it, else as the log store records it. */
  private readonly leafV2From: number | null;

  /** `storedLeafV2From`: the log store's record of where format 2 leaves start (it only counts for leaves no tree head names a format for). */
  constructor(treeHeads: readonly SignedTreeHead[], keys: readonly AuditPublicKey[], storedLeafV2From: number | null = null) {
    this.heads = [...treeHeads].sort((a, b) => a.treeSize - b.treeSize);
    for (const head of this.heads) {
      const reason = treeHeadSignatureProblem(head, keys);
      if (reason) this.signatureProblems.set(head.treeSize, reason);
    }
    // Only a head whose signature holds says where format 2 starts.
    const named = this.heads.filter((h) => h.leafV2From !== undefined && h.leafV2From !== null && !this.signatureProblems.has(h.treeSize));
    this.leafV2From = named.length > 0 ? named[named.length - 1]!.leafV2From! : storedLeafV2From;
    for (const head of this.heads) {
      const reason = this.signatureProblems.has(head.treeSize) ? null : this.leafFormatProblem(head);
      if (reason) this.signatureProblems.set(head.treeSize, reason);
    }
  }

  /** A head must name the log's boundary, or (signed before it) cover only format 1 leaves. */
  private leafFormatProblem(head: SignedTreeHead): string | null {
    const own = head.leafV2From ?? null;
    if (own !== null) return own === this.leafV2From ? null : `it signs leaves of format 2 from position ${own}, the log's later heads from ${this.leafV2From}`;
    if (this.leafV2From !== null && head.lastPosition >= this.leafV2From) return `it signs format 1 leaves up to position ${head.lastPosition}, the log's leaves are format 2 from position ${this.leafV2From}`;
    return null;
  }

  /** Feed events in log order, each with the leaf stored at the same index (undefined when the log has none yet). */
  check(event: RecordedEvent, logged: LoggedLeaf | undefined): void {
    if (!this.chain.check(event)) {
      const link = this.chain.report().firstBrokenLink!;
      this.noteExact({ position: link.position, reason: `stream ${link.streamId} revision ${link.revision}: ${link.reason}`, link });
    }
    const leaf = auditLeafHash(event, this.leafV2From);
    if (logged) {
      if (logged.position < event.position) this.noteExact({ position: logged.position, reason: `the event at position ${logged.position} is in the audit log but missing from the event log (deleted)` });
      else if (logged.position > event.position) this.noteExact({ position: event.position, reason: `the event at position ${event.position} is not in the audit log (inserted)` });
      else if (!logged.hash.equals(leaf)) this.noteExact({ position: event.position, reason: `the event at position ${event.position} differs from its leaf in the audit log (edited, moved or re-chained)` });
    }
    // Only the root is wanted: no node objects made.
    this.frontier.appendAt(leaf, 0);
    this.lastSeenPosition = event.position;
    this.checkHeadsAt(event.position);
  }

  /** Call after the last event, with the leaf the log store holds just past it, if any. */
  report(nextLogged: LoggedLeaf | undefined): AuditReport {
    const size = this.frontier.size;
    if (nextLogged) this.noteExact({ position: nextLogged.position, reason: `the event at position ${nextLogged.position} is in the audit log but missing from the event log (deleted or truncated)` });
    for (const head of this.heads.slice(this.nextHead)) {
      const signature = this.signatureProblems.get(head.treeSize);
      if (signature) this.noteRange(head, `tree head of size ${head.treeSize}: ${signature}`);
    }
    const beyond = this.heads.slice(this.nextHead).find((h) => h.treeSize > size);
    if (beyond) this.noteExact({ position: this.lastSeenPosition + 1, treeSize: beyond.treeSize, reason: `a tree head signs ${beyond.treeSize} events up to position ${beyond.lastPosition}, the event log holds only ${size} (truncated)` });
    const signed = this.nextHead > 0 ? this.heads[this.nextHead - 1]!.treeSize : 0;
    const first = this.exact && (!this.range || this.exact.position <= this.range.rangeEnd) ? this.exact : this.range ? { position: this.range.position, reason: this.range.reason, treeSize: this.range.treeSize! } : null;
    return { ok: first === null, events: size, streams: this.chain.report().streams, treeHeads: this.heads.length, signedSize: signed, unsignedEvents: size - signed, firstProblem: first };
  }

  private checkHeadsAt(position: number): void {
    while (this.nextHead < this.heads.length && this.heads[this.nextHead]!.treeSize === this.frontier.size) {
      const head = this.heads[this.nextHead]!;
      const signature = this.signatureProblems.get(head.treeSize);
      if (signature) this.noteRange(head, `tree head of size ${head.treeSize}: ${signature}`);
      else if (head.lastPosition !== position) this.noteRange(head, `tree head of size ${head.treeSize} ends at position ${head.lastPosition}, the log's event number ${head.treeSize} is at ${position}`);
      else if (this.frontier.root().toString('hex') !== head.rootHash) this.noteRange(head, `the events in positions ${this.lastVerifiedPosition + 1}..${position} do not hash to the root signed for tree size ${head.treeSize}`);
      this.lastVerifiedPosition = position;
      this.nextHead += 1;
    }
  }

  private noteExact(problem: AuditProblem): void {
    if (!this.exact || problem.position < this.exact.position) this.exact = problem;
  }

  /** Only the first failing tree head counts: it starts right after the last head that held. */
  private noteRange(head: SignedTreeHead, reason: string): void {
    if (this.range) return;
    this.range = { position: this.lastVerifiedPosition + 1, treeSize: head.treeSize, reason, rangeEnd: head.lastPosition };
  }
}
