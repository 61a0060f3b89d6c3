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

export const SignedTreeHeadAnswer = z.object({
  treeSize: z.number().int().min(0),
  lastPosition: Position.describe("Global position of the tree's last leaf (0 for the empty tree)"),
  rootHash: z.string().describe('Hex SHA-256 root (RFC 9162 MTH)'),
  timestamp: Timestamp,
  keyId: z.string().describe('RFC 7638 thumbprint of the signing key; names it in the JWKS'),
  signature: z.string().describe('Base64 Ed25519 signature'),
});

export const ProjectAuditEventsPage = z.object({
  projectId: z.string(),
  treeHead: SignedTreeHeadAnswer.nullable().describe('The head every proof of the page is against; null before the first is signed'),
  nextPosition: Position.nullable().describe('Pass as `fromPosition` for the next page; null on the last'),
  events: z.array(z.object({
    event: RecordedEventAnswer,
    inclusion: z.object({ leafIndex: z.number().int().min(0), proof: z.array(z.string()).describe('Hex hashes, RFC 9162 order') }).nullable().describe('Null for an event no signed tree head covers yet'),
  })),
});
