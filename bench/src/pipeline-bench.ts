/**
 * Pipeline benchmark (`npm run bench:pipeline`): append → projections → read model, embedded
 * (projection runners in process) and distributed (relay → Kafka → two bus projection consumers)
 * side by side in one run, on fresh SQLite files. Prints throughput and lag percentiles and writes
 * them to `.bench/pipeline-<timestamp>.json`.
 *
 * Each mode: set-up events and a warm-up (BENCH_WARMUP_EVENTS, default 500), then a burst phase (BENCH_EVENTS appends as fast as they
 * go, one per event-loop turn: throughput = events / time from the first append until the last event
 * is projected), then paced phases at each of BENCH_RATES per second (default 100, 500, 1000; up to
 * BENCH_PACED_SECONDS each: lag = from an append resolving until every projection has applied it, as
 * the query side sees it), then readers phases: BENCH_READER_ROUNDS appends each awaited by 1, 10 and
 * 100 concurrent waiters (the wait of that many `?after=` reads, without HTTP). In the distributed
 * modes the paced phases are appended by BENCH_APPENDERS worker threads (default 2) on their own
 * store connections, as a command process appends, so the rate is reached however busy the relay and
 * consumers keep the main thread. BENCH_MODES picks modes (default all).
 * Then the fault phase (`pipeline-faults.ts`; BENCH_FAULTS=false skips it): takeover after SIGKILL of
 * a projectors process, and recovery after a broker restart on wiped storage, with the services as
 * processes on a broker of the bench's own (BENCH_FAULT_KAFKA_PORT, default 29192).
 * Kafka: KAFKA_BROKERS, or a broker started (and stopped) with infra/engines/kafka.sh.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@resoft/infra';
import { murmur2Partitioner } from '@resoft/adapter-kafka';
import { useBroker, type BenchBroker } from './pipeline-kafka.js';
import { AppenderPool } from './pipeline-appenders.js';
import { measureFaults, type FaultFigures } from './pipeline-faults.js';
import { burstPhase, pacedPhase, pacedPhaseFromWorkers, readersPhase, warmUp, type MeasureOptions } from './pipeline-measure.js';
import { startDistributed, startEmbedded, type RunningPipeline } from './pipeline-modes.js';
import { printTable, summarize, writeJson, type ModeResult } from './pipeline-report.js';
import { ChatWorkload } from './pipeline-workload.js';

// ---- configuration ----

function positiveInteger(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

const measure: MeasureOptions = {
  events: positiveInteger('BENCH_EVENTS', 10_000),
  rate: 1_000, // each paced phase sets its own (BENCH_RATES)
  sampleEvery: positiveInteger('BENCH_SAMPLE_EVERY', 50),
  warmUpEvents: positiveInteger('BENCH_WARMUP_EVENTS', 500),
  timeoutMs: 120_000,
};
const ROOMS = positiveInteger('BENCH_ROOMS', 8);
/** Paced phases, one per rate (appends per second); each lasts BENCH_PACED_SECONDS or BENCH_EVENTS, whichever is fewer events. */
const RATES = (process.env['BENCH_RATES'] ?? '100,500,1000').split(',').map((rate) => Number(rate.trim()));
if (RATES.some((rate) => !Number.isInteger(rate) || rate <= 0)) throw new Error('BENCH_RATES must be a comma-separated list of positive integers');
const PACED_SECONDS = positiveInteger('BENCH_PACED_SECONDS', 5);
/** Worker threads appending in the distributed modes' paced phases (0: the main thread appends, as in embedded mode). */
const APPENDERS = Number(process.env['BENCH_APPENDERS'] ?? 2);
if (!Number.isInteger(APPENDERS) || APPENDERS < 0) throw new Error('BENCH_APPENDERS must be a whole number');
/** Concurrent waiters per append in the readers phases, and how many appends each phase waits for. */
const READERS = [1, 10, 100];
const READER_ROUNDS = positiveInteger('BENCH_READER_ROUNDS', 30);
const READ_WAIT_MS = 2_000;
/** The fault phase (takeover after SIGKILL, recovery after a broker restart on wiped storage) on a broker of its own at this port (+1 for its controller); BENCH_FAULTS=false skips it. */
const FAULTS = process.env['BENCH_FAULTS'] !== 'false';
const FAULT_KAFKA_PORT = positiveInteger('BENCH_FAULT_KAFKA_PORT', 29192);
/** Which lag modes run (default all: embedded, distributed, and distributed-mongo when MONGO_URL is set). */
const MODES = new Set((process.env['BENCH_MODES'] ?? 'embedded,distributed,distributed-mongo').split(',').map((m) => m.trim()));
const PARTITIONS = 3;
const CONSUMERS = 2;
const POLL_MS = 5;
const KAFKA_PORT = '19292';
const KAFKA_CONTROLLER_PORT = '19293';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const envBrokers = process.env['KAFKA_BROKERS']?.split(',').map((b) => b.trim()).filter(Boolean) ?? [];
const log = createLogger(process.env['BENCH_LOG_LEVEL'] ?? 'warn', 'pipeline-bench');

