/**
 * Audit log benchmark (`npm run bench:audit`): what the Merkle log adds to
 * appends (the bench:store batched workload with and without the builder
 * following the log), the leaf's hashing alone per leaf format, inclusion and consistency proof latency at 1M leaves
 * (P50/P99 over random sizes), the export of a 100k-event project's
 * bundle, as-of chat pages, and as-of file reads: full replay, from the
 * files projection's recorded text versions, and (AUDIT_BENCH_AS_OF_SNAPSHOTS)
 * from the periodic document snapshots. Sizes can be lowered with AUDIT_BENCH_LEAVES,
 * AUDIT_BENCH_BUNDLE_EVENTS, AUDIT_BENCH_AS_OF_EVENTS and
 * AUDIT_BENCH_AS_OF_FILE_EVENTS / AUDIT_BENCH_AS_OF_FILES / AUDIT_BENCH_RECORDED_READ_EVENTS for a quick
 * run; AUDIT_BENCH_ONLY picks one part (append, leaf, proofs, bundle, as-of, as-of-files, as-of-files-recorded: the recorded read path at 100k events).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatPageCollector, GENESIS_HASH, MerkleFrontier, auditLeafHash, documentStreamId, sealEvent, type RecordedEvent, fileTreeStreamId, consistencyProof, inclusionProof, leafHash, verifyConsistency, verifyInclusion, withNodes, type NewEvent, type NodeRef, type StoredNode } from '@resoft/domain';
import { DocumentSnapshotsAsOf, createLogger, loadAuditKeyRing } from '@resoft/infra';
import { SqliteEventStore, SqliteMerkleLogStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { readBackwardsFrom, type LogLeaf } from '@resoft/ports';
import {
  FILE_TEXT_VERSIONS, TEXT_CHECKPOINT_EVERY, applySplices, createTextDocument, fileTextVersionId, fileTextVersionsCollection, projectFilesAsOf, replaceText,
  type FileTextVersion, type TextSplice,
} from '@resoft/documents';
import { MerkleLogBuilder, ReadModels, filesProjection, projectStreamsProjection, rebuildProjections } from '@resoft/projectors';
import { buildAuditBundle } from '@resoft/query-service';
import { sharedCatalog } from '@resoft/templates';

const LEAVES = Number(process.env['AUDIT_BENCH_LEAVES'] ?? 1_000_000);
const BUNDLE_EVENTS = Number(process.env['AUDIT_BENCH_BUNDLE_EVENTS'] ?? 100_000);
const APPEND_BATCHES = 500;
const BATCH_SIZE = 100;
const PROOFS = 2000;

const silent = createLogger('silent');

function taskEvent(n: number, extra: Record<string, unknown> = {}): NewEvent {
  const id = randomUUID();
  return {
    id, type: 'TaskCreated',
    data: { taskId: `task-${n}`, title: `Task number ${n}`, description: 'Write the thing, then test the thing, then ship it.', labels: ['backend', 'bench'], estimate: n % 8, ...extra },
    metadata: { actor: `user-${n % 50}`, correlationId: id, causationId: null, occurredAt: new Date().toISOString(), schema: 1 },
  };
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

interface RunCost {
  readonly wallSeconds: number;
  /** CPU time of this process (user + system): steadier than wall time on a shared machine. */
  readonly cpuSeconds: number;
  /** The system part of it (the SQLite files' writes, mostly). */
  readonly systemSeconds: number;
}

