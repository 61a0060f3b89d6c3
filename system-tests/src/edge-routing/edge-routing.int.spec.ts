/**
 * Every route of the API document reaches, through the edge's nginx.conf rules, the service that
 * declares it (issue 15: `POST /api/v1/templates/:id/preview`, a query reached by POST, answered 404
 * behind the edge because every POST went to command).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@resoft/infra';
import { loadConfig, openStores, type Stores, accessTokens, commandService, queryApiRoutes } from '@resoft/app';
import { type RouteSpec } from '@resoft/http-kit';
import { edgeTarget, readEdgeRules, type EdgeTarget } from '@resoft/testkit/edge-routing';

/** A concrete path for a route pattern: each `:param` becomes a plausible id. */
const samplePath = (pattern: string) => pattern.replace(/:[A-Za-z]+/g, '0190a0b0-0000-7000-8000-000000000001');

describe('the edge routes every API route to the service that declares it', () => {
  let dir: string;
  let stores: Stores;
  let tokens: Awaited<ReturnType<typeof accessTokens>>;
  let owned: { route: RouteSpec; service: EdgeTarget }[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-edge-'));
    const config = loadConfig({ RESOFT_DATA_DIR: dir, RESOFT_JWT_SECRET: 'x'.repeat(40) });
    const logger = createLogger('silent');
    stores = await openStores(config, logger);
    tokens = await accessTokens(config, stores, logger);
    const command = commandService(config, stores, tokens, logger).routes;
    const query = queryApiRoutes(config, stores, async () => true);
    owned = [...command.map((route) => ({ route, service: 'command' as const })), ...query.map((route) => ({ route, service: 'query' as const }))];
  });

  afterAll(async () => {
    await tokens.revocations.stop();
    await stores.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends each method and path of the OpenAPI routes to its own service', () => {
    const rules = readEdgeRules();
    const misrouted = owned
      .map(({ route, service }) => ({ request: `${route.method.toUpperCase()} ${route.path}`, service, edge: edgeTarget(rules, route.method, samplePath(route.path)) }))
      .filter(({ service, edge }) => service !== edge);
    expect(owned.length).toBeGreaterThan(50);
    expect(misrouted).toEqual([]);
  });

  it('sends a template preview by POST to the query service, and the WebSocket to the gateway', () => {
    const rules = readEdgeRules();
    expect(edgeTarget(rules, 'POST', '/api/v1/templates/microservice/preview')).toBe('query');
    expect(edgeTarget(rules, 'GET', '/api/v1/templates/microservice/preview')).toBe('query');
    expect(edgeTarget(rules, 'POST', '/api/v1/templates/microservice/apply')).not.toBe('query');
    expect(edgeTarget(rules, 'GET', '/ws')).toBe('gateway');
  });
});
