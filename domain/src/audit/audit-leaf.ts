/**
 * What a leaf of the audit log commits to: an event's whole envelope as
 * stored — ids, stream, revision, global position, type, metadata (with its
 * per-stream prevHash and hash) and data — as canonical JSON. Unlike the
 * stream hash chain, the leaf covers the position, so moving an event in the
 * log changes its leaf.
 */
import { canonicalFormsOf, canonicalJson, canonicalJsonWith } from './canonical-json.js';
import { leafHash, type Hash } from './merkle-tree.js';
import type { RecordedEvent } from '../events/envelope.js';

export function auditLeafData(event: RecordedEvent): string {
  const { id, type, streamId, revision, position, data, metadata } = event;
  // The data's and metadata's canonical forms are usually made already, by the append that sealed this very event.
  const given = canonicalFormsOf(event) ?? { data: canonicalJson(data), metadata: canonicalJson(metadata) };
  if (id === undefined || type === undefined || streamId === undefined || revision === undefined || position === undefined || data === undefined || metadata === undefined) {
    return canonicalJsonWith({ id, type, streamId, revision, position, data, metadata }, given);
  }
  // Every member present: their keys in canonical order, written out (the builder makes one of these per event).
  return `{"data":${given.data},"id":${canonicalJson(id)},"metadata":${given.metadata},"position":${canonicalJson(position)},"revision":${canonicalJson(revision)},"streamId":${canonicalJson(streamId)},"type":${canonicalJson(type)}}`;
}

export const auditLeafHash = (event: RecordedEvent): Hash => leafHash(auditLeafData(event));
