/**
 * With RESOFT_VALIDATE_RESPONSES (on in every test server), an answer that its route does not
 * document — an unlisted status, or a body that does not match the published schema — becomes a
 * 500 naming the difference, so the OpenAPI document cannot drift from what the server answers.
 * Off (production), answers go out as the handler made them.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { AccessTokens, createLogger } from '@resoft/infra';
import { createHttpApp } from './http-app.js';
import { JsonText } from './json-text.js';
import { defineRoute, type RouteSpec } from './route.js';

const Greeting = z.object({ text: z.string(), count: z.number().int() });

const routes: RouteSpec[] = [
  defineRoute({ method: 'get', path: '/as-documented', summary: 's', tags: [], auth: 'none', responses: { 200: { description: 'ok', body: Greeting } }, handler: async () => ({ body: { text: 'hi', count: 1, extra: 'clients ignore fields they do not know' } }) }),
  defineRoute({ method: 'get', path: '/stored-json', summary: 's', tags: [], auth: 'none', responses: { 200: { description: 'ok', body: Greeting } }, handler: async () => ({ body: new JsonText('{"text":"hi","count":"one"}') }) }),
  defineRoute({ method: 'get', path: '/wrong-body', summary: 's', tags: [], auth: 'none', responses: { 200: { description: 'ok', body: Greeting } }, handler: async () => ({ body: { text: 'hi' } }) }),
  defineRoute({ method: 'post', path: '/undocumented-status', summary: 's', tags: [], auth: 'none', responses: { 200: 'ok' }, handler: async () => ({ status: 201, body: { id: 'x' } }) }),
  // Non-JSON answers the handler writes itself: the check reads their Content-Type before the first byte goes out.
  defineRoute({
    method: 'get', path: '/rows', summary: 's', tags: [], auth: 'none', responses: { 200: { description: 'rows', body: Greeting, contentType: ['text/csv', 'application/x-ndjson'] } },
    handler: async ({ res }) => {
      res.status(200).setHeader('Content-Type', 'text/csv; charset=utf-8');
      for (const line of ['text,count\r\n', 'hi,1\r\n']) res.write(line);
      res.end();
      return {};
    },
  }),
  defineRoute({
    method: 'get', path: '/mislabelled-download', summary: 's', tags: [], auth: 'none', responses: { 200: { description: 'a zip', contentType: 'application/zip' } },
    handler: async ({ res }) => {
      res.status(200).setHeader('Content-Type', 'text/plain');
      res.setHeader('Content-Disposition', 'attachment; filename="x.zip"');
      for (let i = 0; i < 3; i += 1) res.write('not a zip\n');
      res.end('the end');
      return {};
    },
  }),
  defineRoute({
    method: 'get', path: '/mislabelled-piped', summary: 's', tags: [], auth: 'none', responses: { 200: { description: 'Parquet', contentType: 'application/vnd.apache.parquet' } },
    handler: async ({ res }) => {
      res.status(200).setHeader('Content-Type', 'application/octet-stream');
      await pipeline(Readable.from(['PAR1', 'rows', 'PAR1']), res);
      return {};
    },
  }),
  defineRoute({
    method: 'get', path: '/events', summary: 's', tags: [], auth: 'none', responses: { 200: { description: 'events', contentType: 'text/event-stream' } },
    handler: async ({ res }) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8' });
      res.end('data: 1\n\n');
      return {};
    },
  }),
  defineRoute({
    method: 'get', path: '/json-where-csv-is-declared', summary: 's', tags: [], auth: 'none', responses: { 200: { description: 'csv only', contentType: 'text/csv' } },
    handler: async () => ({ body: { text: 'hi', count: 1 } }),
  }),
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

  it('checks the Content-Type of a non-JSON answer against the declared media types, before any of it goes out', async () => {
    const { url, server } = await serve(true);
    try {
      const rows = await fetch(`${url}/rows`);
      expect(rows.status).toBe(200);
      expect(rows.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(await rows.text()).toBe('text,count\r\nhi,1\r\n');

      const events = await fetch(`${url}/events`);
      expect(events.status).toBe(200);
      expect(await events.text()).toBe('data: 1\n\n');

      const mislabelled = await fetch(`${url}/mislabelled-download`);
      expect(mislabelled.status).toBe(500);
      expect(mislabelled.headers.get('content-disposition')).toBeNull();
      expect(await errorOf(mislabelled)).toMatchObject({ code: 'response_contract_violation', message: 'GET /mislabelled-download answered 200 as text/plain, which its route does not document (documented: application/zip)' });

      const json = await fetch(`${url}/json-where-csv-is-declared`);
      expect(json.status).toBe(500);
      expect((await errorOf(json)).message).toBe('GET /json-where-csv-is-declared answered 200 as application/json, which its route does not document (documented: text/csv)');

      const piped = await fetch(`${url}/mislabelled-piped`);
      expect(piped.status).toBe(500);
      expect((await errorOf(piped)).message).toMatch(/answered 200 as application\/octet-stream, which its route does not document \(documented: application\/vnd.apache.parquet\)/);

      // The server goes on answering after a refused download.
      expect((await fetch(`${url}/as-documented`)).status).toBe(200);
    } finally {
      server.close();
    }
  });

  it('sends answers as the handler made them when the check is off (production)', async () => {
    const { url, server } = await serve(false);
    try {
      expect((await fetch(`${url}/wrong-body`)).status).toBe(200);
      expect((await fetch(`${url}/undocumented-status`, { method: 'POST' })).status).toBe(201);
      expect((await fetch(`${url}/mislabelled-download`)).status).toBe(200);
    } finally {
      server.close();
    }
  });
});
