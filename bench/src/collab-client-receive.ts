/**
 * `node bench/dist/collab-client-receive.js [replicas] [updates]`: what collab-client's
 * `ClientDocument` costs per update it receives from the gateway, without sockets or a server
 * (issue 19). `replicas` (9) documents in this one thread, as in `bench:collab`'s load generator, each
 * receive `updates` (200) of the gateway's update messages (built as `LiveTextDocument.updateMessage`
 * builds them), one update per replica per turn, as from a socket. Prints the CPU time (user +
 * system) per replica per update, the time from an update's arrival until the replica's text
 * shows it, and how many sync messages the replicas sent back.
 *
 * To compare two builds, run it in each tree, alternately, several times.
 */
import * as Automerge from '@automerge/automerge/next';
import { ClientDocument } from '@resoft/collab-client';
import { performance } from 'node:perf_hooks';
import { positiveNumber } from './bench-settings.js';

type TextDoc = { text: string };

const REPLICAS = Math.floor(positiveNumber('BENCH_REPLICAS', Number(process.argv[2] ?? 9)));
const UPDATES = Math.floor(positiveNumber('BENCH_UPDATES', Number(process.argv[3] ?? 200)));

async function main(): Promise<void> {
  let gateway = Automerge.from<TextDoc>({ text: 'start' });
  const replicas: ClientDocument[] = [];
  let sent = 0;
  for (let r = 0; r < REPLICAS; r += 1) {
    let state = Automerge.initSyncState();
    let copy = Automerge.clone(gateway);
    const out: Uint8Array[] = [];
    const doc = new ClientDocument('p', 'f', () => 'me', { sendSync: (_f, m) => (out.push(m), (sent += 1), true), sendCursor: () => undefined, reopen: () => undefined });
    doc.resetSync();
    for (let round = 0; round < 10 && out.length > 0; round += 1) {
      for (const m of out.splice(0)) [copy, state] = Automerge.receiveSyncMessage(copy, state, m);
      const [next, reply] = Automerge.generateSyncMessage(copy, state);
      state = next;
      if (reply) doc.receiveSync(reply);
    }
    await doc.ready;
    replicas.push(doc);
  }
  const updates: Uint8Array[] = [];
  for (let i = 0; i < UPDATES; i += 1) {
    const author = Automerge.change(Automerge.clone(gateway), (d) => Automerge.splice(d, ['text'], 0, 0, `tok${i} `));
    const change = Automerge.getLastLocalChange(author)!;
    [gateway] = Automerge.applyChanges(gateway, [change]);
    const heads = Automerge.getHeads(gateway);
    updates.push(Automerge.encodeSyncMessage({ heads, need: [], have: [{ lastSync: heads, bloom: new Uint8Array(0) }], changes: [change] }));
  }
  sent = 0;
  // The time from a message's arrival until the replica's text shows it (what a receiver waits for;
  // work the replica does after that, such as its sync state's bookkeeping, is only in the CPU figure).
  let queuedAt = 0;
  let shownMicros = 0;
  for (const doc of replicas) doc.on('change', () => (shownMicros += (performance.now() - queuedAt) * 1000));
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const update of updates) {
    for (const doc of replicas) {
      queuedAt = performance.now();
      doc.queueSync(update);
      await turn();
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  const received = REPLICAS * UPDATES;
  console.log(JSON.stringify({
    replicas: REPLICAS, updates: UPDATES,
    cpuMicrosPerReplicaUpdate: Math.round((cpu.user + cpu.system) / received),
    wallMicrosPerReplicaUpdate: Math.round((wallMs * 1000) / received),
    shownMicrosPerReplicaUpdate: Math.round(shownMicros / received),
    messagesSent: sent,
    converged: replicas.every((d) => d.text === gateway.text),
  }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
