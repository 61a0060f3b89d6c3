import { InProcessEphemeral, InProcessEphemeralHub } from '@resoft/ports';
import { AccessTokens } from './access-tokens.js';
import { SessionRevocations } from './session-revocations.js';

const key = new TextEncoder().encode('k'.repeat(32));
const ann = { id: '01a22454-add7-702c-846c-8b53cea6628f', username: 'ann' };

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('revoked sessions shared through the ephemeral store', () => {
  let hub: InProcessEphemeralHub;
  let stores: InProcessEphemeral[];
  let started: SessionRevocations[];

  beforeEach(() => {
    hub = new InProcessEphemeralHub();
    stores = [];
    started = [];
  });
  afterEach(async () => {
    for (const r of started) await r.stop();
    for (const s of stores) await s.close();
  });

  /** One process's view: its own connection to the shared store. */
  async function process(pollMs = 60_000): Promise<{ revocations: SessionRevocations; ephemeral: InProcessEphemeral }> {
    const ephemeral = new InProcessEphemeral({ hub });
    stores.push(ephemeral);
    const revocations = new SessionRevocations(ephemeral, { pollMs });
    await revocations.start();
    started.push(revocations);
    return { revocations, ephemeral };
  }

  it('a token of a session revoked in one process is refused in another, which is told so once', async () => {
    const one = await process();
    const two = await process();
    const issuer = new AccessTokens(key, 900, Date.now, one.revocations);
    const verifier = new AccessTokens(key, 900, Date.now, two.revocations);
    const token = await issuer.issue(ann, 's1');
    expect((await verifier.verifyWithExpiry(token))?.sessionId).toBe('s1');
    const told: string[] = [];
    verifier.onSessionRevoked((sessionId) => told.push(sessionId));

    await issuer.revokeSession('s1');
    expect(await issuer.verify(token)).toBeNull();
    await eventually(() => told.length === 1, 'the other process hears of it');
    expect(await verifier.verify(token)).toBeNull();
    await issuer.revokeSession('s1');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(told).toEqual(['s1']);
  });

  it('a process that missed the announcement learns the revocation from the list within its poll interval', async () => {
    const listener = await process(50);
    // Written straight to the list, with no message on the channel: as if pub/sub had dropped it.
    await stores[0]!.revoke('revoked-sessions', 's2', Date.now() + 60_000);
    await eventually(() => listener.revocations.isRevoked('s2'), 'the poll finds it');
  });

  it('a process started after the revocation knows it from the start', async () => {
    const early = await process();
    await early.revocations.revoke('s3', Date.now() + 60_000);
    const late = await process();
    expect(late.revocations.isRevoked('s3')).toBe(true);
    expect(late.revocations.isRevoked('never-revoked')).toBe(false);
  });

  it('a revocation ends with the tokens it covers', async () => {
    let now = Date.now();
    const ephemeral = new InProcessEphemeral({ hub });
    stores.push(ephemeral);
    const revocations = new SessionRevocations(ephemeral, { pollMs: 60_000, now: () => now });
    await revocations.revoke('s4', now + 1000);
    expect(revocations.isRevoked('s4')).toBe(true);
    now += 1001;
    expect(revocations.isRevoked('s4')).toBe(false);
  });
});
