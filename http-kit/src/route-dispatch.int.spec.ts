/**
 * The mount sends a request to the router of its first two path segments and writes JSON answers
 * itself: what a client sees must be what Express's routing and `res.json` gave — the first declared
 * route that matches wins, paths match without regard to case or a trailing slash, HEAD is answered
 * by the GET route without a body, every answer carries its Content-Type, Content-Length and the
 * security headers, a path parameter arrives percent-decoded (400 when it does not decode), an OPTIONS
 * request is answered with the methods of the routes whose path matches, a request no route takes
 * falls through to the 404 answer, and an unexpected failure is a 500 with the request's id; the fixed
 * paths (health, the OpenAPI document, the docs) answer as before.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { z } from 'zod';
import { AccessTokens, createLogger } from '@resoft/infra';
import { createHttpApp } from './http-app.js';
import { JsonText } from './json-text.js';
import { defineRoute, type RouteSpec } from './route.js';

const ok = { 200: { description: 'ok', body: z.object({ route: z.string() }).passthrough() } };
const routes: RouteSpec[] = [
  defineRoute({ method: 'get', path: '/api/things', summary: 's', tags: [], auth: 'none', responses: ok, handler: async () => ({ body: { route: 'list', text: 'héllo' } }) }),
  defineRoute({ method: 'get', path: '/api/things/special', summary: 's', tags: [], auth: 'none', responses: ok, handler: async () => ({ body: new JsonText('{"route":"special"}') }) }),
  defineRoute({ method: 'get', path: '/api/things/:thingId', summary: 's', tags: [], auth: 'none', params: z.object({ thingId: z.string() }), responses: ok, handler: async (ctx) => ({ body: { route: `one ${ctx.params.thingId}` } }) }),
  defineRoute({ method: 'get', path: '/api/others/failing', summary: 's', tags: [], auth: 'none', responses: ok, handler: async () => { throw new Error('broken'); } }),
  defineRoute({ method: 'post', path: '/api/others', summary: 's', tags: [], auth: 'none', body: z.object({ n: z.number() }), responses: { 201: ok[200] }, handler: async (ctx) => ({ status: 201, body: { route: `posted ${ctx.body.n}` } }) }),
];

let server: Server;
let url: string;
beforeAll(async () => {
  const app = createHttpApp({
    routes, tokens: new AccessTokens(new Uint8Array(32), 60), logger: createLogger('silent'), maxBodyBytes: 1024, readiness: [],
    info: { title: 'route dispatch test', version: '0', description: 'route dispatch test' },
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('routes mounted by their first two path segments', () => {
  it('answers from the first declared route that matches, whatever the case or a trailing slash', async () => {
    expect(await (await fetch(`${url}/api/things`)).json()).toEqual({ route: 'list', text: 'héllo' });
    expect(await (await fetch(`${url}/API/Things/`)).json()).toEqual({ route: 'list', text: 'héllo' });
    expect(await (await fetch(`${url}/api/things/special`)).json()).toEqual({ route: 'special' });
    expect(await (await fetch(`${url}/api/things/x1`)).json()).toEqual({ route: 'one x1' });
    const posted = await fetch(`${url}/api/others`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":3}' });
    expect(posted.status).toBe(201);
    expect(await posted.json()).toEqual({ route: 'posted 3' });
  });

  it('writes JSON answers with their type, exact length and the security headers; HEAD without a body', async () => {
    for (const path of ['/api/things', '/api/things/special']) {
      const answer = await fetch(`${url}${path}`);
      const body = Buffer.from(await answer.arrayBuffer());
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(Number(answer.headers.get('content-length'))).toBe(body.length);
      expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('x-request-id')).toBeTruthy();
      const head = await fetch(`${url}${path}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(body.length));
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    }
  });

  it('leaves a path that no route takes to the 404 answer', async () => {
    for (const path of ['/api/nothing', '/api', '/api/others/extra', '/elsewhere']) {
      const answer = await fetch(`${url}${path}`);
      expect(answer.status).toBe(404);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
    }
  });

  it('hands a path parameter over percent-decoded, and refuses one that does not decode', async () => {
    expect(await (await fetch(`${url}/api/things/a%20b%C3%A9`)).json()).toEqual({ route: 'one a bé' });
    const bad = await fetch(`${url}/api/things/%E0%A4%A`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('bad_request');
  });

  it('answers an unexpected failure with 500 and the request id, and the fixed paths through Express, each with the security headers', async () => {
    const failed = await fetch(`${url}/api/others/failing`, { headers: { 'x-request-id': 'client-id-1' } });
    expect([failed.status, failed.headers.get('x-request-id'), failed.headers.get('x-frame-options')]).toEqual([500, 'client-id-1', 'DENY']);
    expect(((await failed.json()) as { error: { code: string; requestId: string } }).error).toMatchObject({ code: 'internal_error', requestId: 'client-id-1' });
    for (const path of ['/healthz', '/HEALTHZ/', '/api/openapi.json', '/api/docs/']) {
      const answer = await fetch(`${url}${path}`);
      expect([path, answer.status, answer.headers.get('x-frame-options'), Boolean(answer.headers.get('x-request-id'))]).toEqual([path, 200, 'DENY', true]);
    }
    expect((await fetch(`${url}/healthz`, { method: 'POST' })).status).toBe(404);
  });

  it('answers OPTIONS with the methods of the routes whose path matches', async () => {
    for (const [path, allow] of [['/api/things', 'GET, HEAD'], ['/api/things/x1', 'GET, HEAD'], ['/api/others', 'POST']] as const) {
      const answer = await fetch(`${url}${path}`, { method: 'OPTIONS' });
      expect([path, answer.status, answer.headers.get('allow'), await answer.text()]).toEqual([path, 200, allow, allow]);
    }
    expect((await fetch(`${url}/api/nothing`, { method: 'OPTIONS' })).status).toBe(404);
  });
});
