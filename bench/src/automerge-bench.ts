/**
 * `npm run bench:automerge`: what the installed Automerge costs on the calls collaboration makes
 * (issue 19): applying one change at a time to a copy whose history grows (the gateway, every
 * replica, the files projection), a local change, save, load, memory per loaded document, and sync
 * rounds between two replicas. It prints the version it measured, so two versions are compared by
 * running it against each (docs/performance.md, 2026-12-04).
 *
 * BENCH_AUTOMERGE_CHANGES (default 5,000): changes in the history, each an insert of two characters
 * at a random place in one text.
 */
import * as Automerge from '@automerge/automerge/next';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { positiveNumber } from './bench-settings.js';

const CHANGES = positiveNumber('BENCH_AUTOMERGE_CHANGES', 5000);
const LOADED_COPIES = 20;
const SYNC_ROUNDS = 300;

type Text = { text: string };

const elapsed = (since: bigint): number => Math.round(Number(process.hrtime.bigint() - since) / 1e4) / 100;

function installedVersion(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@automerge/automerge');
  const manifest = `${entry.slice(0, entry.lastIndexOf('/dist/'))}/package.json`;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function main(): void {
  console.log(`Automerge ${installedVersion()}, node ${process.version}, ${CHANGES} changes of one text`);
  let started = process.hrtime.bigint();
  let doc = Automerge.from<Text>({ text: '' });
  const changes: Uint8Array[] = [];
  for (let i = 0; i < CHANGES; i += 1) {
    doc = Automerge.change(doc, (d) => Automerge.splice(d, ['text'], Math.floor(Math.random() * (i + 1)), 0, 'ab'));
    changes.push(Automerge.getLastLocalChange(doc)!);
  }
  console.log(`local changes: ${elapsed(started)} ms in all, ${Math.round((elapsed(started) * 1000) / CHANGES)} µs each`);

  // One change per call, as a live copy receives them: the cost of the calls near the end shows how it grows with the history.
  let replica = Automerge.init<Text>();
  const perCall: string[] = [];
  started = process.hrtime.bigint();
  const marks = new Set([500, 1000, 2000, 3000, 5000, 10000].filter((n) => n <= CHANGES));
  for (const [i, change] of changes.entries()) {
    const callStarted = process.hrtime.bigint();
    [replica] = Automerge.applyChanges(replica, [change]);
    if (marks.has(i + 1)) perCall.push(`${i + 1}: ${Math.round(Number(process.hrtime.bigint() - callStarted) / 1e3)} µs`);
  }
  console.log(`apply one change per call: ${elapsed(started)} ms in all; one call at history length ${perCall.join(', ')}`);

  started = process.hrtime.bigint();
  Automerge.applyChanges(Automerge.init<Text>(), changes);
  console.log(`apply every change in one call: ${elapsed(started)} ms`);

  started = process.hrtime.bigint();
  const saved = Automerge.save(doc);
  console.log(`save: ${elapsed(started)} ms (${saved.length} bytes)`);
  started = process.hrtime.bigint();
  const loaded = Automerge.load<Text>(saved);
  console.log(`load: ${elapsed(started)} ms (${loaded.text.length} characters)`);

  const rssBefore = process.memoryUsage().rss;
  const copies = Array.from({ length: LOADED_COPIES }, () => Automerge.load<Text>(saved));
  console.log(`memory per loaded copy: ${Math.round((process.memoryUsage().rss - rssBefore) / LOADED_COPIES / 1024)} KB (resident set growth over ${copies.length} copies)`);

  let a = Automerge.load<Text>(saved);
  let b = Automerge.load<Text>(saved);
  let stateA = Automerge.initSyncState();
  let stateB = Automerge.initSyncState();
  started = process.hrtime.bigint();
  for (let i = 0; i < SYNC_ROUNDS; i += 1) {
    a = Automerge.change(a, (d) => Automerge.splice(d, ['text'], 0, 0, 'z'));
    let message: Uint8Array | null;
    [stateA, message] = Automerge.generateSyncMessage(a, stateA);
    if (message) [b, stateB] = Automerge.receiveSyncMessage(b, stateB, message);
    [stateB, message] = Automerge.generateSyncMessage(b, stateB);
    if (message) [a, stateA] = Automerge.receiveSyncMessage(a, stateA, message);
  }
  if (a.text !== b.text) throw new Error('the replicas did not converge');
  console.log(`sync, one edit per round, ${SYNC_ROUNDS} rounds: ${elapsed(started)} ms`);
}

main();
