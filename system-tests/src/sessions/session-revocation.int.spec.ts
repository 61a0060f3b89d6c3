/**
 * A revoked session's access tokens stop working at once: over HTTP (401) and on the gateway (its
 * open sockets close with 4401), after a sign-out and after a refresh token was reused.
 */
import { CloseCodes, SUBPROTOCOL } from '@resoft/contracts';
import WebSocket from 'ws';
import { ApiClient, wsUrl, startTestServer, type TestServer } from '@resoft/testkit';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.baseUrl);
});
afterAll(() => server.stop());

/** A gateway socket signed in with `token`, open once `opened` resolves; `closed` carries the close code and reason. */
function socketWith(token: string) {
  const socket = new WebSocket(wsUrl(server.baseUrl), [SUBPROTOCOL, `auth.${token}`]);
  socket.on('error', () => undefined);
  const opened = new Promise<void>((resolve) => socket.once('message', () => resolve()));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { opened, closed };
}

describe('revoked sessions', () => {
  it('signing out stops that session\'s access token over HTTP and closes its sockets with 4401, and leaves other sessions alone', async () => {
    const ann = await api.signUp('revoked-ann');
    const other = (await api.post('/api/auth/login', { email: ann.email, password: 'correct horse battery' })).body as { accessToken: string };
    expect((await api.get('/api/auth/me', ann.accessToken)).status).toBe(200);
    const socket = socketWith(ann.accessToken);
    const otherSocket = socketWith(other.accessToken);
    await Promise.all([socket.opened, otherSocket.opened]);

    expect((await api.post('/api/auth/logout', { refreshToken: ann.refreshToken }, ann.accessToken)).status).toBe(200);

    expect(await socket.closed).toEqual({ code: CloseCodes.unauthorized, reason: 'the session was signed out or revoked' });
    const refused = await api.post('/api/projects', { name: 'After sign-out' }, ann.accessToken);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_token');
    expect((await api.get('/api/auth/me', ann.accessToken)).status).toBe(401);
    expect((await socketWith(ann.accessToken).closed).code).toBe(CloseCodes.unauthorized);

    // The same user's other sign-in is another session: it goes on working.
    expect((await api.get('/api/auth/me', other.accessToken)).status).toBe(200);
    let otherClosed = false;
    void otherSocket.closed.then(() => (otherClosed = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(otherClosed).toBe(false);
  });

  it('reusing a rotated refresh token revokes the session: the access token of its newest generation stops working', async () => {
    const bob = await api.signUp('revoked-bob');
    const rotated = await api.post('/api/auth/refresh', { refreshToken: bob.refreshToken });
    expect(rotated.status).toBe(200);
    const newest = rotated.body.accessToken as string;
    expect((await api.get('/api/auth/me', newest)).status).toBe(200);
    const socket = socketWith(newest);
    await socket.opened;

    const reused = await api.post('/api/auth/refresh', { refreshToken: bob.refreshToken });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('refresh_token_reused');

    expect((await api.get('/api/auth/me', newest)).status).toBe(401);
    expect((await api.get('/api/auth/me', bob.accessToken)).status).toBe(401);
    expect((await socket.closed).code).toBe(CloseCodes.unauthorized);
  });
});