/** Same workload as bench:store's batched appends; with the builder, timed until the audit log holds the last event. */
async function appendRun(withAuditLog: boolean): Promise<RunCost> {
  const dir = mkdtempSync(join(tmpdir(), 'resoft-audit-bench-'));
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const log = new SqliteMerkleLogStore({ file: join(dir, 'audit-log.sqlite') });
  const builder = withAuditLog ? new MerkleLogBuilder(store, log, loadAuditKeyRing(dir, undefined), { signEvery: 1000, signIntervalMs: 10_000 }, silent) : null;
  try {
    await builder?.start();
    const start = performance.now();
    const cpu = process.cpuUsage();
    let position = 0;
    for (let b = 0; b < APPEND_BATCHES; b += 1) {
      position = (await store.append(`batch-${b}`, Array.from({ length: BATCH_SIZE }, (_, i) => taskEvent(b * BATCH_SIZE + i)), 'no_stream')).position;
    }
    if (builder && !(await builder.waitFor(position, 600_000))) throw new Error('the audit log did not catch up');
    const used = process.cpuUsage(cpu);
    return { wallSeconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6, systemSeconds: used.system / 1e6 };
  } finally {
    await builder?.stop();
    await log.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU milliseconds of `auditLeafHash` over 50,000 sealed task events, per leaf format (median of 7 alternating rounds). */
function leafCosts(): { events: number; bytes: Record<'v1' | 'v2', number>; ms: Record<'v1' | 'v2', number> } {
  const count = APPEND_BATCHES * BATCH_SIZE;
  const events: RecordedEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < count; i += 1) {
    const revision = i % BATCH_SIZE;
    const sealed = sealEvent(taskEvent(i), `batch-${Math.floor(i / BATCH_SIZE)}`, revision, revision === 0 ? GENESIS_HASH : prevHash);
    prevHash = sealed.metadata.hash;
    events.push({ ...sealed, position: i + 1 });
  }
  const cpuMs = (leafV2From: number | null) => {
    const start = process.cpuUsage();
    for (const event of events) auditLeafHash(event, leafV2From);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  const rounds: Record<'v1' | 'v2', number[]> = { v1: [], v2: [] };
  for (let round = 0; round < 7; round += 1) {
    rounds.v1.push(cpuMs(null));
    rounds.v2.push(cpuMs(1));
  }
  const middle = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  const last = events[events.length - 1]!;
  const v1Bytes = Buffer.byteLength(JSON.stringify({ data: last.data, id: last.id, metadata: last.metadata, position: last.position, revision: last.revision, streamId: last.streamId, type: last.type }));
  return { events: count, bytes: { v1: v1Bytes, v2: Buffer.byteLength(`{"hash":"${last.metadata.hash}","position":${last.position},"v":2}`) }, ms: { v1: middle(rounds.v1), v2: middle(rounds.v2) } };
}

/** Fills a Merkle log store with `count` synthetic leaves (proof cost depends on sizes, not contents). */
async function syntheticLog(log: SqliteMerkleLogStore, count: number): Promise<MerkleFrontier> {
  const frontier = new MerkleFrontier();
  for (let start = 0; start < count; start += 10_000) {
    const leaves: LogLeaf[] = [];
    const nodes: StoredNode[] = [];
    for (let i = start; i < Math.min(count, start + 10_000); i += 1) {
      const made = frontier.append(leafHash(`leaf ${i}`));
      leaves.push({ index: i, position: i + 1, hash: made[0]!.hash });
      nodes.push(...made.slice(1));
    }
    await log.append(start, leaves, nodes);
  }
  return frontier;
}

async function proofLatencies(): Promise<{ inclusion: number[]; consistency: number[]; buildSeconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'resoft-audit-bench-'));
  const log = new SqliteMerkleLogStore({ file: join(dir, 'audit-log.sqlite') });
  try {
    const buildStart = performance.now();
    const frontier = await syntheticLog(log, LEAVES);
    const buildSeconds = (performance.now() - buildStart) / 1000;
    const root = frontier.root();
    const fetch = (refs: readonly NodeRef[]) => log.nodes(refs);
    const inclusion: number[] = [];
    for (let n = 0; n < PROOFS; n += 1) {
      const index = Math.floor(Math.random() * LEAVES);
      const start = performance.now();
      const proof = await withNodes((s) => inclusionProof(index, LEAVES, s), fetch);
      inclusion.push(performance.now() - start);
      if (n < 20 && !verifyInclusion(leafHash(`leaf ${index}`), index, LEAVES, proof, root)) throw new Error('an inclusion proof did not verify');
    }
    const consistency: number[] = [];
    for (let n = 0; n < PROOFS; n += 1) {
      const first = 1 + Math.floor(Math.random() * (LEAVES - 1));
      const start = performance.now();
      const proof = await withNodes((s) => consistencyProof(first, LEAVES, s), fetch);
      consistency.push(performance.now() - start);
      if (proof.length === 0) throw new Error('an empty consistency proof');
    }
    // One consistency proof checked end to end against both roots.
    const small = 1000;
    const prefix = new MerkleFrontier();
    for (let i = 0; i < small; i += 1) prefix.append(leafHash(`leaf ${i}`));
    const smallRoot = prefix.root();
    if (!verifyConsistency(small, LEAVES, smallRoot, root, await withNodes((s) => consistencyProof(small, LEAVES, s), fetch))) throw new Error('a consistency proof did not verify');
    return { inclusion: inclusion.sort((a, b) => a - b), consistency: consistency.sort((a, b) => a - b), buildSeconds };
  } finally {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bundleExport(): Promise<{ seconds: number; cpuSeconds: number; bytes: number; events: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'resoft-audit-bench-'));
  const events = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const readStore = new SqliteReadStore({ file: join(dir, 'read-models.sqlite') });
  const log = new SqliteMerkleLogStore({ file: join(dir, 'audit-log.sqlite') });
  const keys = loadAuditKeyRing(dir, undefined);
  try {
    const projectId = randomUUID();
    // The project's streams (its own, a room, a file tree and documents) interleaved with another project's.
    const streams = [`project-${projectId}`, `room-${randomUUID()}`, `files-${projectId}`, ...Array.from({ length: 7 }, () => `doc-${randomUUID()}`)];
    const revisions = new Map<string, number>();
    for (let n = 0; n < BUNDLE_EVENTS / BATCH_SIZE; n += 1) {
      const stream = streams[n % streams.length]!;
      revisions.set(stream, (await events.append(stream, Array.from({ length: BATCH_SIZE }, (_, i) => taskEvent(n * BATCH_SIZE + i, { projectId })), revisions.get(stream) ?? 'no_stream')).nextRevision);
      await events.append(`other-${n % 10}`, [taskEvent(n)], 'any');
    }
    for (const spec of projectStreamsProjection.collections) await readStore.ensureCollection(spec);
    await readStore.write({ ops: streams.map((id, i) => ({ kind: 'put' as const, collection: ReadModels.streams, doc: { id, projectId, kind: id.split('-')[0]!, firstPosition: i + 1 } })) });
    const builder = new MerkleLogBuilder(events, log, keys, { signEvery: 1_000_000, signIntervalMs: 600_000 }, silent);
    await builder.start();
    if (!(await builder.waitFor(await events.headPosition(), 600_000))) throw new Error('the audit log did not catch up');
    await builder.signNow();
    await builder.stop();
    const deps = { readStore, eventStore: events, waitForPosition: async () => true, readWaitMs: 0, admins: [], templates: sharedCatalog(), auditLog: log, auditKeys: keys };
    const start = performance.now();
    const cpu = process.cpuUsage();
    const bundle = await buildAuditBundle(deps, projectId, new Date());
    const used = process.cpuUsage(cpu);
    return { seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6, bytes: bundle.length, events: BUNDLE_EVENTS };
  } finally {
    await log.close();
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const AS_OF_EVENTS = Number(process.env['AUDIT_BENCH_AS_OF_EVENTS'] ?? 100_000);
const AS_OF_READS = 200;

/** An as-of chat page (50 messages) as the query route reads it: backwards from the moment until the page is full, at random positions. */
async function asOfReads(): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'resoft-audit-bench-'));
  const events = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  try {
    const roomId = randomUUID();
    const projectId = randomUUID();
    const stream = `room-${roomId}`;
    let revision: number | 'no_stream' = 'no_stream';
    for (let n = 0; n < AS_OF_EVENTS; n += BATCH_SIZE) {
      const batch = Array.from({ length: BATCH_SIZE }, (_, i): NewEvent => {
        const id = randomUUID();
        return { id, type: 'ChatMessagePosted', data: { roomId, projectId, messageId: randomUUID(), authorId: `user-${i % 7}`, text: `message ${n + i}: the build is green again`, mentions: [], codeBlocks: [] }, metadata: { actor: `user-${i % 7}`, correlationId: id, causationId: null, occurredAt: new Date().toISOString(), schema: 1 } };
      });
      revision = (await events.append(stream, batch, revision)).nextRevision;
    }
    const latencies: number[] = [];
    for (let r = 0; r < AS_OF_READS; r += 1) {
      const moment = { kind: 'position' as const, position: 1 + Math.floor(Math.random() * AS_OF_EVENTS) };
      const start = performance.now();
      const page = new ChatPageCollector(50);
      await readBackwardsFrom(events, stream, moment, (event) => page.add(event));
      const { messages } = page.page();
      latencies.push(performance.now() - start);
      if (messages[messages.length - 1]?.position !== moment.position) throw new Error('the page does not end at the moment');
    }
    return latencies.sort((a, b) => a - b);
  } finally {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const AS_OF_FILES = Number(process.env['AUDIT_BENCH_AS_OF_FILES'] ?? 5);
const AS_OF_SNAPSHOTS = process.env['AUDIT_BENCH_AS_OF_SNAPSHOTS'] !== 'false';
const AS_OF_FILE_EVENTS = Number(process.env['AUDIT_BENCH_AS_OF_FILE_EVENTS'] ?? 10_000);
const AS_OF_FILE_READS = Number(process.env['AUDIT_BENCH_AS_OF_FILE_READS'] ?? 100);

interface FileReadCosts {
  readonly events: number;
  /** Full replays (no snapshots) at a few random moments. */
  readonly replay: number[];
  /** The first read with snapshots at the latest moment: it makes the snapshots on its way (null: not measured). */
  readonly firstSeconds: number | null;
  /** Random moments once the snapshots exist. */
  readonly snapshotted: number[];
  /** Rebuilding the files projection, which records the text versions (wall and CPU seconds). */
  readonly recordSeconds: number;
  readonly recordCpuSeconds: number;
  /** Random moments from the recorded text versions (checkpoint plus splices). */
  readonly recorded: number[];
}

/**
 * As-of file reads (`GET /api/projects/:id/files?asOf=` does this) of a project of AS_OF_FILE_EVENTS
 * events: AS_OF_FILES files edited AS_OF_FILE_EVENTS / AS_OF_FILES times each. The edits are synthetic:
 * each is made from the file as created, which makes them concurrent for Automerge (making them one
 * after the other clones the growing document for every edit: far too slow for a benchmark's set-up).
 */
async function asOfFileReads(): Promise<FileReadCosts> {
  const dir = mkdtempSync(join(tmpdir(), 'resoft-audit-bench-'));
  const events = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const readStore = new SqliteReadStore({ file: join(dir, 'read-models.sqlite') });
  try {
    const projectId = randomUUID();
    const meta = () => { const id = randomUUID(); return { id, metadata: { actor: 'user-1', correlationId: id, causationId: null, occurredAt: new Date().toISOString(), schema: 1 } }; };
    const perFile = Math.floor(AS_OF_FILE_EVENTS / AS_OF_FILES);
    for (let f = 0; f < AS_OF_FILES; f += 1) {
      const fileId = randomUUID();
      const { doc, initial } = createTextDocument(`file ${f}\n`);
      await events.append(fileTreeStreamId(projectId), [{ ...meta(), type: 'FileCreated', data: { projectId, fileId, path: `src/file-${f}.py`, createdBy: 'user-1', initialChange: initial.bytes, hash: initial.hash, size: 7 } }], 'any');
      let revision: number | 'no_stream' = 'no_stream';
      for (let n = 0; n < perFile; n += BATCH_SIZE) {
        const batch = Array.from({ length: Math.min(BATCH_SIZE, perFile - n) }, (_, i): NewEvent => {
          const change = replaceText(doc, `file ${f}\nedit ${n + i}\n`).change!;
          return { ...meta(), type: 'DocumentChanged', data: { projectId, fileId, authorId: 'user-1', changes: [change.bytes], hashes: [change.hash] } };
        });
        revision = (await events.append(documentStreamId(fileId), batch, revision)).nextRevision;
      }
    }
    const head = await events.headPosition();
    const randomMoment = () => ({ kind: 'position' as const, position: 1 + Math.floor(Math.random() * head) });
    const timed = async (work: () => Promise<unknown>) => { const start = performance.now(); await work(); return performance.now() - start; };
    const replay: number[] = [];
    for (let r = 0; r < 3; r += 1) replay.push(await timed(() => projectFilesAsOf(events, projectId, randomMoment())));
    const snapshots = new DocumentSnapshotsAsOf(readStore);
    const firstSeconds = AS_OF_SNAPSHOTS ? (await timed(() => projectFilesAsOf(events, projectId, { kind: 'position', position: head }, { snapshots }))) / 1000 : null;
    const snapshotted: number[] = [];
    for (let r = 0; AS_OF_SNAPSHOTS && r < AS_OF_FILE_READS; r += 1) snapshotted.push(await timed(() => projectFilesAsOf(events, projectId, randomMoment(), { snapshots })));
    const cpu = process.cpuUsage();
    const recordSeconds = (await timed(() => rebuildProjections(events, readStore, [filesProjection]))) / 1000;
    const used = process.cpuUsage(cpu);
    const recorded: number[] = [];
    for (let r = 0; r < AS_OF_FILE_READS; r += 1) recorded.push(await timed(() => projectFilesAsOf(events, projectId, randomMoment(), { textVersions: readStore })));
    return {
      events: head, replay: replay.sort((a, b) => a - b), firstSeconds, snapshotted: snapshotted.sort((a, b) => a - b),
      recordSeconds, recordCpuSeconds: (used.user + used.system) / 1e6, recorded: recorded.sort((a, b) => a - b),
    };
  } finally {
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const RECORDED_READ_EVENTS = Number(process.env['AUDIT_BENCH_RECORDED_READ_EVENTS'] ?? 100_000);

/**
 * The read path alone at RECORDED_READ_EVENTS events (5 files): the text versions are written
 * directly as the files projection would record them (one splice per version, a checkpoint every
 * TEXT_CHECKPOINT_EVERY), because recording them through Automerge at that size would take hours of
 * set-up on this workload (see the rebuild figure of the part above); the reads never touch Automerge.
 */
async function recordedFileReads(): Promise<{ events: number; latencies: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'resoft-audit-bench-'));
  const events = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const readStore = new SqliteReadStore({ file: join(dir, 'read-models.sqlite') });
  try {
    await readStore.ensureCollection(fileTextVersionsCollection);
    const projectId = randomUUID();
    const meta = () => { const id = randomUUID(); return { id, metadata: { actor: 'user-1', correlationId: id, causationId: null, occurredAt: new Date().toISOString(), schema: 1 } }; };
    const perFile = Math.floor(RECORDED_READ_EVENTS / AS_OF_FILES);
    for (let f = 0; f < AS_OF_FILES; f += 1) {
      const fileId = randomUUID();
      const { initial } = createTextDocument(`file ${f}\n`);
      await events.append(fileTreeStreamId(projectId), [{ ...meta(), type: 'FileCreated', data: { projectId, fileId, path: `src/file-${f}.py`, createdBy: 'user-1', initialChange: initial.bytes, hash: initial.hash, size: 7 } }], 'any');
      let revision: number | 'no_stream' = 'no_stream';
      let text = `file ${f}\n`;
      for (let n = 0; n < perFile; n += BATCH_SIZE) {
        const count = Math.min(BATCH_SIZE, perFile - n);
        const batch = Array.from({ length: count }, (): NewEvent => ({ ...meta(), type: 'DocumentChanged', data: { projectId, fileId, authorId: 'user-1', changes: [initial.bytes], hashes: [initial.hash] } }));
        revision = (await events.append(documentStreamId(fileId), batch, revision)).nextRevision;
        const rows: FileTextVersion[] = [];
        if (n === 0) rows.push({ id: fileTextVersionId(fileId, 0), fileId, projectId, version: 0, checkpoint: true, splices: [], text });
        for (let i = 0; i < count; i += 1) {
          const version = n + i + 1;
          const splice: TextSplice = [text.length, 0, `line ${version}\n`];
          text = applySplices(text, [splice]);
          const checkpoint = version % TEXT_CHECKPOINT_EVERY === 0;
          rows.push({ id: fileTextVersionId(fileId, version), fileId, projectId, version, checkpoint, splices: checkpoint ? [] : [splice], text: checkpoint ? text : null });
        }
        await readStore.write({ ops: rows.map((doc) => ({ kind: 'put' as const, collection: FILE_TEXT_VERSIONS, doc })) });
      }
    }
    const head = await events.headPosition();
    const latencies: number[] = [];
    for (let r = 0; r < AS_OF_FILE_READS; r += 1) {
      const asOf = { kind: 'position' as const, position: 1 + Math.floor(Math.random() * head) };
      const start = performance.now();
      await projectFilesAsOf(events, projectId, asOf, { textVersions: readStore });
      latencies.push(performance.now() - start);
    }
    return { events: head, latencies: latencies.sort((a, b) => a - b) };
  } finally {
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const cpu = cpus();
console.log('Resoft audit log benchmark (SQLite event store and Merkle log, WAL, synchronous=NORMAL)');
console.log(`machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores; node ${process.version}; ${new Date().toISOString()}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('');
const ONLY = process.env['AUDIT_BENCH_ONLY'];
if (!ONLY || ONLY === 'append') {
// Alternating runs, best of each: the machine may be shared, and the first run warms up.
const ROUNDS = Number(process.env['AUDIT_BENCH_ROUNDS'] ?? 3);
const runs: Record<'plain' | 'logged', RunCost[]> = { plain: [], logged: [] };
for (let round = 0; round < ROUNDS; round += 1) {
  runs.plain.push(await appendRun(false));
  runs.logged.push(await appendRun(true));
}
const best = (list: RunCost[], key: keyof RunCost) => Math.min(...list.map((r) => r[key]));
const events = APPEND_BATCHES * BATCH_SIZE;
const row = (label: string, r: RunCost[]) =>
  console.log(`  ${label.padEnd(38)} wall ${best(r, 'wallSeconds').toFixed(2)} s (${Math.round(events / best(r, 'wallSeconds')).toLocaleString('en-US')} events/s)   CPU ${best(r, 'cpuSeconds').toFixed(2)} s`);
const signed = (percent: number) => `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}`;
const cost = (key: keyof RunCost) => signed(((best(runs.logged, key) - best(runs.plain, key)) / best(runs.plain, key)) * 100);
console.log(`append ${events.toLocaleString('en-US')} events in ${BATCH_SIZE}-event batches (the bench:store workload), best of ${ROUNDS} alternating runs:`);
row('event store alone:', runs.plain);
row('with the audit log built alongside:', runs.logged);
console.log(`  cost of the audit log (same process):  wall ${cost('wallSeconds')} %, CPU ${cost('cpuSeconds')} %`);
// Best-of moves with the load of a shared machine: each round's two runs ran back to back, so their ratio is the steadier figure.
const perRound = runs.plain.map((plain, i) => ((runs.logged[i]!.cpuSeconds - plain.cpuSeconds) / plain.cpuSeconds) * 100);
const median = (values: number[]) => { const sorted = [...values].sort((a, b) => a - b); return (sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2; };
console.log(`  CPU cost per round (runs back to back): ${perRound.map((p) => `${signed(p)} %`).join(', ')}; median ${signed(median(perRound))} %`);
// How much of the cost is system time (file writes), per round, in points of the store's own CPU.
const systemPerRound = runs.plain.map((plain, i) => ((runs.logged[i]!.systemSeconds - plain.systemSeconds) / plain.cpuSeconds) * 100);
console.log(`  of which system CPU per round: ${systemPerRound.map((p) => `${signed(p)}`).join(', ')} points; median ${signed(median(systemPerRound))}`);
console.log('');
}
if (!ONLY || ONLY === 'leaf') {
const leaves = leafCosts();
const perLeaf = (ms: number) => `${((ms * 1000) / leaves.events).toFixed(2)} µs a leaf`;
console.log(`leaf hashing alone, ${leaves.events.toLocaleString('en-US')} sealed events, median of 7 alternating rounds:`);
console.log(`  format 1 (the whole envelope, ${leaves.bytes.v1} bytes): ${leaves.ms.v1.toFixed(0)} ms CPU, ${perLeaf(leaves.ms.v1)}`);
console.log(`  format 2 (hash and position, ${leaves.bytes.v2} bytes): ${leaves.ms.v2.toFixed(0)} ms CPU, ${perLeaf(leaves.ms.v2)}`);
console.log('');
}
if (!ONLY || ONLY === 'proofs') {
const proofs = await proofLatencies();
console.log(`proofs at ${LEAVES.toLocaleString('en-US')} leaves (log filled in ${proofs.buildSeconds.toFixed(1)} s), ${PROOFS} random proofs each, store read included:`);
console.log(`  inclusion:    P50 ${percentile(proofs.inclusion, 50).toFixed(3)} ms   P99 ${percentile(proofs.inclusion, 99).toFixed(3)} ms`);
console.log(`  consistency:  P50 ${percentile(proofs.consistency, 50).toFixed(3)} ms   P99 ${percentile(proofs.consistency, 99).toFixed(3)} ms`);
console.log('');
}
if (!ONLY || ONLY === 'bundle') {
const exported = await bundleExport();
console.log(`bundle export of a ${exported.events.toLocaleString('en-US')}-event project (10 streams, with inclusion proofs): ${exported.seconds.toFixed(2)} s (CPU ${exported.cpuSeconds.toFixed(2)} s), ${(exported.bytes / 1024 / 1024).toFixed(1)} MiB zip`);
}
if (!ONLY || ONLY === 'as-of') {
const latencies = await asOfReads();
console.log('');
console.log(`as-of chat page (50 messages) of a ${AS_OF_EVENTS.toLocaleString('en-US')}-event room (read backwards from the moment), ${AS_OF_READS} random positions: P50 ${percentile(latencies, 50).toFixed(0)} ms, P99 ${percentile(latencies, 99).toFixed(0)} ms`);
}
if (!ONLY || ONLY === 'as-of-files-recorded') {
const recorded = await recordedFileReads();
console.log('');
console.log(`as-of file list with texts of a ${recorded.events.toLocaleString('en-US')}-event project (${AS_OF_FILES} files) from recorded text versions (read path only), ${recorded.latencies.length} random moments: P50 ${percentile(recorded.latencies, 50).toFixed(1)} ms, P99 ${percentile(recorded.latencies, 99).toFixed(1)} ms`);
}
if (!ONLY || ONLY === 'as-of-files') {
const files = await asOfFileReads();
console.log('');
console.log(`as-of file list with texts of a ${files.events.toLocaleString('en-US')}-event project (${AS_OF_FILES} files, one document stream each):`);
console.log(`  full replay, no snapshots, ${files.replay.length} random moments: ${files.replay.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
if (files.firstSeconds !== null) {
  console.log(`  first read with snapshots (makes them on its way): ${files.firstSeconds.toFixed(2)} s`);
  console.log(`  from snapshots, ${files.snapshotted.length} random moments: P50 ${percentile(files.snapshotted, 50).toFixed(0)} ms, P99 ${percentile(files.snapshotted, 99).toFixed(0)} ms`);
}
console.log(`  recording the text versions (rebuild of the files projection): ${files.recordSeconds.toFixed(1)} s wall, ${files.recordCpuSeconds.toFixed(1)} s CPU`);
console.log(`  from the recorded text versions, ${files.recorded.length} random moments: P50 ${percentile(files.recorded, 50).toFixed(1)} ms, P99 ${percentile(files.recorded, 99).toFixed(1)} ms`);
}
