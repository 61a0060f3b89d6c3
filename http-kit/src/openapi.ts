/** Builds the OpenAPI 3.1 document from the same route declarations that serve requests. */
import { z } from 'zod';
import { ErrorBody } from '@resoft/contracts';
import { frameworkAnswers } from './framework-answers.js';
import { bodyEncoding, responseBodySchema, responseDescription, responseMediaTypes, type DocumentedResponse, type RouteSpec } from './route.js';

type JsonSchema = Record<string, unknown>;

const toJsonSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const ERROR_BODY_REF = { $ref: '#/components/schemas/ErrorBody' };

/**
 * One event of a `text/event-stream` answer, in the fields the HTML standard parses it into. An event
 * stream is described per event (OpenAPI 3.2's `itemSchema`; in 3.1 the media type's `schema`, the way
 * Schemathesis reads it); each of ours carries one JSON document as its data.
 */
const SERVER_SENT_EVENT: JsonSchema = {
  type: 'object',
  required: ['data'],
  properties: {
    event: { type: 'string' },
    data: { type: 'string', contentMediaType: 'application/json' },
    id: { type: 'string' },
    retry: { type: 'integer', minimum: 0 },
  },
};

/** A body without a zod schema: another JSON document (SARIF) as an object, an event stream per event, text (CSV, NDJSON, Markdown) as a string, zip or Parquet as bytes. */
function nonJsonSchema(mediaType: string): JsonSchema {
  if (mediaType.endsWith('+json')) return { type: 'object' };
  if (mediaType === 'text/event-stream') return SERVER_SENT_EVENT;
  return bodyEncoding(mediaType) === 'text' ? { type: 'string' } : { type: 'string', contentMediaType: mediaType, format: 'binary' };
}

/** One documented answer: success bodies under each media type they come as, every error with the shared ErrorBody. */
function responseObject(status: number, response: string | DocumentedResponse): JsonSchema {
  const description = responseDescription(response);
  if (status >= 400) return { description, content: { 'application/json': { schema: ERROR_BODY_REF } } };
  const body = responseBodySchema(response);
  const content = Object.fromEntries(responseMediaTypes(response).map((mediaType) => [
    mediaType,
    // Published as open objects (the input form: no additionalProperties: false): a client ignores fields it
    // does not know, so adding a field to an answer never breaks one.
    { schema: mediaType === 'application/json' && body ? toJsonSchema(body) : nonJsonSchema(mediaType) },
  ]));
  return Object.keys(content).length > 0 ? { description, content } : { description };
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = toJsonSchema(schema);
  const properties = (json['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json['required'] ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: property,
    ...(typeof property['description'] === 'string' ? { description: property['description'] } : {}),
  }));
}

const openApiPath = (expressPath: string): string => expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
}

const errorBodySchema = (): JsonSchema => toJsonSchema(ErrorBody);

export function buildOpenApiDocument(routes: readonly RouteSpec[], info: OpenApiInfo): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const operation: JsonSchema = {
      summary: route.summary,
      tags: route.tags,
      operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      responses: Object.fromEntries(
        // The kit's own answers (401, 400, 413, 415, 429) first; what the route says of a status wins.
        Object.entries({ ...frameworkAnswers(route), ...route.responses }).map(([status, response]) => [status, responseObject(Number(status), response)]),
      ),
    };
    if (route.body) {
      operation['requestBody'] = { required: true, content: { 'application/json': { schema: toJsonSchema(route.body) } } };
    }
    if (route.auth === 'user') operation['security'] = [{ bearerAuth: [] }];
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { ErrorBody: errorBodySchema() },
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
