import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import Database from 'better-sqlite3';
import { MerkleFrontier, auditLeafHash, treeHeadMessage, sealEvent, GENESIS_HASH, type NewEvent, type SignedTreeHead } from '@resoft/domain';
import { createLogger, loadAuditKeyRing, verifyAuditLog, type AuditKeyRing } from '@resoft/infra';
import { SqliteEventStore, SqliteMerkleLogStore } from '@resoft/adapter-sqlite';
import { type EventStore, type MerkleLogStore } from '@resoft/ports';
import { MongoMerkleLogStore } from '@resoft/adapter-mongodb';
import { MerkleLogBuilder } from './merkle-log-builder.js';

const STREAMS = ['project-a', 'room-b', 'doc-c'];
const EVENTS = 12;

function newEvent(n: number): NewEvent {
  return { id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`, type: 'ThingHappened', data: { n, text: `event ${n}` }, metadata: { actor: 'u1', correlationId: `c${n}`, causationId: null, occurredAt: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z`, schema: 1 } };
}

interface Fixture {
  readonly dir: string;
  readonly keys: AuditKeyRing;
  readonly db: Database.Database;
  /** The SQLite audit log's file (an empty file when the log is in MongoDB). */
  readonly auditDb: Database.Database;
  verify(): ReturnType<typeof verifyAuditLog>;
  cleanup(): void;
}

/** Writes the log as builders did before leaf format 2: format 1 leaves for the events up to `upTo`, a tree head (naming no leaf format) every 4. */
async function formatOneLog(events: EventStore, log: MerkleLogStore, keys: AuditKeyRing, upTo: number): Promise<void> {
  const frontier = new MerkleFrontier();
  for (const event of (await events.readAll({ after: 0, maxCount: upTo })).filter((e) => e.position <= upTo)) {
    const made = frontier.append(auditLeafHash(event, null));
    await log.append(frontier.size - 1, [{ index: made[0]!.index, position: event.position, hash: made[0]!.hash }], made.slice(1));
    if (frontier.size % 4 !== 0) continue;
    const unsigned = { treeSize: frontier.size, lastPosition: event.position, rootHash: frontier.root().toString('hex'), timestamp: '2026-01-01T01:00:00.000Z', keyId: keys.activeKeyId };
    await log.addTreeHead({ ...unsigned, signature: keys.sign(treeHeadMessage(unsigned)) });
  }
}

/**
 * Twelve events over three streams, the audit log built with a tree head every 4 events, then the stores closed.
 * `formatOneUpTo`: the log's leaves up to that position written as before leaf format 2, the builder started on it after.
 */
