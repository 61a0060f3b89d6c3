/**
 * The bus pipeline as separate processes on SQLite files (command, relay, two projectors, query), and
 * the checks a fault test ends with: wait until the query side is fresh, then compare the live read
 * models with a rebuild from the event store into a separate, fresh read store.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PersonalDataCodec } from '@resoft/infra';
import { SqliteEventStore, SqliteKeyStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { loadConfig } from '@resoft/app';
import { allProjections, rebuildProjection, revealingAll } from '@resoft/projectors';
import { snapshotReadModels } from './read-model-snapshot.js';
import { RoutedClient, serve, stopAll, type ServiceProcess } from './service-process.js';

export class FaultPipeline {
  /** The live processes; a killed one is taken out, a replacement put in. */
  readonly processes: ServiceProcess[];

  private constructor(
    readonly dataDir: string,
    readonly env: Record<string, string>,
    readonly command: ServiceProcess,
    readonly query: ServiceProcess,
    /** The relay processes now running (one active; others stand by). */
    readonly relays: ServiceProcess[],
    /** The projectors processes now running. */
    readonly projectors: ServiceProcess[],
  ) {
    this.processes = [command, query, ...relays, ...projectors];
  }

  static async start(brokers: string, partitions = 3): Promise<FaultPipeline> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-fault-'));
    const run = randomUUID().replace(/-/g, '').slice(0, 12);
    const env = {
      PORT: '0', HOST: '127.0.0.1', RESOFT_DATA_DIR: dataDir, RESOFT_SCRYPT_COST: '1024', RESOFT_AUTH_RATE_LIMIT: '10000', RESOFT_EVENT_POLL_MS: '20',
      RESOFT_JWT_SECRET: `secret-${run}-${'x'.repeat(32)}`,
      KAFKA_BROKERS: brokers, RESOFT_KAFKA_TOPIC: `resoft-fault-${run}`, RESOFT_KAFKA_PARTITIONS: String(partitions), RESOFT_KAFKA_GROUP: `projectors-${run}`,
      RESOFT_RELAY_TAKEOVER_MS: '2000',
    };
    // The command process creates the event store file and the signing key; the others open them.
    const command = await serve('command', env);
    const [query, relay, ...projectors] = await Promise.all([serve('query', env), serve('relay', env), serve('projectors', env), serve('projectors', env)]);
    return new FaultPipeline(dataDir, env, command, query!, [relay!], projectors);
  }

  /** Writes to the command process, reads from the query process. */
  api(): RoutedClient {
    return new RoutedClient(this.command.client, this.query.client);
  }

  /** SIGKILLs a process and waits until it is gone. */
  async kill(target: ServiceProcess): Promise<void> {
    const index = this.processes.indexOf(target);
    if (index < 0) throw new Error('not a process of this pipeline');
    this.processes.splice(index, 1);
    for (const group of [this.projectors, this.relays]) if (group.includes(target)) group.splice(group.indexOf(target), 1);
    if (target.child.exitCode !== null || target.child.signalCode !== null) return;
    await new Promise((resolve) => {
      target.child.once('exit', resolve);
      target.child.kill('SIGKILL');
    });
  }

  async addProjectors(): Promise<ServiceProcess> {
    const started = await serve('projectors', this.env);
    this.processes.push(started);
    this.projectors.push(started);
    return started;
  }

  /** Stops a process gracefully (SIGTERM: a consumer leaves its group at once). */
  async stopProcess(target: ServiceProcess): Promise<void> {
    const index = this.processes.indexOf(target);
    if (index < 0) throw new Error('not a process of this pipeline');
    this.processes.splice(index, 1);
    for (const group of [this.projectors, this.relays]) if (group.includes(target)) group.splice(group.indexOf(target), 1);
    await stopAll([target]);
  }

  async addRelay(): Promise<ServiceProcess> {
    const started = await serve('relay', this.env);
    this.processes.push(started);
    this.relays.push(started);
    return started;
  }

  /** What every process says at /readyz, for a failure message. */
  async readiness(): Promise<unknown[]> {
    return Promise.all(this.processes.map(async (p) => (await p.client.get('/readyz').catch((e: Error) => ({ body: e.message }))).body));
  }

  async stop(): Promise<void> {
    await stopAll(this.processes);
    this.processes.length = 0;
  }

  /**
   * Rebuilds every projection from the event store into a fresh read store file and returns both
   * snapshots without checkpoints (the live ones are per partition, the rebuilt ones global).
   * Call it after `stop`.
   */
  async liveAndRebuilt(): Promise<{ live: Record<string, unknown[]>; rebuilt: Record<string, unknown[]> }> {
    const events = new SqliteEventStore({ file: path.join(this.dataDir, 'events.sqlite') });
    const live = new SqliteReadStore({ file: path.join(this.dataDir, 'read-models.sqlite') });
    const fresh = new SqliteReadStore({ file: path.join(this.dataDir, 'rebuilt-read-models.sqlite') });
    // Personal data is revealed through the processes' key store, as `resoft rebuild` does.
    const personalKeys = new SqliteKeyStore({ file: loadConfig(this.env).personalData.keysFile });
    try {
      for (const projection of revealingAll(allProjections, new PersonalDataCodec(personalKeys))) await rebuildProjection(events, fresh, projection);
      return { live: withoutCheckpoints(await snapshotReadModels(live)), rebuilt: withoutCheckpoints(await snapshotReadModels(fresh)) };
    } finally {
      await Promise.all([events.close(), live.close(), fresh.close(), personalKeys.close()]);
    }
  }

  remove(): void {
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function withoutCheckpoints(snapshot: Record<string, unknown[]>): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(snapshot).filter(([name]) => !name.startsWith('checkpoint:')));
}
