/**
 * The shared contract against a real EventStoreDB, when `EVENTSTORE_URL`
 * names one (e.g. `esdb://localhost:2113?tls=false`).
 *
 * The contract wants a fresh, empty store per test (head 0, `readAll()` is the
 * test's events only), and an EventStoreDB server cannot be emptied. Each test
 * therefore sees the store through `startingAt`: the global log as if it began
 * after the head at the test's start. Streams are unique per test already. The
 * server must have no other writers while the suite runs.
 */
import type { EventStore } from '@resoft/ports';
import { describeEventStoreContract } from '@resoft/ports/contracts';
import { EsdbEventStore } from './esdb-event-store.js';

const url = process.env.EVENTSTORE_URL;

/** The store with the global log seen from `baseline` on: earlier events are hidden and head is 0 until something is appended. */
function startingAt(store: EventStore, baseline: number): EventStore {
  const from = (after: number | undefined): number => Math.max(after ?? 0, baseline);
  return {
    append: (streamId, events, expected) => store.append(streamId, events, expected),
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options = {}) => store.readAll({ ...options, after: from(options.after) }),
    readEventColumns: (read) => store.readEventColumns('streamIds' in read || read.streamId !== undefined ? read : { ...read, after: from(read.after) }),
    headPosition: async () => {
      const head = await store.headPosition();
      return head > baseline ? head : 0;
    },
    subscribeToAll: (options) => store.subscribeToAll({ ...options, after: from(options.after) }),
    close: () => store.close(),
  };
}

if (url) {
  describeEventStoreContract('EsdbEventStore', async () => {
    const store = await EsdbEventStore.connect({ connectionString: url, subscriptionFallbackMs: 250 });
    const scoped = startingAt(store, await store.headPosition());
    return { store: scoped, dispose: () => scoped.close() };
  });
} else {
  console.warn('EventStoreDB contract suite skipped: EVENTSTORE_URL is not set (no EventStoreDB server can be installed on this machine)');
  describe.skip('EventStore contract: EsdbEventStore (needs EVENTSTORE_URL)', () => {
    it('runs against a real EventStoreDB', () => undefined);
  });
}
