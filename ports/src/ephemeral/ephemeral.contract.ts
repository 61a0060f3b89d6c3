/**
 * The behaviour every `Ephemeral` adapter must show, as one jest suite. An adapter's int spec calls
 * `describeEphemeralContract` with a factory that returns a fresh, empty backing store for each test;
 * `open()` may be called several times on it, each time giving an independent instance that shares
 * the store, as two gateway processes share one Redis.
 *
 * Timing: expiry is checked by polling with a deadline, never by asserting exact times; anything that
 * must still be alive gets a TTL far longer than the test.
 */
import type { Ephemeral } from './ephemeral.js';

export interface EphemeralUnderTest {
  /** Opens another instance on the same backing store. */
  open(): Promise<Ephemeral>;
  /** Closes what `open` returned (if the test has not) and drops the store's data. */
  dispose(): Promise<void>;
}

const LONG = 60_000;
const SHORT = 100;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` holds; a deadline turns a hang into a readable failure. */
async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await sleep(10);
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the promise to reject');
    },
    (error: unknown) => error,
  );
}

function sorted(members: ReadonlyMap<string, string>): [string, string][] {
  return [...members].sort(([a], [b]) => a.localeCompare(b));
}

/** Records what a subscription receives. */
function inbox(): { readonly messages: string[]; readonly handler: (message: string) => void } {
  const messages: string[] = [];
  return { messages, handler: (message) => messages.push(message) };
}

export function describeEphemeralContract(name: string, create: () => Promise<EphemeralUnderTest>): void {
  describe(`Ephemeral contract: ${name}`, () => {
    let subject: EphemeralUnderTest;
    let one: Ephemeral;
    let two: Ephemeral;

    beforeEach(async () => {
      subject = await create();
      one = await subject.open();
      two = await subject.open();
    });

    afterEach(async () => {
      await subject.dispose();
    });

    describe('values', () => {
      it('get returns the value set, exactly, and null for a key never set', async () => {
        await one.set('cursor:u1', '{"line":3,"ch":7} ✓', LONG);
        await one.set('empty', '', LONG);
        expect(await one.get('cursor:u1')).toBe('{"line":3,"ch":7} ✓');
        expect(await one.get('empty')).toBe('');
        expect(await one.get('never-set')).toBeNull();
      });

      it('set replaces the value and is seen by another instance', async () => {
        await one.set('k', 'first', LONG);
        await two.set('k', 'second', LONG);
        expect(await one.get('k')).toBe('second');
        expect(await two.get('k')).toBe('second');
      });

      it('delete removes the value, and deleting a missing key is harmless', async () => {
        await one.set('k', 'v', LONG);
        await two.delete('k');
        await two.delete('never-set');
        expect(await one.get('k')).toBeNull();
      });

      it('a value expires after its TTL, not before', async () => {
        const started = Date.now();
        await one.set('k', 'v', SHORT);
        await one.set('kept', 'v', LONG);
        await eventually(async () => (await one.get('k')) === null, 'the value expires');
        expect(Date.now() - started).toBeGreaterThanOrEqual(SHORT / 2);
        expect(await one.get('kept')).toBe('v');
      });

      it('setting a key again replaces its TTL', async () => {
        await one.set('k', 'v', SHORT);
        await one.set('k', 'v', LONG);
        await sleep(SHORT * 3);
        expect(await one.get('k')).toBe('v');
      });

      it('a TTL that is not a whole number of milliseconds ≥ 1 is refused', async () => {
        for (const ttl of [0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
          expect(await rejection(one.set('k', 'v', ttl))).toBeInstanceOf(RangeError);
          expect(await rejection(one.putMember('g', 'm', 'v', ttl))).toBeInstanceOf(RangeError);
          expect(await rejection(one.hit('k', ttl))).toBeInstanceOf(RangeError);
        }
        expect(await one.get('k')).toBeNull();
        expect((await one.members('g')).size).toBe(0);
      });
    });

    describe('group members', () => {
      it('members returns every live member with its latest value, from any instance', async () => {
        await one.putMember('room-1', 'ann', '{"name":"Ann"}', LONG);
        await two.putMember('room-1', 'bob', '{"name":"Bob"}', LONG);
        await two.putMember('room-1', 'ann', '{"name":"Ann","idle":true}', LONG);
        expect(sorted(await one.members('room-1'))).toEqual([
          ['ann', '{"name":"Ann","idle":true}'],
          ['bob', '{"name":"Bob"}'],
        ]);
      });

      it('an unknown group has no members, and groups do not share members', async () => {
        await one.putMember('room-1', 'ann', 'a', LONG);
        expect((await one.members('room-2')).size).toBe(0);
        expect(sorted(await one.members('room-1'))).toEqual([['ann', 'a']]);
      });

      it('removeMember removes one member and leaves the others', async () => {
        await one.putMember('room-1', 'ann', 'a', LONG);
        await one.putMember('room-1', 'bob', 'b', LONG);
        await two.removeMember('room-1', 'ann');
        await two.removeMember('room-1', 'nobody');
        await two.removeMember('room-never', 'ann');
        expect(sorted(await one.members('room-1'))).toEqual([['bob', 'b']]);
        await one.removeMember('room-1', 'bob');
        expect((await one.members('room-1')).size).toBe(0);
      });

      it('an expired member is not returned while live members still are', async () => {
        await one.putMember('room-1', 'gone', 'g', SHORT);
        await one.putMember('room-1', 'stays', 's', LONG);
        await eventually(async () => !(await two.members('room-1')).has('gone'), 'the member expires');
        expect(sorted(await two.members('room-1'))).toEqual([['stays', 's']]);
      });

      it('putting a member again refreshes its TTL', async () => {
        await one.putMember('room-1', 'ann', 'a', SHORT);
        await one.putMember('room-1', 'ann', 'a', LONG);
        await sleep(SHORT * 3);
        expect(sorted(await one.members('room-1'))).toEqual([['ann', 'a']]);
      });

      it('a member who expired and came back is live again', async () => {
        await one.putMember('room-1', 'ann', 'old', SHORT);
        await eventually(async () => (await one.members('room-1')).size === 0, 'the member expires');
        await one.putMember('room-1', 'ann', 'new', LONG);
        expect(sorted(await one.members('room-1'))).toEqual([['ann', 'new']]);
      });
    });

    describe('hits', () => {
      it('counts hits within a window, per key, across instances', async () => {
        expect(await one.hit('login:ann', LONG)).toBe(1);
        expect(await two.hit('login:ann', LONG)).toBe(2);
        expect(await one.hit('login:ann', LONG)).toBe(3);
        expect(await one.hit('login:bob', LONG)).toBe(1);
      });

      it('concurrent hits are each counted exactly once', async () => {
        const counts = await Promise.all(Array.from({ length: 40 }, (_, n) => (n % 2 ? one : two).hit('burst', LONG)));
        expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, n) => n + 1));
      });

      it('the count starts again at 1 once the window has passed', async () => {
        expect(await one.hit('k', SHORT)).toBe(1);
        expect(await one.hit('k', SHORT)).toBe(2);
        await sleep(SHORT * 2);
        expect(await one.hit('k', SHORT)).toBe(1);
      });

      it('the window is fixed: hits inside it do not extend it', async () => {
        // Hit faster than the window; a sliding or extended window would never start again at 1.
        const window = 200;
        const started = Date.now();
        expect(await one.hit('k', window)).toBe(1);
        let count: number;
        do {
          await sleep(window / 10);
          count = await one.hit('k', window);
          if (Date.now() - started > 5_000) throw new Error(`the window never ended (count ${count})`);
        } while (count !== 1);
        expect(Date.now() - started).toBeGreaterThanOrEqual(window / 2);
      });

      it('hit keys, value keys and groups do not collide', async () => {
        await one.set('same', 'value', LONG);
        await one.putMember('same', 'ann', 'a', LONG);
        expect(await one.hit('same', LONG)).toBe(1);
        expect(await one.get('same')).toBe('value');
        expect(sorted(await one.members('same'))).toEqual([['ann', 'a']]);
      });
    });

    describe('revocation lists', () => {
      it('an id put on a list is seen by every instance with its end time, and other lists stay apart', async () => {
        const until = Date.now() + LONG;
        await one.revoke('sessions', 's1', until);
        expect([...(await two.revoked('sessions'))]).toEqual([['s1', until]]);
        expect((await two.revoked('other')).size).toBe(0);
      });

      it('a later end time extends an entry, an earlier one leaves it, a past one adds nothing', async () => {
        const until = Date.now() + LONG;
        await one.revoke('sessions', 's1', until);
        await two.revoke('sessions', 's1', until - 1000);
        expect((await one.revoked('sessions')).get('s1')).toBe(until);
        await two.revoke('sessions', 's1', until + 1000);
        expect((await one.revoked('sessions')).get('s1')).toBe(until + 1000);
        await one.revoke('sessions', 'gone', Date.now() - 1);
        expect((await one.revoked('sessions')).has('gone')).toBe(false);
      });

      it('an entry is no longer listed once its time has passed', async () => {
        await one.revoke('sessions', 'brief', Date.now() + SHORT);
        await one.revoke('sessions', 'kept', Date.now() + LONG);
        expect((await two.revoked('sessions')).has('brief')).toBe(true);
        await eventually(async () => !(await two.revoked('sessions')).has('brief'), 'the brief entry ends');
        expect((await two.revoked('sessions')).has('kept')).toBe(true);
      });

      it('revocation lists, value keys, groups and hit keys do not collide', async () => {
        await one.set('same', 'value', LONG);
        await one.putMember('same', 'ann', 'a', LONG);
        await one.revoke('same', 'ann', Date.now() + LONG);
        expect(await one.get('same')).toBe('value');
        expect(sorted(await one.members('same'))).toEqual([['ann', 'a']]);
        expect(await one.hit('same', LONG)).toBe(1);
        expect((await one.revoked('same')).has('ann')).toBe(true);
      });

      it('refuses an end time that is not whole milliseconds', async () => {
        expect(await rejection(one.revoke('sessions', 's1', 1.5))).toBeInstanceOf(RangeError);
      });
    });

    describe('publish and subscribe', () => {
      it('delivers every message, in order, to every subscriber in every instance', async () => {
        const first = inbox();
        const second = inbox();
        const remote = inbox();
        await one.subscribe('room-1', first.handler);
        await one.subscribe('room-1', second.handler);
        await two.subscribe('room-1', remote.handler);
        const sent = Array.from({ length: 20 }, (_, n) => `m${n}`);
        for (const message of sent) await one.publish('room-1', message);
        await eventually(() => [first, second, remote].every((box) => box.messages.length === sent.length), 'all messages arrive');
        for (const box of [first, second, remote]) expect(box.messages).toEqual(sent);
      });

      it('an instance receives what another instance publishes', async () => {
        const received = inbox();
        await one.subscribe('room-1', received.handler);
        await two.publish('room-1', 'from the other gateway');
        await eventually(() => received.messages.length === 1, 'the message arrives');
        expect(received.messages).toEqual(['from the other gateway']);
      });

      it('a channel receives only its own messages', async () => {
        const room1 = inbox();
        const room2 = inbox();
        await one.subscribe('room-1', room1.handler);
        await one.subscribe('room-2', room2.handler);
        await two.publish('room-2', 'for room 2');
        await two.publish('room-1', 'for room 1');
        await eventually(() => room1.messages.length === 1 && room2.messages.length === 1, 'both messages arrive');
        expect(room1.messages).toEqual(['for room 1']);
        expect(room2.messages).toEqual(['for room 2']);
      });

      it('handlers never run inside publish', async () => {
        const received = inbox();
        await one.subscribe('room-1', received.handler);
        const published = one.publish('room-1', 'later');
        expect(received.messages).toEqual([]);
        await published;
        await eventually(() => received.messages.length === 1, 'the message arrives');
      });

      it('after unsubscribing, a handler receives nothing more while others still do', async () => {
        const leaving = inbox();
        const staying = inbox();
        const unsubscribe = await one.subscribe('room-1', leaving.handler);
        await one.subscribe('room-1', staying.handler);
        await two.publish('room-1', 'before');
        await eventually(() => leaving.messages.length === 1 && staying.messages.length === 1, 'the first message arrives');
        await unsubscribe();
        await unsubscribe();
        await two.publish('room-1', 'after');
        await two.publish('room-1', 'marker');
        await eventually(() => staying.messages.length === 3, 'later messages arrive');
        expect(leaving.messages).toEqual(['before']);
        expect(staying.messages).toEqual(['before', 'after', 'marker']);
      });

      it('the last unsubscribe stops delivery, and subscribing again resumes it', async () => {
        const first = inbox();
        const unsubscribe = await one.subscribe('room-1', first.handler);
        await unsubscribe();
        const second = inbox();
        await one.subscribe('room-1', second.handler);
        await two.publish('room-1', 'hello');
        await eventually(() => second.messages.length === 1, 'the message arrives');
        expect(first.messages).toEqual([]);
      });

      it('the same function subscribed twice is two subscriptions', async () => {
        const received = inbox();
        const unsubscribe = await one.subscribe('room-1', received.handler);
        await one.subscribe('room-1', received.handler);
        await one.publish('room-1', 'twice');
        await eventually(() => received.messages.length === 2, 'both deliveries arrive');
        await unsubscribe();
        await one.publish('room-1', 'once');
        await eventually(() => received.messages.length === 3, 'the single delivery arrives');
        await sleep(50);
        expect(received.messages).toEqual(['twice', 'twice', 'once']);
      });

      it('a handler that throws affects neither other handlers nor later messages', async () => {
        const received = inbox();
        let calls = 0;
        await one.subscribe('room-1', () => {
          calls += 1;
          throw new Error('handler failed');
        });
        await one.subscribe('room-1', received.handler);
        await two.publish('room-1', 'a');
        await two.publish('room-1', 'b');
        await eventually(() => received.messages.length === 2 && calls === 2, 'both messages arrive');
        expect(received.messages).toEqual(['a', 'b']);
      });
    });

    describe('lifecycle', () => {
      it('ping resolves while the store answers', async () => {
        await expect(one.ping()).resolves.toBeUndefined();
      });

      it('after close, calls reject, closing again is harmless, and other instances carry on', async () => {
        const closedInbox = inbox();
        const openInbox = inbox();
        await one.subscribe('room-1', closedInbox.handler);
        await two.subscribe('room-1', openInbox.handler);
        await one.set('k', 'v', LONG);
        await one.close();
        await one.close();
        await expect(one.ping()).rejects.toThrow();
        await expect(one.get('k')).rejects.toThrow();
        await expect(one.publish('room-1', 'x')).rejects.toThrow();
        await expect(one.subscribe('room-1', () => {})).rejects.toThrow();
        expect(await two.get('k')).toBe('v');
        await two.publish('room-1', 'after close');
        await eventually(() => openInbox.messages.length === 1, 'the open instance receives');
        await sleep(50);
        expect(closedInbox.messages).toEqual([]);
      });
    });
  });
}