// ---- one mode ----

async function runMode(mode: ModeResult['mode'], start: (dir: string) => Promise<RunningPipeline>): Promise<ModeResult[]> {
  const dir = mkdtempSync(join(tmpdir(), `resoft-pipeline-bench-${mode}-`));
  const pipeline = await start(dir);
  // Embedded: the product appends in the projections' own process, so the bench does too. Distributed:
  // the command process appends, so worker threads on their own connections do.
  let appenders: AppenderPool | null = null;
  try {
    const workload = new ChatWorkload(`${mode}-`, ROOMS);
    if (mode !== 'embedded' && APPENDERS > 0) appenders = await AppenderPool.start(APPENDERS, { file: pipeline.eventsFile, prefix: `${mode}-`, rooms: ROOMS });
    await warmUp(pipeline, workload, measure);
    const rows: ModeResult[] = [{ mode, phase: 'burst', result: await burstPhase(pipeline, workload, measure) }];
    for (const rate of RATES) {
      const options = { ...measure, rate, events: Math.min(measure.events, rate * PACED_SECONDS), sampleEvery: Math.max(1, Math.min(measure.sampleEvery, Math.floor(rate / 20))) };
      rows.push({ mode, phase: `paced ${rate}/s`, result: appenders ? await pacedPhaseFromWorkers(pipeline, appenders, options) : await pacedPhase(pipeline, workload, options) });
    }
    // Bounded as a query's ?after= wait is (RESOFT_READ_WAIT_MS): a timed-out waiter is a stale read.
    for (const readers of READERS) rows.push({ mode, phase: `readers ×${readers}`, result: await readersPhase(pipeline, workload, readers, READER_ROUNDS, READ_WAIT_MS) });
    const problem = pipeline.problems();
    if (problem) console.warn(`${mode}: reported problem at the end: ${problem}`);
    return rows;
  } finally {
    await appenders?.close();
    await pipeline.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How many of the distributed mode's room streams land on each partition: chat traffic is split that way. */
function roomSpread(): number[] {
  const partitionOf = murmur2Partitioner(PARTITIONS);
  const rooms = Array.from({ length: PARTITIONS }, () => 0);
  for (const streamId of new ChatWorkload('distributed-', ROOMS).roomStreamIds()) rooms[partitionOf(streamId)]! += 1;
  return rooms;
}

// ---- run ----

const startedAt = new Date();
let broker: BenchBroker | null = null;
const stopBroker = async (): Promise<void> => {
  const running = broker;
  broker = null;
  await running?.stop();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopBroker().finally(() => process.exit(130));
  });
}

