/**
 * A distributed deployment for tests, shaped like `TestServer`: command, relay, two projectors and
 * query as separate processes on Kafka, a MongoDB-wire engine and Redis, behind a small edge that
 * routes by the rules of infra/deploy/nginx.conf itself (`edge-routing.ts`). Suites
 * written against `TestServer` run against it unchanged.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@resoft/app';
import { ApiClient } from './api-client.js';
import { edgeTarget, readEdgeRules } from './edge-routing.js';
import { serve, stopAll } from './service-process.js';
import type { TestServer } from './test-server.js';

export const distributedEngines = { KAFKA_BROKERS: process.env['KAFKA_BROKERS'], MONGO_URL: process.env['MONGO_URL'], REDIS_URL: process.env['REDIS_URL'] };
export const missingEngines = Object.entries(distributedEngines).filter(([, value]) => !value).map(([name]) => name);

/** A restart on the same data directory reuses the deployment's settings (its secret, topic, group and database). */
const settingsByDataDir = new Map<string, Record<string, string>>();

function settings(dataDir: string, extraEnv: Record<string, string>): Record<string, string> {
  const known = settingsByDataDir.get(dataDir);
  if (known) return { ...known, ...extraEnv };
  const run = randomUUID().replace(/-/g, '').slice(0, 12);
  const env = {
    PORT: '0', HOST: '127.0.0.1', RESOFT_DATA_DIR: dataDir, LOG_LEVEL: 'info', RESOFT_SCRYPT_COST: '1024', RESOFT_AUTH_RATE_LIMIT: '10000', RESOFT_EVENT_POLL_MS: '20',
    // A consumer-group rebalance pauses the projectors for a few seconds on a busy CI machine.
    RESOFT_READ_WAIT_MS: '10000',
    RESOFT_JWT_SECRET: `secret-${run}-${'x'.repeat(32)}`,
    KAFKA_BROKERS: distributedEngines.KAFKA_BROKERS!, RESOFT_KAFKA_TOPIC: `resoft-flow-${run}`, RESOFT_KAFKA_PARTITIONS: '3', RESOFT_KAFKA_GROUP: `projectors-${run}`,
    MONGO_URL: distributedEngines.MONGO_URL!, RESOFT_MONGO_DATABASE: `resoft_flow_${run}`,
    REDIS_URL: distributedEngines.REDIS_URL!,
  };
  settingsByDataDir.set(dataDir, env);
  return { ...env, ...extraEnv };
}

/** Routes as the nginx edge does, by its own rules: reads (and a few POSTed reads) to the query process, the rest to the command process. */
function startEdge(commandPort: number, queryPort: number): Promise<http.Server> {
  const rules = readEdgeRules();
  const edge = http.createServer((req, res) => {
    const target = edgeTarget(rules, req.method ?? 'GET', (req.url ?? '/').split('?')[0]!);
    const port = target === 'query' ? queryPort : commandPort;
    const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"bad_gateway","message":"upstream unavailable"}}');
    });
    req.pipe(upstream);
  });
  edge.keepAliveTimeout = 1000;
  return new Promise((resolve) => edge.listen(0, '127.0.0.1', () => resolve(edge)));
}

/**
 * Waits until a write makes it through relay, Kafka and both projectors to the query side: right
 * after start the consumer group forms (and rebalances when the second member joins), and a suite
 * should begin on a deployment that is running, not one still settling.
 */
async function untilFlowing(api: ApiClient): Promise<void> {
  const name = `warmup${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const session = await api.signUp(name);
  const me = await api.readWhenFresh('/api/auth/me', session.position, session.accessToken, 90_000);
  if (me.status !== 200) throw new Error(`the distributed deployment did not project a sign-up within 90 s: ${me.status} ${JSON.stringify(me.body)}`);
}

export async function startDistributedTestServer(extraEnv: Record<string, string> = {}, dataDir?: string): Promise<TestServer> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-distributed-flow-'));
  const env = settings(dir, extraEnv);
  const processes = await Promise.all([serve('command', env), serve('relay', env), serve('projectors', env), serve('projectors', env), serve('query', env)]);
  const edge = await startEdge(processes[0]!.port, processes[4]!.port);
  const address = edge.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  await untilFlowing(new ApiClient(baseUrl));
  return {
    baseUrl,
    config: loadConfig(env),
    env,
    async stop(options = {}) {
      edge.closeAllConnections();
      await new Promise((resolve) => edge.close(resolve));
      await stopAll(processes);
      if (!dataDir && !options.keepData) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
