/**
 * Which global position an analytics answer reflects: every event at or below it is counted. With
 * the embedded runner that is the `analytics` checkpoint. With the bus each partition has its own
 * checkpoint: the answer reflects the relay's checkpoint, except that a partition whose consumer
 * lags behind the relay holds it back to that consumer's checkpoint.
 */
import type { ReadStore } from '@resoft/ports';
import { RELAY_CHECKPOINT, relayPartitionsCollection, type RelayPartitionView } from '@resoft/projectors';

const PROJECTION = 'analytics';
const partitionCheckpoint = (partition: number): string => `${PROJECTION}@p${partition}`;

async function relayPartitions(store: ReadStore): Promise<RelayPartitionView[]> {
  try {
    return await store.find<RelayPartitionView>(relayPartitionsCollection.name);
  } catch {
    // Without the bus the relay never created its collection.
    return [];
  }
}

export async function analyticsPosition(store: ReadStore): Promise<number> {
  const partitions = await relayPartitions(store);
  if (partitions.length === 0) return store.getCheckpoint(PROJECTION);
  let reflected = await store.getCheckpoint(RELAY_CHECKPOINT);
  for (const { partition, position: last } of partitions) {
    const applied = await store.getCheckpoint(partitionCheckpoint(partition));
    if (applied < last) reflected = Math.min(reflected, applied);
  }
  return reflected;
}
