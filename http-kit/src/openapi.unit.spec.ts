/**
 * How the OpenAPI document describes answers: a JSON body by its schema, a non-JSON one under each
 * media type it comes as (text as a string, zip or Parquet as bytes, another JSON document as an
 * object), and every error with the shared ErrorBody.
 */
import { z } from 'zod';
import { buildOpenApiDocument } from './openapi.js';
import { defineRoute, type RouteSpec } from './route.js';

const Rows = z.object({ columns: z.array(z.string()), rows: z.array(z.record(z.string(), z.number())) });
const handler = async () => ({});
const routes: RouteSpec[] = [
  defineRoute({ method: 'get', path: '/rows', summary: 's', tags: [], auth: 'none', handler, responses: { 200: { description: 'JSON, CSV or NDJSON', body: Rows, contentType: ['text/csv', 'application/x-ndjson'] }, 400: 'Invalid format' } }),
  defineRoute({ method: 'get', path: '/bundle', summary: 's', tags: [], auth: 'none', handler, responses: { 200: { description: 'a zip', contentType: 'application/zip' } } }),
  defineRoute({ method: 'get', path: '/report', summary: 's', tags: [], auth: 'none', handler, responses: { 200: { description: 'SARIF or Markdown', contentType: ['application/sarif+json', 'text/markdown'] } } }),
];

type Answer = { description: string; content?: Record<string, { schema: Record<string, unknown> }> };
const answers = (path: string): Record<string, Answer> => {
  const document = buildOpenApiDocument(routes, { title: 't', version: '0', description: 'd' }) as { paths: Record<string, { get: { responses: Record<string, Answer> } }> };
  return document.paths[path]!.get.responses;
};

describe('answers in the OpenAPI document', () => {
  it('publishes a `format=` answer as JSON with its schema, and as CSV and NDJSON text', () => {
    const { 200: ok, 400: invalid } = answers('/rows');
    expect(Object.keys(ok!.content!)).toEqual(['application/json', 'text/csv', 'application/x-ndjson']);
    expect(ok!.content!['application/json']!.schema).toMatchObject({ type: 'object', required: ['columns', 'rows'] });
    expect(ok!.content!['text/csv']!.schema).toEqual({ type: 'string' });
    expect(ok!.content!['application/x-ndjson']!.schema).toEqual({ type: 'string' });
    expect(invalid!.content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } });
  });

  it('publishes a zip as bytes, a SARIF log as an object and Markdown as text', () => {
    expect(answers('/bundle')[200]!.content).toEqual({ 'application/zip': { schema: { type: 'string', contentMediaType: 'application/zip', format: 'binary' } } });
    expect(answers('/report')[200]!.content).toEqual({ 'application/sarif+json': { schema: { type: 'object' } }, 'text/markdown': { schema: { type: 'string' } } });
  });
});