async function loggedHistory(openLog?: () => Promise<MerkleLogStore>, formatOneUpTo = 0): Promise<Fixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-audit-'));
  const eventsFile = path.join(dir, 'events.sqlite');
  const logFile = path.join(dir, 'audit-log.sqlite');
  const openAudit = openLog ?? (async () => new SqliteMerkleLogStore({ file: logFile }));
  const store = new SqliteEventStore({ file: eventsFile });
  const revisions = new Map<string, number>();
  for (let n = 1; n <= EVENTS; n += 1) {
    const stream = STREAMS[n % STREAMS.length]!;
    const { nextRevision } = await store.append(stream, [newEvent(n)], revisions.get(stream) ?? 'no_stream');
    revisions.set(stream, nextRevision);
  }
  const log = await openAudit();
  const keys = loadAuditKeyRing(dir, undefined);
  await formatOneLog(store, log, keys, formatOneUpTo);
  if (formatOneUpTo < EVENTS) {
    const builder = new MerkleLogBuilder(store, log, keys, { signEvery: 4, signIntervalMs: 60_000 }, createLogger('silent'));
    await builder.start();
    expect(await builder.waitFor(EVENTS, 10_000)).toBe(true);
    await builder.stop();
  }
  expect((await log.treeHeads()).map((h) => h.treeSize)).toEqual([4, 8, 12]);
  await log.close();
  await store.close();
  const db = new Database(eventsFile);
  const auditDb = new Database(logFile);
  return {
    dir, keys, db, auditDb,
    async verify() {
      const events = new SqliteEventStore({ file: eventsFile });
      const audit = await openAudit();
      try {
        return await verifyAuditLog(events, audit, keys.publicKeys);
      } finally {
        await events.close();
        await audit.close();
      }
    },
    cleanup() {
      db.close();
      auditDb.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Row { position: number; event_id: string; stream_id: string; revision: number; type: string; data: string; metadata: string }

/** Rewrites an event's data and recomputes the rest of its stream's chain, as someone with write access to the file could. */
function editAndRechain(db: Database.Database, position: number, data: unknown): void {
  const target = db.prepare('SELECT * FROM events WHERE position = ?').get(position) as Row;
  const rows = db.prepare('SELECT * FROM events WHERE stream_id = ? ORDER BY revision').all(target.stream_id) as Row[];
  let prev = GENESIS_HASH;
  for (const row of rows) {
    const meta = JSON.parse(row.metadata) as Record<string, unknown>;
    const { hash: _old, prevHash: _p, ...context } = meta;
    const sealed = sealEvent({ id: row.event_id, type: row.type, data: row.position === position ? data : JSON.parse(row.data), metadata: context as unknown as NewEvent['metadata'] }, row.stream_id, row.revision, prev);
    db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(JSON.stringify(sealed.data), JSON.stringify(sealed.metadata), row.position);
    prev = sealed.metadata.hash;
  }
  db.prepare('UPDATE streams SET hash = ? WHERE stream_id = ?').run(prev, target.stream_id);
}

/** Cuts the leaves after `lastPosition` off the SQLite log (leaves are packed in blocks of 256: 8-byte positions, 32-byte hashes). */
function truncateLeaves(auditDb: Database.Database, lastPosition: number): void {
  const block = auditDb.prepare('SELECT block_index, positions, hashes FROM audit_leaf_blocks ORDER BY block_index DESC LIMIT 1').get() as { block_index: number; positions: Buffer; hashes: Buffer };
  let keep = 0;
  while (keep * 8 < block.positions.length && block.positions.readDoubleLE(keep * 8) <= lastPosition) keep += 1;
  auditDb.prepare('UPDATE audit_leaf_blocks SET positions = ?, hashes = ? WHERE block_index = ?').run(block.positions.subarray(0, keep * 8), block.hashes.subarray(0, keep * 32), block.block_index);
}

// The same tampering, whatever format the leaves have: a new log (format 2 from its first event), a log made before
// format 2 (format 1 throughout, never started on since), and such a log the builder went on with (format 2 from position 9).
const LEAF_FORMATS: Array<[string, number]> = [['format 2 leaves', 0], ['format 1 leaves (a log made before format 2)', EVENTS], ['format 1 leaves up to position 8, format 2 after', 8]];

describe.each(LEAF_FORMATS)('audit log verification on SQLite catches tampering and names the first bad position (%s)', (_name, formatOneUpTo) => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await loggedHistory(undefined, formatOneUpTo);
  });
  afterEach(() => fixture.cleanup());

  it('passes an untouched history with every event under a signed tree head', async () => {
    expect(await fixture.verify()).toMatchObject({ ok: true, events: 12, streams: 3, treeHeads: 3, signedSize: 12, unsignedEvents: 0, firstProblem: null });
  });

  it('edit: an event whose data was changed in place', async () => {
    fixture.db.prepare('UPDATE events SET data = ? WHERE position = 5').run(JSON.stringify({ n: 5, text: 'forged' }));
    expect((await fixture.verify()).firstProblem).toMatchObject({ position: 5 });
  });

  it('delete middle: an event removed from the middle of the log', async () => {
    fixture.db.prepare('DELETE FROM events WHERE position = 6').run();
    const report = await fixture.verify();
    expect(report.firstProblem).toMatchObject({ position: 6, reason: expect.stringContaining('missing') });
  });

  it('delete last: the last event of the log (and of its stream) removed', async () => {
    fixture.db.prepare('DELETE FROM events WHERE position = 12').run();
    const report = await fixture.verify();
    expect(report).toMatchObject({ ok: false, firstProblem: { position: 12, reason: expect.stringContaining('missing') } });
  });

  it('recompute a stream chain: an edit with every later hash of the stream recomputed passes the chain but not the audit log', async () => {
    editAndRechain(fixture.db, 5, { n: 5, text: 'forged' });
    const report = await fixture.verify();
    expect(report.firstProblem).toMatchObject({ position: 5, reason: expect.stringContaining('differs from its leaf') });
    expect(report.firstProblem?.link).toBeUndefined();
  });

  it('recompute a stream chain and the audit leaves too: the signed root no longer matches', async () => {
    editAndRechain(fixture.db, 5, { n: 5, text: 'forged' });
    // Even with the leaf rewritten to match, the tree head signed over the original is what fails.
    fixture.auditDb.prepare('DELETE FROM audit_leaf_blocks').run();
    const report = await fixture.verify();
    expect(report.firstProblem).toMatchObject({ position: 5, treeSize: 8, reason: expect.stringContaining('do not hash to the root') });
  });

  it('reorder: two events swapped in the log', async () => {
    const [a, b] = [7, 8].map((p) => fixture.db.prepare('SELECT * FROM events WHERE position = ?').get(p) as Row);
    const swap = fixture.db.transaction(() => {
      fixture.db.prepare('UPDATE events SET position = -1 WHERE position = 7').run();
      fixture.db.prepare('UPDATE events SET position = 7 WHERE position = 8').run();
      fixture.db.prepare('UPDATE events SET position = 8 WHERE position = -1').run();
    });
    swap();
    expect(a!.stream_id).not.toBe(b!.stream_id);
    expect((await fixture.verify()).firstProblem).toMatchObject({ position: 7 });
  });

  it('insert: a forged event slipped into the middle with the later positions shifted', async () => {
    const insert = fixture.db.transaction(() => {
      fixture.db.prepare('UPDATE events SET position = position + 1000 WHERE position >= 7').run();
      fixture.db.prepare('UPDATE events SET position = position - 999 WHERE position >= 1000').run();
      const sealed = sealEvent(newEvent(99), 'project-forged', 0, GENESIS_HASH);
      fixture.db.prepare('INSERT INTO events (position, event_id, stream_id, revision, type, data, metadata) VALUES (7, ?, ?, 0, ?, ?, ?)').run(sealed.id, sealed.streamId, sealed.type, JSON.stringify(sealed.data), JSON.stringify(sealed.metadata));
    });
    insert();
    expect((await fixture.verify()).firstProblem).toMatchObject({ position: 7 });
  });

  it('truncate: the tail of the log cut off, audit leaves included, is caught by the signed tree head', async () => {
    fixture.db.prepare('DELETE FROM events WHERE position > 9').run();
    truncateLeaves(fixture.auditDb, 9);
    const report = await fixture.verify();
    expect(report.firstProblem).toMatchObject({ position: 10, treeSize: 12, reason: expect.stringContaining('truncated') });
  });

  it('swap a tree head: a head carrying another head\'s root and signature', async () => {
    const latest = fixture.auditDb.prepare('SELECT root_hash, signature FROM audit_tree_heads WHERE tree_size = 12').get() as { root_hash: string; signature: string };
    fixture.auditDb.prepare('UPDATE audit_tree_heads SET root_hash = ?, signature = ? WHERE tree_size = 8').run(latest.root_hash, latest.signature);
    const report = await fixture.verify();
    // Tree head 8 covers positions 5..8 after head 4: the first position it no longer vouches for is 5.
    expect(report.firstProblem).toMatchObject({ position: 5, treeSize: 8, reason: expect.stringContaining('signature does not verify') });
  });

  it('wrong key: tree heads re-signed by a key that is not trusted', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const intruder = loadAuditKeyRing(path.join(fixture.dir, 'intruder'), privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const heads = fixture.auditDb.prepare('SELECT * FROM audit_tree_heads').all() as Array<{ tree_size: number; last_position: number; root_hash: string; timestamp: string }>;
    for (const h of heads) {
      const head: Omit<SignedTreeHead, 'signature'> = { treeSize: h.tree_size, lastPosition: h.last_position, rootHash: h.root_hash, timestamp: h.timestamp, keyId: intruder.activeKeyId };
      fixture.auditDb.prepare('UPDATE audit_tree_heads SET key_id = ?, signature = ? WHERE tree_size = ?').run(intruder.activeKeyId, intruder.sign(treeHeadMessage(head)), h.tree_size);
    }
    const report = await fixture.verify();
    expect(report.firstProblem).toMatchObject({ position: 1, treeSize: 4, reason: expect.stringContaining('not a trusted key') });
  });
});

