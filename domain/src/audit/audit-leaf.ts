/**
 * What a leaf of the audit log commits to: an event's whole envelope as
 * stored — ids, stream, revision, global position, type, metadata (with its
 * per-stream prevHash and hash) and data — as canonical JSON. Unlike the
 * stream hash chain, the leaf covers the position, so moving an event in the
 * log changes its leaf.
 */
import { canonicalDataJson, canonicalJsonWith } from './canonical-json.js';
import { leafHash, type Hash } from './merkle-tree.js';
import type { RecordedEvent } from '../events/envelope.js';

export function auditLeafData(event: RecordedEvent): string {
  const { id, type, streamId, revision, position, data, metadata } = event;
  // The data's canonical form is usually made already, by the append that sealed this very event.
  return canonicalJsonWith({ id, type, streamId, revision, position, data, metadata }, { data: canonicalDataJson(data), metadata: canonicalDataJson(metadata) });
}

export const auditLeafHash = (event: RecordedEvent): Hash => leafHash(auditLeafData(event));
