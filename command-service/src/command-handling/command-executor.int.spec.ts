import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Decider } from '@resoft/domain';
import { SqliteEventStore } from '@resoft/adapter-sqlite';
import { WrongExpectedRevisionError, type EventStore } from '@resoft/ports';
import { CommandExecutor } from './command-executor.js';

type TicketEvent = { type: 'TicketTaken'; data: { number: number } } | { type: 'CounterClosed'; data: Record<string, never> } | { type: 'CounterOpened'; data: Record<string, never> } | { type: 'Noted'; data: { text: string } };
type TicketCommand = { kind: 'take' } | { kind: 'close' } | { kind: 'open' } | { kind: 'note'; text: string };
interface Counter {
  readonly taken: number;
  readonly closed: boolean;
}

class CounterClosedError extends Error {}

/** Tickets numbered 1, 2, 3… while the counter is open; closing or opening twice changes nothing; notes (not empty) while open. */
const counter: Decider<TicketCommand, Counter, TicketEvent> = {
  initialState: () => ({ taken: 0, closed: false }),
  decide: (command, state) => {
    if (command.kind === 'note') {
      if (state.closed || !command.text) throw new CounterClosedError('no note now');
      return [{ type: 'Noted', data: { text: command.text } }];
    }
    if (command.kind === 'take') {
      if (state.closed) throw new CounterClosedError('the counter is closed');
      return [{ type: 'TicketTaken', data: { number: state.taken + 1 } }];
    }
    if (command.kind === 'close') return state.closed ? [] : [{ type: 'CounterClosed', data: {} }];
    return state.closed ? [{ type: 'CounterOpened', data: {} }] : [];
  },
  evolve: (state, event) =>
    event.type === 'Noted' ? state : event.type === 'TicketTaken' ? { ...state, taken: event.data.number } : { ...state, closed: event.type === 'CounterClosed' },
};

const meta = { actor: 'u1', correlationId: 'c1', causationId: null };
const STREAM = 'counter-1';

describe('command executor with cached stream state', () => {
  let dir: string;
  const stores: SqliteEventStore[] = [];
  /** Each executor has its own connection to the same file, as two command processes have. */
  const processOf = () => {
    const store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    stores.push(store);
    return { store, executor: new CommandExecutor(store) };
  };
  const run = (executor: CommandExecutor, command: TicketCommand) => executor.execute(STREAM, counter, () => command, meta);
  const log = async (store: EventStore) => (await store.readStream(STREAM)).map((e) => (e.type === 'TicketTaken' ? (e.data as { number: number }).number : e.type));
  const countAppends = (store: SqliteEventStore) => {
    const counted = { appends: 0 };
    const append = store.append.bind(store);
    store.append = (...args: Parameters<typeof append>) => {
      counted.appends += 1;
      return append(...args);
    };
    return counted;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-executor-'));
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('decides on the cached state without reading the stream again', async () => {
    const { store, executor } = processOf();
    await run(executor, { kind: 'take' });
    let reads = 0;
    const readStream = store.readStream.bind(store);
    store.readStream = (...args: Parameters<typeof readStream>) => {
      reads += 1;
      return readStream(...args);
    };
    await run(executor, { kind: 'take' });
    await run(executor, { kind: 'take' });
    expect(reads).toBe(0);
    expect(await log(store)).toEqual([1, 2, 3]);
  });

  it('appends batchable commands that arrive together in one call, each answered with its own events and position', async () => {
    const { store, executor } = processOf();
    const counted = countAppends(store);
    const note = (text: string) => executor.execute(STREAM, counter, () => ({ kind: 'note', text }) as const, meta, { batchable: true });
    // Sent in one turn of the event loop: decided on the same state; the refused one does not stop the others.
    const settled = await Promise.allSettled([note('a'), note('b'), note(''), note('c')]);
    expect(settled[2]).toMatchObject({ status: 'rejected', reason: expect.any(CounterClosedError) });
    expect(counted.appends).toBe(1);
    const stored = await store.readStream(STREAM);
    expect(stored.map((e) => e.data)).toEqual([{ text: 'a' }, { text: 'b' }, { text: 'c' }]);
    const answered = [0, 1, 3].map((i) => settled[i]).map((o) => (o?.status === 'fulfilled' ? { events: o.value.events, position: o.value.position } : null));
    expect(answered).toEqual(stored.map((e) => ({ events: [{ type: 'Noted', data: e.data }], position: e.position })));
  });

  it('runs commands that build on each other one at a time, each on the state the one before left', async () => {
    const { store, executor } = processOf();
    const counted = countAppends(store);
    const outcomes = await Promise.all([run(executor, { kind: 'take' }), run(executor, { kind: 'take' }), run(executor, { kind: 'close' }), run(executor, { kind: 'take' }).catch((e: unknown) => e)]);
    expect(outcomes[3]).toBeInstanceOf(CounterClosedError);
    expect(counted.appends).toBe(3);
    expect(await log(store)).toEqual([1, 2, 'CounterClosed']);
  });

  it('two command processes writing one stream never hand out a number twice', async () => {
    const a = processOf();
    const b = processOf();
    const outcomes = [];
    for (let i = 0; i < 8; i += 1) outcomes.push(run(a.executor, { kind: 'take' }), run(b.executor, { kind: 'take' }));
    const decided = await Promise.all(outcomes);
    const numbers = decided.map((o) => (o.events[0] as Extract<TicketEvent, { type: 'TicketTaken' }>).data.number);
    expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(await log(a.store)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  });

  it('rejects a command that another process made impossible, though its cached state still allowed it', async () => {
    const a = processOf();
    const b = processOf();
    await run(a.executor, { kind: 'take' });
    await run(b.executor, { kind: 'close' });
    await expect(run(a.executor, { kind: 'take' })).rejects.toBeInstanceOf(CounterClosedError);
    expect(await log(a.store)).toEqual([1, 'CounterClosed']);
  });

  it('does not answer "nothing to do" from a stale cache: it checks the log and decides again', async () => {
    const a = processOf();
    const b = processOf();
    await run(a.executor, { kind: 'close' });
    await run(b.executor, { kind: 'open' });
    const outcome = await run(a.executor, { kind: 'close' });
    expect(outcome.events.map((e) => e.type)).toEqual(['CounterClosed']);
    expect(await log(a.store)).toEqual(['CounterClosed', 'CounterOpened', 'CounterClosed']);
  });

  it('does not take a rejection from a stale cache for the answer either', async () => {
    const a = processOf();
    const b = processOf();
    await run(a.executor, { kind: 'close' });
    await run(b.executor, { kind: 'open' });
    const outcome = await run(a.executor, { kind: 'take' });
    expect(outcome.events).toEqual([{ type: 'TicketTaken', data: { number: 1 } }]);
  });

  it('still gives up with a revision conflict (409) when another writer wins every attempt', async () => {
    const a = processOf();
    const b = processOf();
    await run(a.executor, { kind: 'take' });
    let attempts = 0;
    const interfering = a.executor.execute(STREAM, counter, async () => {
      attempts += 1;
      await run(b.executor, { kind: 'take' });
      return { kind: 'take' } as const;
    }, meta);
    await expect(interfering).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(attempts).toBe(10);
    expect(await log(a.store)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
  });
});