describe('leaf formats on SQLite', () => {
  let fixture: Fixture;
  afterEach(() => fixture.cleanup());
  const heads = () => fixture.auditDb.prepare('SELECT tree_size, leaf_v2_from FROM audit_tree_heads ORDER BY tree_size').all();

  it('a new log has format 2 leaves from its first event, and every tree head signs that', async () => {
    fixture = await loggedHistory();
    expect(fixture.auditDb.prepare('SELECT leaf_v2_from FROM audit_leaf_format').get()).toEqual({ leaf_v2_from: 1 });
    expect(heads()).toEqual([4, 8, 12].map((size) => ({ tree_size: size, leaf_v2_from: 1 })));
  });

  it('a log of format 1 leaves goes on in format 2 after its last leaf; its older tree heads keep verifying', async () => {
    fixture = await loggedHistory(undefined, 8);
    expect(fixture.auditDb.prepare('SELECT leaf_v2_from FROM audit_leaf_format').get()).toEqual({ leaf_v2_from: 9 });
    expect(heads()).toEqual([{ tree_size: 4, leaf_v2_from: null }, { tree_size: 8, leaf_v2_from: null }, { tree_size: 12, leaf_v2_from: 9 }]);
    expect(await fixture.verify()).toMatchObject({ ok: true, treeHeads: 3, signedSize: 12 });
  });

  it('format 2: a data edit that left metadata.hash as it was still matches its leaf, and is caught by the recomputed hash', async () => {
    fixture = await loggedHistory();
    fixture.db.prepare('UPDATE events SET data = ? WHERE position = 5').run(JSON.stringify({ n: 5, text: 'forged' }));
    expect((await fixture.verify()).firstProblem).toMatchObject({ position: 5, reason: expect.stringContaining('content does not match its hash'), link: { position: 5 } });
  });

  it('the signed tree heads decide the format, not the log store\'s record of it', async () => {
    fixture = await loggedHistory(undefined, 8);
    fixture.auditDb.prepare('UPDATE audit_leaf_format SET leaf_v2_from = 1').run();
    expect((await fixture.verify()).ok).toBe(true);
  });

  it('a tree head\'s leafV2From is signed: changing it breaks the signature', async () => {
    fixture = await loggedHistory(undefined, 8);
    fixture.auditDb.prepare('UPDATE audit_tree_heads SET leaf_v2_from = 5 WHERE tree_size = 12').run();
    expect((await fixture.verify()).firstProblem).toMatchObject({ position: 9, treeSize: 12, reason: expect.stringContaining('signature does not verify') });
  });

  it('a tree head signed with another format boundary (by the operator\'s own key) contradicts the leaves and older heads', async () => {
    fixture = await loggedHistory(undefined, 8);
    const h = fixture.auditDb.prepare('SELECT * FROM audit_tree_heads WHERE tree_size = 12').get() as { last_position: number; root_hash: string; timestamp: string; key_id: string };
    const unsigned = { treeSize: 12, lastPosition: h.last_position, rootHash: h.root_hash, timestamp: h.timestamp, keyId: h.key_id, leafV2From: 7 };
    fixture.auditDb.prepare('UPDATE audit_tree_heads SET leaf_v2_from = 7, signature = ? WHERE tree_size = 12').run(fixture.keys.sign(treeHeadMessage(unsigned)));
    // Positions 7 and 8 are format 1 leaves under head 8: read as format 2 they differ from their leaves.
    expect((await fixture.verify()).firstProblem).toMatchObject({ position: 7, reason: expect.stringContaining('differs from its leaf') });
  });
});

