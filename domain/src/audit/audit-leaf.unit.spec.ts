import { createHash } from 'node:crypto';
import { GENESIS_HASH, type RecordedEvent } from '../events/envelope.js';
import { auditLeafData, auditLeafHash, auditLeafHashInto, leafFormatAt } from './audit-leaf.js';
import { leafHash } from './merkle-tree.js';
import { sealEvent } from './hash-chain.js';
import { treeHeadMessage } from './signed-tree-head.js';

const event = { ...sealEvent({ id: 'e-1', type: 'Something', data: { text: 'ü' }, metadata: { actor: 'u-1', correlationId: 'c-1', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', schema: 1 } }, 'project-a', 0, GENESIS_HASH), position: 42 } as RecordedEvent;

describe('audit leaf formats', () => {
  it('format 2 is the canonical JSON of the stored hash, the position and v: 2, hashed with the RFC 9162 leaf prefix', () => {
    const data = `{"hash":"${event.metadata.hash}","position":42,"v":2}`;
    expect(auditLeafData(event, 1)).toBe(data);
    expect(auditLeafHash(event, 1).toString('hex')).toBe(createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(data)])).digest('hex'));
  });

  it('format 2 hashes the same bytes as its leaf data for every number of digits of the position, and for a hash that is not lowercase hex', () => {
    const positions = [0, 1, 9, 10, 99, 100, 123_456_789, 2 ** 53 - 1];
    for (const position of positions) {
      const at = { ...event, position } as RecordedEvent;
      expect(auditLeafHash(at, 0).toString('hex')).toBe(leafHash(auditLeafData(at, 0)).toString('hex'));
    }
    for (const hash of [event.metadata.hash.toUpperCase(), 'a"b', 'ü'.repeat(64), `${'a'.repeat(63)}é`, `"${'a'.repeat(63)}`, `${'a'.repeat(63)}\\`, '\u0001'.repeat(64)]) {
      const odd = { ...event, metadata: { ...event.metadata, hash } } as RecordedEvent;
      expect(auditLeafHash(odd, 1).toString('hex')).toBe(createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(auditLeafData(odd, 1))])).digest('hex'));
    }
  });

  it('writes the same leaf hash into a packed buffer as it returns, in either format and for odd hashes', () => {
    const target = Buffer.alloc(32 * 3, 0xee);
    const cases: [RecordedEvent, number | null][] = [[event, 1], [event, null], [{ ...event, position: 2 ** 53 - 1 } as RecordedEvent, 0]];
    for (const hash of ['a"b', `${'a'.repeat(63)}é`, `${'a'.repeat(63)}\u007f`, '\u0100'.repeat(64)]) cases.push([{ ...event, metadata: { ...event.metadata, hash } } as RecordedEvent, 1]);
    for (const [leaf, leafV2From] of cases) {
      auditLeafHashInto(leaf, leafV2From, target, 32);
      expect(target.subarray(32, 64).toString('hex')).toBe(auditLeafHash(leaf, leafV2From).toString('hex'));
      // Nothing written around it.
      expect(target.subarray(0, 32).every((b) => b === 0xee) && target.subarray(64).every((b) => b === 0xee)).toBe(true);
    }
  });

  it('format 1 (the whole envelope) before leafV2From, and everywhere in a log that names none', () => {
    const envelope = auditLeafData(event, null);
    expect(JSON.parse(envelope)).toEqual({ id: 'e-1', type: 'Something', streamId: 'project-a', revision: 0, position: 42, data: { text: 'ü' }, metadata: event.metadata });
    expect(auditLeafData(event, 43)).toBe(envelope);
    expect(auditLeafData(event, 42)).not.toBe(envelope);
    expect([leafFormatAt(41, 42), leafFormatAt(42, 42), leafFormatAt(42, null), leafFormatAt(42, undefined)]).toEqual([1, 2, 1, 1]);
  });

  it('signs six lines for a head naming no leaf format (unchanged) and seven under resoft-tree-head/v2 for one that does', () => {
    const head = { treeSize: 3, lastPosition: 9, rootHash: 'ab', timestamp: '2026-01-01T00:00:00.000Z', keyId: 'k' };
    expect(treeHeadMessage(head).toString()).toBe('resoft-tree-head/v1\n3\n9\nab\n2026-01-01T00:00:00.000Z\nk');
    expect(treeHeadMessage({ ...head, leafV2From: 1 }).toString()).toBe('resoft-tree-head/v2\n3\n9\nab\n2026-01-01T00:00:00.000Z\nk\n1');
  });
});
