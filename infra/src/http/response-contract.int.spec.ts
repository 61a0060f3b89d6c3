/**
 * With RESOFT_VALIDATE_RESPONSES (on in every test server), an answer that its route does not
 * document — an unlisted status, or a body that does not match the published schema — becomes a
 * 500 naming the difference, so the OpenAPI document cannot drift from what the server answers.
 * Off (production), answers go out as the handler made them.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { z } from 'zod';
import { AccessTokens } from '../auth/access-tokens.js';
import { createLogger } from '../logging/logger.js';
import { createHttpApp } from './http-app.js';
import { JsonText } from './json-text.js';
import { defineRoute, type RouteSpec } from './route.js';

const Greeting = z.object({ text: z.string(), count: z.number().int() });

const routes: RouteSpec[] = [
  defineRoute({ method: 'get', path: '/as-documented', summary: 's', tags: [], auth: 'none', responses: { 200: { description: 'ok', body: Greeting } }, handler: async () => ({ body: { text: 'hi', count: 1, extra: 'clients ignore fields they do not know' } }) }),
  defineRoute({ method: 'get', path: '/stored-json', summary: 's', tags: [], auth: 'none', responses: { 200: { description: 'ok', body: Greeting } }, handler: async () => ({ body: new JsonText('{"text":"hi","count":"one"}') }) }),
  defineRoute({ method: 'get', path: '/wrong-body', summary: 's', tags: [], auth: 'none', responses: { 200: { description: 'ok', body: Greeting } }, handler: async () => ({ body: { text: 'hi' } }) }),
  defineRoute({ method: 'post', path: '/undocumented-status', summary: 's', tags: [], auth: 'none', responses: { 200: 'ok' }, handler: async () => ({ status: 201, body: { id: 'x' } }) }),
];

type ErrorAnswer = { error: { code: string; message: string } };
const errorOf = async (answer: Response): Promise<ErrorAnswer['error']> => ((await answer.json()) as ErrorAnswer).error;

async function serve(validateResponses: boolean): Promise<{ url: string; server: Server }> {
  const app = createHttpApp({
    routes, validateResponses, tokens: new AccessTokens(new Uint8Array(32), 60), logger: createLogger('silent'), maxBodyBytes: 1024, readiness: [],
    info: { title: 'contract test', version: '0', description: 'contract test' },
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('answers checked against their documented contract', () => {
  it('lets a documented answer through, and refuses a wrong body or an undocumented status with a 500 naming the difference', async () => {
    const { url, server } = await serve(true);
    try {
      const fine = await fetch(`${url}/as-documented`);
      expect(fine.status).toBe(200);
      expect(await fine.json()).toEqual({ text: 'hi', count: 1, extra: 'clients ignore fields they do not know' });

      const wrong = await fetch(`${url}/wrong-body`);
      expect(wrong.status).toBe(500);
      expect(await errorOf(wrong)).toMatchObject({ code: 'response_contract_violation', message: expect.stringMatching(/GET \/wrong-body answered 200 with a body that does not match its documented schema: count: /) });

      const stored = await fetch(`${url}/stored-json`);
      expect(stored.status).toBe(500);
      expect((await errorOf(stored)).message).toMatch(/count: /);

      const undocumented = await fetch(`${url}/undocumented-status`, { method: 'POST' });
      expect(undocumented.status).toBe(500);
      expect((await errorOf(undocumented)).message).toBe('POST /undocumented-status answered 201, which its route does not document (documented: 200)');
    } finally {
      server.close();
    }
  });

  it('sends answers as the handler made them when the check is off (production)', async () => {
    const { url, server } = await serve(false);
    try {
      expect((await fetch(`${url}/wrong-body`)).status).toBe(200);
      expect((await fetch(`${url}/undocumented-status`, { method: 'POST' })).status).toBe(201);
    } finally {
      server.close();
    }
  });
});