const MONGO_URL = process.env['MONGO_URL'];
const MONGO_SKIP = 'skipped: MONGO_URL is not set (start an engine with infra/engines/ferretdb.sh start)';
if (!MONGO_URL) console.warn(`audit log tamper tests with the log in MongoDB ${MONGO_SKIP}`);

(MONGO_URL ? describe : describe.skip)(`audit log verification with the log in MongoDB${MONGO_URL ? '' : ` (${MONGO_SKIP})`}`, () => {
  let fixture: Fixture;
  let stores: MongoMerkleLogStore[] = [];
  beforeEach(async () => {
    // One database per test; the builder and each verification open their own connection to it.
    const database = `resoft_tamper_${Math.random().toString(36).slice(2, 10)}`;
    fixture = await loggedHistory(async () => {
      const store = await MongoMerkleLogStore.connect({ url: MONGO_URL ?? '', database });
      stores.push(store);
      return store;
    });
  });
  afterEach(async () => {
    const [any] = stores;
    if (any) {
      const cleanup = await MongoMerkleLogStore.connect({ url: MONGO_URL ?? '', database: any.database.databaseName });
      await cleanup.database.dropDatabase();
      await cleanup.close();
    }
    stores = [];
    fixture.cleanup();
  });

  it('passes an untouched history', async () => {
    expect(await fixture.verify()).toMatchObject({ ok: true, events: 12, treeHeads: 3, signedSize: 12 });
  });

  it('names a deleted last event', async () => {
    fixture.db.prepare('DELETE FROM events WHERE position = 12').run();
    expect((await fixture.verify()).firstProblem).toMatchObject({ position: 12 });
  });

  it('names an edit whose stream chain was recomputed', async () => {
    editAndRechain(fixture.db, 5, { n: 5, text: 'forged' });
    expect((await fixture.verify()).firstProblem).toMatchObject({ position: 5 });
  });

  it('names a reordered pair', async () => {
    fixture.db.transaction(() => {
      fixture.db.prepare('UPDATE events SET position = -1 WHERE position = 7').run();
      fixture.db.prepare('UPDATE events SET position = 7 WHERE position = 8').run();
      fixture.db.prepare('UPDATE events SET position = 8 WHERE position = -1').run();
    })();
    expect((await fixture.verify()).firstProblem).toMatchObject({ position: 7 });
  });
});
