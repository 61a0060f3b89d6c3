/**
 * Chat posts are bounded per user, over HTTP and over the socket together: beyond
 * RESOFT_CHAT_POSTS_PER_MINUTE, HTTP answers 429 with Retry-After and the socket answers an error
 * frame (the socket stays open); other users are not affected.
 */
import { connectClient, collabFixture, type CollabFixture, startTestServer, type TestServer } from '@resoft/testkit';

const LIMIT = 4;
let server: TestServer;
let fixture: CollabFixture;

beforeAll(async () => {
  server = await startTestServer({ RESOFT_CHAT_POSTS_PER_MINUTE: String(LIMIT) });
  fixture = await collabFixture(server.baseUrl, { editors: 2 });
  for (const member of [fixture.owner, ...fixture.editors]) await fixture.api.post(`/api/collaboration/rooms/${fixture.roomId}/join`, {}, member.accessToken);
});
afterAll(() => server.stop());

describe('chat posts per user', () => {
  it('counts HTTP and socket posts together: beyond the limit HTTP answers 429 with Retry-After and the socket an error frame', async () => {
    const ann = fixture.editors[0]!;
    const client = await connectClient(server.baseUrl, ann, { reconnect: false } as never);
    try {
      await client.join(fixture.roomId);
      for (let i = 0; i < LIMIT / 2; i++) {
        expect((await fixture.api.post('/api/collaboration/chat', { roomId: fixture.roomId, text: `http ${i}` }, ann.accessToken)).status).toBe(201);
        await client.chat(fixture.roomId, `socket ${i}`);
      }
      const refused = await fixture.api.post('/api/collaboration/chat', { roomId: fixture.roomId, text: 'one too many' }, ann.accessToken);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
      expect(refused.body.error.message).toMatch(/^Too many chat messages \(at most 4 a minute\); try again in at most 60 s$/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      await expect(client.chat(fixture.roomId, 'one too many')).rejects.toMatchObject({ code: 'rate_limited' });

      // The socket stays usable, and someone else may still post.
      expect((await client.join(fixture.roomId)).projectId).toBe(fixture.projectId);
      expect((await fixture.api.post('/api/collaboration/chat', { roomId: fixture.roomId, text: 'my turn' }, fixture.editors[1]!.accessToken)).status).toBe(201);
    } finally {
      client.close();
    }
  });
});
