import { ChainVerifier, sealEvent } from './hash-chain.js';
import { GENESIS_HASH, type RecordedEvent } from '../events/envelope.js';

const context = { actor: 'u1', correlationId: 'c1', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', schema: 1 };

function chain(streamId: string, count: number, startPosition = 1): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  let prev = GENESIS_HASH;
  for (let revision = 0; revision < count; revision += 1) {
    const sealed = sealEvent({ id: `${streamId}-${revision}`, type: 'Thing', data: { n: revision }, metadata: context }, streamId, revision, prev);
    events.push({ ...sealed, position: startPosition + revision });
    prev = sealed.metadata.hash;
  }
  return events;
}

describe('audit hash chain', () => {
  it('verifies an untouched chain and counts streams and events', () => {
    const verifier = new ChainVerifier();
    [...chain('a', 3), ...chain('b', 2, 10)].forEach((e) => verifier.check(e));
    expect(verifier.report()).toEqual({ ok: true, streams: 2, events: 5, firstBrokenLink: null });
  });

  it('names the first event whose data was altered', () => {
    const events = chain('a', 3);
    events[1] = { ...events[1]!, data: { n: 99 } };
    const verifier = new ChainVerifier();
    events.forEach((e) => verifier.check(e));
    expect(verifier.report().firstBrokenLink).toMatchObject({ streamId: 'a', revision: 1, reason: expect.stringContaining('altered') });
  });

  it('finds a removed event as a broken revision sequence', () => {
    const events = chain('a', 3);
    const verifier = new ChainVerifier();
    [events[0]!, events[2]!].forEach((e) => verifier.check(e));
    expect(verifier.report()).toMatchObject({ ok: false, firstBrokenLink: { revision: 2 } });
  });
});
