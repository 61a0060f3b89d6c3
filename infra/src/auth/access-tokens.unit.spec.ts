import { AccessTokens } from './access-tokens.js';

const key = new TextEncoder().encode('k'.repeat(32));
const ann = { id: '01a22454-add7-702c-846c-8b53cea6628f', username: 'ann' };

describe('access tokens', () => {
  it('verify a token they issued', async () => {
    const tokens = new AccessTokens(key, 60);
    expect(await tokens.verify(await tokens.issue(ann, 's1'))).toEqual(ann);
  });

  it('refuse a token signed with another key, and garbage', async () => {
    const other = new AccessTokens(new TextEncoder().encode('x'.repeat(32)), 60);
    const tokens = new AccessTokens(key, 60);
    expect(await tokens.verify(await other.issue(ann, 's1'))).toBeNull();
    expect(await tokens.verify('not.a.token')).toBeNull();
  });

  it('stop accepting a token once it expires, even after it was verified and remembered', async () => {
    let now = Date.now();
    const tokens = new AccessTokens(key, 60, () => now);
    const token = await tokens.issue(ann, 's1');
    expect(await tokens.verify(token)).toEqual(ann);
    now += 61_000;
    expect(await tokens.verify(token)).toBeNull();
  });
});
