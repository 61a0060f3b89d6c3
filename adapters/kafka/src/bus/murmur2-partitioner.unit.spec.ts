import { murmur2Partitioner } from './murmur2-partitioner.js';

describe('murmur2Partitioner', () => {
  it("hashes keys as Kafka's Java client does (the vectors of its own murmur2 test)", () => {
    // With 2^31 - 1 partitions the partition is the positive hash itself.
    const positiveHash = murmur2Partitioner(0x7fffffff);
    const vectors: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of vectors) expect(positiveHash(key)).toBe(hash & 0x7fffffff);
  });
});
