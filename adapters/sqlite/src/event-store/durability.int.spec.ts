/**
 * Kills a process that is appending as fast as it can and checks that every
 * append it acknowledged is still there, with an intact hash chain. This runs
 * with the default synchronous = NORMAL: in WAL mode a committed transaction
 * is in the WAL file (the OS page cache) before append returns, so a killed
 * process loses nothing; only power loss or an OS crash needs FULL.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ChainVerifier, type RecordedEvent } from '@resoft/domain';
import { SqliteEventStore } from './sqlite-event-store.js';

// Jest runs the TypeScript sources, but the child must run under plain node:
// it is the compiled fixture, which `tsc -b` builds before the tests run.
const FIXTURE = resolve(process.cwd(), 'adapters/sqlite/dist/event-store/append-forever.fixture.js');
const ACKNOWLEDGEMENTS_BEFORE_KILL = 300;

interface Acknowledgement {
  readonly position: number;
  readonly eventId: string;
}

/** Runs the fixture until it has acknowledged `count` appends, then SIGKILLs it. */
async function appendThenKill(file: string, count: number): Promise<Acknowledgement[]> {
  const child = spawn(process.execPath, [FIXTURE, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<string>((resolveExit) => child.on('exit', (code, signal) => resolveExit(signal ?? `code ${code}`)));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const acknowledged: Acknowledgement[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    const [position, eventId] = line.split(' ');
    acknowledged.push({ position: Number(position), eventId: eventId ?? '' });
    if (acknowledged.length >= count) {
      child.kill('SIGKILL');
      break;
    }
  }
  const ending = await exited;
  if (acknowledged.length < count) {
    throw new Error(`The fixture ended (${ending}) after ${acknowledged.length} appends: ${stderr}`);
  }
  expect(ending).toBe('SIGKILL');
  return acknowledged;
}

async function readWholeLog(store: SqliteEventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let page = await store.readAll(); page.length > 0; page = await store.readAll({ after: page.at(-1)!.position })) {
    events.push(...page);
  }
  return events;
}

describe('SqliteEventStore durability', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'resoft-durability-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged append, with a verifying chain, when the appending process is killed', async () => {
    if (!existsSync(FIXTURE)) throw new Error(`${FIXTURE} is missing: run \`npx tsc -b\` before jest`);
    const file = join(dir, 'events.db');
    const acknowledged = await appendThenKill(file, ACKNOWLEDGEMENTS_BEFORE_KILL);

    const store = new SqliteEventStore({ file });
    try {
      const log = await readWholeLog(store);
      const byPosition = new Map(log.map((event) => [event.position, event]));
      const lost = acknowledged.filter((ack) => byPosition.get(ack.position)?.id !== ack.eventId);
      expect(lost).toEqual([]);
      // Positions are gapless: the kill may only have cut off appends never acknowledged.
      expect(log.map((event) => event.position)).toEqual(log.map((_, i) => i + 1));

      const verifier = new ChainVerifier();
      log.forEach((event) => verifier.check(event));
      expect(verifier.report()).toMatchObject({ ok: true, events: log.length });
    } finally {
      await store.close();
    }
  });
});
