/**
 * Child process for `durability.int.spec.ts`: appends one event at a time to
 * the store file given as argument, forever, and prints `position eventId` for
 * each append once it is acknowledged. The test kills it with SIGKILL.
 */
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from './sqlite-event-store.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: append-forever.fixture.js <store file>\n');
  process.exit(2);
}

// Default synchronous = NORMAL: the case under test is a killed process, not a lost machine.
const store = new SqliteEventStore({ file });

for (let n = 0; ; n += 1) {
  const id = randomUUID();
  const { position } = await store.append(
    `durable-${n % 7}`,
    [{ id, type: 'Ticked', data: { n }, metadata: { actor: null, correlationId: id, causationId: null, occurredAt: new Date().toISOString(), schema: 1 } }],
    'any',
  );
  // Pipes are written synchronously on Linux, so a printed line means the append had returned.
  process.stdout.write(`${position} ${id}\n`);
}