try {
  const embedded = MODES.has('embedded') ? await runMode('embedded', (dir) => startEmbedded(dir, log)) : [];
  broker = await useBroker({ brokers: envBrokers, repoRoot, env: { ...process.env, KAFKA_PORT, KAFKA_CONTROLLER_PORT } });
  const brokers = broker.brokers;
  const distributed = !MODES.has('distributed') ? [] : await runMode('distributed', (dir) => startDistributed(dir, log, { brokers, partitions: PARTITIONS, consumers: CONSUMERS, pollMs: POLL_MS }));
  // With MONGO_URL, the same distributed pipeline with read models in that MongoDB-wire engine (as deployed).
  const mongoUrl = process.env['MONGO_URL'];
  let distributedMongo: ModeResult[] = [];
  if (mongoUrl && MODES.has('distributed-mongo')) {
    try {
      distributedMongo = await runMode('distributed-mongo', (dir) => startDistributed(dir, log, { brokers, partitions: PARTITIONS, consumers: CONSUMERS, pollMs: POLL_MS, mongoUrl }));
    } catch (error) {
      // A read store that cannot keep up is a result too; the other modes' figures still count.
      console.warn(`distributed-mongo: did not complete: ${(error as Error).message}`);
    }
  }
  const brokerStarted = broker.started;
  await stopBroker();
  let faults: FaultFigures | null = null;
  if (FAULTS) {
    try {
      faults = await measureFaults(FAULT_KAFKA_PORT, (line) => console.log(line));
    } catch (error) {
      console.warn(`faults: did not complete: ${(error as Error).message}`);
    }
  }

  const rows = [...embedded, ...distributed, ...distributedMongo];
  const cpu = cpus();
  const machine = { cpu: cpu[0]?.model ?? 'unknown CPU', cores: cpu.length, node: process.version, platform: `${process.platform} ${process.arch}` };
  console.log('Resoft pipeline benchmark: append → projections → read model (SQLite event and read stores)');
  console.log(`date:    ${startedAt.toISOString()}`);
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.platform}`);
  console.log(`node:    ${machine.node}`);
  console.log(`workload: ${ROOMS} projects with one room each (set-up + ${measure.warmUpEvents} warm-up events first), then per phase ${measure.events.toLocaleString('en-US')} chat events`);
  console.log('          (post, every 10th an edit, every 25th a delete), 1 event per append, all 7 projections');
  console.log(`embedded:    ProjectionRunner per projection in process; lag = until every runner's waitFor(position)`);
  console.log(`distributed: EventRelay → Kafka ${brokers.join(',')} (${brokerStarted ? 'started by the bench' : 'KAFKA_BROKERS'}, fresh topic, ${PARTITIONS} partitions) →`);
  console.log(`             ${CONSUMERS} BusProjectionConsumers in one group; lag = until the query side's shared watcher (busProgress, read every ${POLL_MS} ms) says reached`);
  if (mongoUrl) console.log(`distributed-mongo: the same with read models in MONGO_URL (${mongoUrl}), a fresh database`);
  console.log(`             chat (room streams) per partition: ${roomSpread().map((rooms, p) => `p${p} ${rooms}`).join(', ')} rooms`);
  console.log(`burst: appends back to back, one per event-loop turn; total = first append → last event projected`);
  console.log(`paced: appends at ${RATES.join(', ')}/s for up to ${PACED_SECONDS} s each; lag sampled (append resolved → projected)`);
  console.log(`       embedded: appended by the main thread; distributed: by ${APPENDERS || 'no'} worker thread(s) on their own store connections (the relay polls every 10 ms)`);
  console.log(`readers ×n: ${READER_ROUNDS} appends, each awaited by n concurrent waiters (an ?after= read's wait, no HTTP; bound ${READ_WAIT_MS} ms): time per waiter`);
  console.log('');
  printTable(rows);
  if (faults) {
    console.log('');
    console.log(`faults (processes: command, relay, 2 projectors, query; own broker on port ${FAULT_KAFKA_PORT}):`);
    console.log(`  takeover after SIGKILL of a projectors process: ${faults.takeoverMs} ms until a write made right after it was visible`);
    console.log(`  broker restart on wiped storage: ${faults.brokerRestartMs} ms for the broker; ${faults.recoveryMs} ms from the broker answering until a new write was visible`);
  }
  const file = writeJson(repoRoot, startedAt, {
    benchmark: 'pipeline',
    date: startedAt.toISOString(),
    machine,
    settings: { ...measure, appenders: APPENDERS, rates: RATES, pacedSeconds: PACED_SECONDS, readers: READERS, readerRounds: READER_ROUNDS, readWaitMs: READ_WAIT_MS, rooms: ROOMS, roomsPerPartition: roomSpread(), partitions: PARTITIONS, consumers: CONSUMERS, pollMs: POLL_MS, brokers, brokerStarted },
    results: rows.map(summarize),
    faults,
  });
  console.log('');
  console.log(`results: ${file}`);
} finally {
  await stopBroker();
}
