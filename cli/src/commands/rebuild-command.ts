/**
 * `resoft rebuild [projection…]`: rebuilds read models from position 0 into fresh collections and
 * swaps them in, reading the log once for all of them. With Kafka (KAFKA_BROKERS) the projectors keep one checkpoint per partition and
 * their own offsets in the broker, which a swap under running consumers cannot keep consistent: the
 * rebuild then needs the projectors consumer group to be empty (its processes stopped), and after
 * each swap it sets every partition's checkpoint to the rebuilt position, so the restarted
 * consumers skip what the rebuild already holds and apply only what came after.
 */
import { PersonalDataCodec } from '@resoft/infra';
import { type EventBus, type ReadStore } from '@resoft/ports';
import { loadConfig, openStores } from '@resoft/app';
import { allProjections, partitionCheckpointName, rebuildProjections, revealingAll } from '@resoft/projectors';
import { progressBar } from './progress-bar.js';

export class RebuildRefusedError extends Error {}

/** Made from the projections themselves, so `--help` never omits one (it once left out `files`). */
export const REBUILD_ARGUMENT_HELP = `projections to rebuild: ${allProjections.map((p) => p.name).join(', ')}`;

export async function rebuildCommand(names: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WriteStream = process.stdout): Promise<void> {
  const unknown = names.filter((n) => !allProjections.some((p) => p.name === n));
  if (unknown.length) {
    throw new Error(`Unknown projection(s): ${unknown.join(', ')}. Known: ${allProjections.map((p) => p.name).join(', ')}`);
  }
  const chosen = names.length ? allProjections.filter((p) => names.includes(p.name)) : allProjections;
  const config = loadConfig(env);
  const stores = await openStores(config);
  try {
    const partitions = stores.bus && config.kafka ? await busPartitions(stores.bus, config.kafka.group) : 0;
    if (!stores.bus) await refuseIfFedByBus(stores.readModels, chosen.map((p) => p.name));
    const bar = progressBar(chosen.length === 1 ? chosen[0]!.name : `${chosen.length} projections`);
    const started = Date.now();
    // Personal data is revealed through the key store: an erased user's stays erased in the rebuilt models.
    const position = await rebuildProjections(stores.events, stores.readModels, revealingAll(chosen, new PersonalDataCodec(stores.personalKeys)), (p) => bar.update(p.position, p.head));
    bar.update(position, position);
    bar.stop();
    for (const projection of chosen) {
      if (partitions > 0) await setPartitionCheckpoints(stores.readModels, projection.name, partitions, position);
    }
    out.write(`rebuilt ${chosen.map((p) => p.name).join(', ')} up to position ${position} in ${Date.now() - started} ms (one pass over the log)\n`);
  } finally {
    await stores.close();
  }
}

/** The topic's partition count, once it is sure no projectors process consumes meanwhile. */
async function busPartitions(bus: EventBus, group: string): Promise<number> {
  const members = await bus.activeMembers(group);
  if (members > 0) {
    throw new RebuildRefusedError(
      `The projectors consumer group "${group}" has ${members} active member(s): stop every \`resoft serve projectors\` process, rebuild, then start them again (with Kafka, a rebuild cannot swap read models under running consumers).`,
    );
  }
  return bus.ensureTopic();
}

/**
 * Read models that bus-fed projectors write carry per-partition checkpoints. Without KAFKA_BROKERS the
 * rebuild could neither see running projectors nor set those checkpoints, and the projectors would
 * then apply again what the rebuild holds.
 */
async function refuseIfFedByBus(readStore: ReadStore, projections: readonly string[]): Promise<void> {
  const checkpoints = await readStore.readCheckpoints(projections.map((name) => partitionCheckpointName(name, 0)));
  if ([...checkpoints.values()].some((position) => position > 0)) {
    throw new RebuildRefusedError(
      'These read models are written by projectors fed by Kafka (they have per-partition checkpoints): run the rebuild with the deployment\'s KAFKA_BROKERS (and RESOFT_KAFKA_TOPIC, RESOFT_KAFKA_GROUP), with the projectors stopped.',
    );
  }
}

async function setPartitionCheckpoints(readStore: ReadStore, projection: string, partitions: number, position: number): Promise<void> {
  for (let partition = 0; partition < partitions; partition += 1) {
    const name = partitionCheckpointName(projection, partition);
    await readStore.write({ ops: [], checkpoint: { name, expected: await readStore.getCheckpoint(name), position } });
  }
}
