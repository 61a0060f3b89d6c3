import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NewEvent } from '@resoft/domain';
import { createLogger, loadAuditKeyRing, verifyAuditLog } from '@resoft/infra';
import { SqliteEventStore, SqliteMerkleLogStore } from '@resoft/adapter-sqlite';
import { MerkleLogBuilder } from './merkle-log-builder.js';

const event = (n: number): NewEvent => ({ id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`, type: 'ThingHappened', data: { n }, metadata: { actor: 'u1', correlationId: `c${n}`, causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', schema: 1 } });

describe('the audit log builder', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-builder-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stores leaves once per tree head interval, signs exactly every signEvery events, and stores the rest soon after the appends stop', async () => {
    const events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    const log = new SqliteMerkleLogStore({ file: path.join(dir, 'audit-log.sqlite') });
    const keys = loadAuditKeyRing(dir, undefined);
    // Counts the writes the builder makes to the real store.
    const writes: number[] = [];
    const append = log.append.bind(log);
    log.append = (expectedSize, leaves, nodes) => (writes.push(leaves.length), append(expectedSize, leaves, nodes));
    const builder = new MerkleLogBuilder(events, log, keys, { signEvery: 100, signIntervalMs: 60_000, flushDelayMs: 2000 }, createLogger('silent'));
    try {
      await builder.start();
      // One append at a time with pauses, as live commands arrive: the builder gets many small deliveries.
      for (let b = 0; b < 25; b += 1) {
        await events.append(`thing-${b}`, Array.from({ length: 10 }, (_, i) => event(b * 10 + i + 1)), 'no_stream');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(await builder.waitFor(250, 20_000)).toBe(true);
      expect((await log.state()).size).toBe(250);
      expect((await log.treeHeads()).map((h) => h.treeSize)).toEqual([100, 200]);
      expect(writes.reduce((a, b) => a + b, 0)).toBe(250);
      // A write per tree head interval, and for the 50 after them one write once the flush delay passed
      // (a few more only if the appends themselves took longer than the delay), not one per delivery.
      expect(writes.length).toBeLessThan(10);
      expect((await verifyAuditLog(events, log, keys.publicKeys)).ok).toBe(true);
    } finally {
      await builder.stop();
      await log.close();
      await events.close();
    }
  });

  it('keeps up with an appender that never yields: the events it has not hashed yet stay few, and the log verifies', async () => {
    const events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    const log = new SqliteMerkleLogStore({ file: path.join(dir, 'audit-log.sqlite') });
    const keys = loadAuditKeyRing(dir, undefined);
    const builder = new MerkleLogBuilder(events, log, keys, { signEvery: 1000, signIntervalMs: 60_000 }, createLogger('silent'));
    // What the store holds for the builder (its recent appends): before the builder was woken per append, all of them.
    const held = (): number => (events as unknown as { recent: { size: number } }).recent.size;
    try {
      await builder.start();
      let most = 0;
      for (let b = 0; b < 100; b += 1) {
        await events.append(`thing-${b}`, Array.from({ length: 100 }, (_, i) => event(b * 100 + i + 1)), 'no_stream');
        most = Math.max(most, held());
      }
      expect(await builder.waitFor(10_000, 60_000)).toBe(true);
      expect(most).toBeLessThan(5000);
      // The leaves are stored before the head that covers them is: wait for that one too.
      await builder.signNow();
      expect((await log.treeHeads({ limit: 100 })).map((h) => h.treeSize)).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * 1000));
      expect((await verifyAuditLog(events, log, keys.publicKeys)).ok).toBe(true);
    } finally {
      await builder.stop();
      await log.close();
      await events.close();
    }
  }, 120_000);

  it('recovers from a failed store write: batches queued behind it are dropped and hashed again from the store, and the log verifies', async () => {
    const events = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    const log = new SqliteMerkleLogStore({ file: path.join(dir, 'audit-log.sqlite') });
    const keys = loadAuditKeyRing(dir, undefined);
    const append = log.append.bind(log);
    let calls = 0;
    log.append = (expectedSize, leaves, nodes) => {
      calls += 1;
      return calls === 2 ? Promise.reject(new Error('disk full')) : append(expectedSize, leaves, nodes);
    };
    const builder = new MerkleLogBuilder(events, log, keys, { signEvery: 50, signIntervalMs: 60_000 }, createLogger('silent'));
    try {
      await builder.start();
      for (let b = 0; b < 30; b += 1) {
        await events.append(`thing-${b}`, Array.from({ length: 10 }, (_, i) => event(b * 10 + i + 1)), 'no_stream');
      }
      expect(await builder.waitFor(300, 60_000)).toBe(true);
      expect(calls).toBeGreaterThan(2);
      expect(await log.state()).toEqual({ size: 300, lastPosition: 300, leafV2From: 1 });
      expect((await log.treeHeads()).map((h) => h.treeSize)).toEqual([50, 100, 150, 200, 250, 300]);
      expect((await verifyAuditLog(events, log, keys.publicKeys)).ok).toBe(true);
      expect(builder.problem).toBeNull();
    } finally {
      await builder.stop();
      await log.close();
      await events.close();
    }
  }, 120_000);
});
