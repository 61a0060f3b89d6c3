/** Answers of the audit routes (issue 13): recorded events, signed tree heads, inclusion proofs. */
import { z } from 'zod';
import { Position, Timestamp } from '../http/written.js';

/** An event as the store recorded it (personal fields sealed, see docs/audit.md). */
export const RecordedEventAnswer = z.object({
  id: z.string(),
  type: z.string(),
  streamId: z.string(),
  revision: z.number().int().min(0),
  position: Position,
  data: z.unknown().describe("The event's data as stored"),
  metadata: z.object({
    occurredAt: Timestamp,
    actor: z.string().nullable(),
    schema: z.number().int().describe("Version of the event's data shape"),
    prevHash: z.string().describe('SHA-256 of the predecessor in the same stream (64 zeros for the first)'),
    hash: z.string().describe("SHA-256 of this event's canonical form, prevHash included"),
  }).describe('Also correlation and causation ids and trace context where recorded'),
});
export type RecordedEventAnswer = z.infer<typeof RecordedEventAnswer>;

export const SignedTreeHeadAnswer = z.object({
  treeSize: z.number().int().min(0),
  lastPosition: Position.describe("Global position of the tree's last leaf (0 for the empty tree)"),
  rootHash: z.string().describe('Hex SHA-256 root (RFC 9162 MTH)'),
  timestamp: Timestamp,
  keyId: z.string().describe('RFC 7638 thumbprint of the signing key; names it in the JWKS'),
  leafV2From: Position.optional().describe('The first global position whose leaf is format 2 (docs/audit.md, "Leaf formats"); absent: every leaf of the tree is format 1. Signed with the rest'),
  signature: z.string().describe('Base64 Ed25519 signature'),
});
export type SignedTreeHeadAnswer = z.infer<typeof SignedTreeHeadAnswer>;

export const ProjectAuditEventsPage = z.object({
  projectId: z.string(),
  treeHead: SignedTreeHeadAnswer.nullable().describe('The head every proof of the page is against; null before the first is signed'),
  nextPosition: Position.nullable().describe('Pass as `fromPosition` for the next page; null on the last'),
  events: z.array(z.object({
    event: RecordedEventAnswer,
    inclusion: z.object({ leafIndex: z.number().int().min(0), proof: z.array(z.string()).describe('Hex hashes, RFC 9162 order') }).nullable().describe('Null for an event no signed tree head covers yet'),
  })),
});
export type ProjectAuditEventsPage = z.infer<typeof ProjectAuditEventsPage>;

/** `GET /api/audit/keys`: the JWKS of the keys that sign tree heads, retired keys included. */
export const AuditKeys = z.object({
  keys: z.array(z.object({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: z.string().describe('Base64url public key'),
    kid: z.string().describe('RFC 7638 thumbprint; the keyId of the tree heads it signs'),
    use: z.literal('sig').optional(),
    alg: z.literal('EdDSA').optional(),
  })),
});
export type AuditKeys = z.infer<typeof AuditKeys>;

export const TreeHeads = z.object({
  items: z.array(SignedTreeHeadAnswer).describe('Oldest first'),
  latest: SignedTreeHeadAnswer.nullable().describe('Null before the first is signed'),
  logSize: z.number().int().min(0).describe('Leaves in the audit log now, signed or not'),
});

const HexHashes = z.array(z.string()).describe('Hex hashes, RFC 9162 order');

export const InclusionProofAnswer = z.object({
  position: Position,
  streamId: z.string(),
  revision: z.number().int().min(0),
  leafIndex: z.number().int().min(0),
  leafHash: z.string().describe('Hex SHA-256 leaf hash'),
  treeSize: z.number().int().min(1),
  proof: HexHashes,
  treeHead: SignedTreeHeadAnswer,
});

export const ConsistencyProofAnswer = z.object({
  from: z.number().int().min(0),
  to: z.number().int().min(0),
  proof: HexHashes,
  fromHead: SignedTreeHeadAnswer.nullable().describe('Null when no tree head of that size was signed'),
  toHead: SignedTreeHeadAnswer.nullable(),
});

/** A stream hash-chain link that does not hold. */
export const BrokenLink = z.object({ streamId: z.string(), revision: z.number().int(), position: Position, eventId: z.string(), reason: z.string() });

/** `GET /api/audit/verify`: the outcome, the counts, and the first position that does not hold. */
export const AuditVerification = z.object({
  scope: z.enum(['all', 'project']),
  projectId: z.string().optional().describe('With scope project'),
  ok: z.boolean(),
  events: z.number().int().min(0),
  streams: z.number().int().min(0),
  treeHeads: z.number().int().min(0),
  signedSize: z.number().int().min(0).describe('Size of the largest tree head checked'),
  unsignedEvents: z.number().int().min(0).describe('Events after the last signed tree head (checked against their leaves only)'),
  firstProblem: z.object({
    position: z.number().int(),
    reason: z.string(),
    link: BrokenLink.optional(),
    treeSize: z.number().int().optional(),
  }).nullable(),
  firstBrokenLink: BrokenLink.nullable().describe("The first problem's broken stream link, if that is what broke"),
});

/** `GET /api/streams/{streamId}/events`: a page of a stream's recorded events (secrets redacted). */
export const StreamEventsPage = z.object({
  streamId: z.string(),
  events: z.array(RecordedEventAnswer),
  nextRevision: z.number().int().min(0).nullable().describe('Pass as `fromRevision` for the next page; null on the last'),
});
