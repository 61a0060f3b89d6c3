/**
 * Every status the HTTP kit answers by itself (no token, a bad parameter, malformed or oversized JSON,
 * an unsupported body encoding, a rate limit) is listed in the OpenAPI document of the route that
 * answered it, though the route declares none of them: a schema fuzzer meets no undocumented status.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { z } from 'zod';
import { AccessTokens, createLogger } from '@resoft/infra';
import { createHttpApp } from './http-app.js';
import { HttpError } from './http-errors.js';
import { defineRoute, type RouteSpec } from './route.js';

const tokens = new AccessTokens(new Uint8Array(32), 60);
const routes: RouteSpec[] = [
  defineRoute({
    method: 'post', path: '/things/:thingId', summary: 's', tags: [], auth: 'user',
    params: z.object({ thingId: z.string().uuid() }), body: z.object({ name: z.string() }),
    limit: (req) => {
      if (req.headers['x-over-limit']) throw new HttpError(429, 'rate_limited', 'Too many');
    },
    // Only what the handler itself answers: the kit's own statuses are not declared.
    responses: { 200: 'ok', 404: 'No such thing' },
    handler: async () => ({ body: { ok: true } }),
  }),
  defineRoute({ method: 'get', path: '/open', summary: 's', tags: [], auth: 'none', responses: { 200: 'ok' }, handler: async () => ({ body: { ok: true } }) }),
  defineRoute({
    method: 'get', path: '/own-words', summary: 's', tags: [], auth: 'user', query: z.object({ n: z.coerce.number() }),
    responses: { 200: 'ok', 400: 'n must be a number', 401: 'Sign in first' },
    handler: async () => ({ body: { ok: true } }),
  }),
];

describe('the HTTP kit\'s own answers in the OpenAPI document', () => {
  let server: Server;
  let url: string;
  let documented: Record<string, Record<string, { responses: Record<string, { description: string; content?: unknown }> }>>;
  const thing = '/things/0b9a4f0e-8a43-4c63-9d3f-2f0c4ad5e1a7';

  beforeAll(async () => {
    const app = createHttpApp({ routes, tokens, logger: createLogger('silent'), maxBodyBytes: 64, readiness: [], info: { title: 't', version: '0', description: 't' } });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    documented = ((await (await fetch(`${url}/api/openapi.json`)).json()) as { paths: typeof documented }).paths;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const statusesOf = (path: string, method: string) => Object.keys(documented[path]?.[method]?.responses ?? {});

  it('answers 401, 400, 413, 415 and 429 on a route that declares none of them, and documents each with the shared error body', async () => {
    const token = await tokens.issue({ id: 'u1', username: 'someone' }, 's1');
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers } });
    const answered = [
      (await fetch(`${url}${thing}`, { method: 'POST', body: '{"name":"x"}', headers: { 'content-type': 'application/json' } })).status,
      (await post('/things/not-a-uuid', '{"name":"x"}')).status,
      (await post(thing, '{"name":')).status,
      (await post(thing, JSON.stringify({ name: 'x'.repeat(200) }))).status,
      (await post(thing, '{"name":"x"}', { 'content-encoding': 'compress' })).status,
      (await post(thing, '{"name":"x"}', { 'x-over-limit': '1' })).status,
      (await post(thing, '{"name":"x"}')).status,
    ];
    expect(answered).toEqual([401, 400, 400, 413, 415, 429, 200]);
    expect(statusesOf('/things/{thingId}', 'post')).toEqual(['200', '400', '401', '404', '413', '415', '429']);
    for (const status of ['400', '401', '413', '415', '429']) {
      expect(documented['/things/{thingId}']?.['post']?.responses[status]?.content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } });
    }
  });

  it('adds nothing a route cannot answer, and keeps a route\'s own description of a status', () => {
    expect(statusesOf('/open', 'get')).toEqual(['200']);
    const ownWords = documented['/own-words']?.['get']?.responses ?? {};
    expect(Object.keys(ownWords)).toEqual(['200', '400', '401']);
    expect([ownWords['400']?.description, ownWords['401']?.description]).toEqual(['n must be a number', 'Sign in first']);
  });
});
