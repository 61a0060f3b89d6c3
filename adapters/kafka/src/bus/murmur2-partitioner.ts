/**
 * Kafka's partitioning rule, owned by the Kafka adapter: the bus answers `partitionOf` with it, and
 * tools that place streams on partitions ahead of time (benchmarks, fault tests) ask it here.
 */
/**
 * Kafka's default partitioning of keyed records (the Java client's and kafkajs's): murmur2 of the
 * key's UTF-8 bytes, made positive, modulo the topic's partition count.
 */
export function murmur2Partitioner(partitions: number): (key: string) => number {
  assertPartitions(partitions);
  return (key) => (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitions;
}

function murmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = length % 4;
  if (rest >= 3) h ^= data[whole + 2]! << 16;
  if (rest >= 2) h ^= data[whole + 1]! << 8;
  if (rest >= 1) h = Math.imul(h ^ data[whole]!, m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}

function assertPartitions(partitions: number): void {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
}
