/**
 * A JSON request body reaches the route the same way whichever reader took it (the short way for a
 * plain `application/json` body of a stated length, body-parser for the rest): the value as sent
 * (also in several packets, or after a byte order mark), `{}` for an empty body, and the same 400, 413
 * and 415 answers for a body that is not JSON, too large, or in an unsupported charset.
 */
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { AccessTokens, createLogger } from '@resoft/infra';
import { createHttpApp } from './http-app.js';
import { defineRoute } from './route.js';

const echo = defineRoute({
  method: 'post', path: '/api/echo', summary: 's', tags: [], auth: 'none', body: z.unknown(),
  responses: { 200: { description: 'the body as read', body: z.object({ body: z.unknown() }) } },
  handler: async (ctx) => ({ body: { body: ctx.body ?? null } }),
});

let server: Server;
let port: number;
beforeAll(async () => {
  const app = createHttpApp({ routes: [echo], tokens: new AccessTokens(new Uint8Array(32), 60), logger: createLogger('silent'), maxBodyBytes: 64, readiness: [], info: { title: 't', version: '0', description: 't' } });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Posts `parts` (written one by one) with a Content-Length of their total; resolves to the status and the parsed answer. */
function post(parts: readonly (string | Buffer)[], contentType = 'application/json'): Promise<{ status: number; answer: { body?: unknown; error?: { code: string } } }> {
  const chunks = parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part));
  return new Promise((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/api/echo', headers: { 'content-type': contentType, 'content-length': Buffer.concat(chunks).length } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: res.statusCode!, answer: JSON.parse(text) as never }));
    });
    req.on('error', reject);
    const writeNext = (i: number): void => {
      if (i === chunks.length) return void req.end();
      req.write(chunks[i]!, () => setImmediate(() => writeNext(i + 1)));
    };
    writeNext(0);
  });
}

describe('JSON request bodies', () => {
  it('reach the route as sent, whether in one packet or several, after a byte order mark, and as {} when empty', async () => {
    expect(await post(['{"a":[1,"é"]}'])).toEqual({ status: 200, answer: { body: { a: [1, 'é'] } } });
    expect(await post(['{"a":', '[1,"', Buffer.from('é').subarray(0, 1), Buffer.from('é').subarray(1), '"]}'])).toEqual({ status: 200, answer: { body: { a: [1, 'é'] } } });
    expect(await post(['\uFEFF"text"'], 'application/json; charset=utf-8')).toEqual({ status: 200, answer: { body: 'text' } });
    expect(await post([''])).toEqual({ status: 200, answer: { body: {} } });
    expect(await post(['{"patch":true}'], 'application/merge-patch+json')).toEqual({ status: 200, answer: { body: { patch: true } } });
  });

  it('answer 400 when not JSON, 413 when over the limit, 415 in a charset that is not UTF-8', async () => {
    const codeOf = async (parts: string[], type?: string) => {
      const { status, answer } = await post(parts, type);
      return [status, answer.error?.code];
    };
    expect(await codeOf(['{"a":'])).toEqual([400, 'malformed_json']);
    expect(await codeOf([`"${'x'.repeat(80)}"`])).toEqual([413, 'body_too_large']);
    expect(await codeOf(['{}'], 'application/json; charset=latin1')).toEqual([415, 'unsupported_encoding']);
  });
});
