/**
 * A route's `consistency` and `guard` (issue 17: one read pipeline) are run by the mount, once, in a
 * fixed order: after validation, the wait first (so a guard sees a membership the client just wrote),
 * then the guard, and the handler only when the guard lets the caller in.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { z } from 'zod';
import { AccessTokens, createLogger } from '@resoft/infra';
import { createHttpApp } from './http-app.js';
import { HttpError } from './http-errors.js';
import { defineRoute, type RouteSpec } from './route.js';

const steps: string[] = [];
/** What the read side has reached; the consistency step "catches up" to what the client asks for. */
let members = new Set<string>();

const routes: RouteSpec[] = [
  defineRoute({
    method: 'get', path: '/things/:thingId', summary: 's', tags: [], auth: 'none',
    params: z.object({ thingId: z.string().regex(/^[a-z]+$/) }), query: z.object({ after: z.string().optional() }),
    responses: { 200: { description: 'ok', body: z.object({ id: z.string() }) }, 400: 'bad id', 404: 'not yours' },
    consistency: async (ctx) => {
      steps.push(`wait ${ctx.query.after ?? 'none'}`);
      if (ctx.query.after) members = new Set([...members, ctx.query.after]);
    },
    guard: async (ctx) => {
      steps.push(`guard ${ctx.params.thingId}`);
      if (!members.has(ctx.params.thingId)) throw new HttpError(404, 'thing_not_found', 'Thing not found');
    },
    handler: async (ctx) => {
      steps.push('handler');
      return { body: { id: ctx.params.thingId } };
    },
  }),
];

let server: Server;
let url: string;
beforeAll(async () => {
  const app = createHttpApp({
    routes, validateResponses: true, tokens: new AccessTokens(new Uint8Array(32), 60), logger: createLogger('silent'), maxBodyBytes: 1024, readiness: [],
    info: { title: 'route steps test', version: '0', description: 'route steps test' },
  });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());
beforeEach(() => {
  steps.length = 0;
  members = new Set();
});

describe('the consistency wait and the guard of a route', () => {
  it('refuses a caller the guard does not let in, without running the handler', async () => {
    const answer = await fetch(`${url}/things/abc`);
    expect(answer.status).toBe(404);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('thing_not_found');
    expect(steps).toEqual(['wait none', 'guard abc']);
  });

  it('waits before guarding, so a grant the client has just written lets it in', async () => {
    const answer = await fetch(`${url}/things/abc?after=abc`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ id: 'abc' });
    expect(steps).toEqual(['wait abc', 'guard abc', 'handler']);
  });

  it('runs neither on input that does not validate: the caller gets the 400', async () => {
    const answer = await fetch(`${url}/things/ABC`);
    expect(answer.status).toBe(400);
    expect(steps).toEqual([]);
  });
});
