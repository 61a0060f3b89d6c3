/** Starts the real all-in-one server on a random loopback port with a fresh data directory, for integration tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config, startAllInOne } from '@resoft/app';

export interface TestServer {
  readonly baseUrl: string;
  readonly config: Config;
  readonly env: Record<string, string>;
  /** Stops the server and, unless asked to keep it, removes the data directory it created. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export async function startTestServer(extraEnv: Record<string, string> = {}, dataDir?: string): Promise<TestServer> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-test-'));
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    RESOFT_DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    // Cheap password hashing keeps tests fast; production uses the default cost.
    RESOFT_SCRYPT_COST: '1024',
    RESOFT_AUTH_RATE_LIMIT: '10000',
    // Tree heads soon after each write, so audit proofs are available to tests without waiting 10 s.
    RESOFT_AUDIT_SIGN_INTERVAL_MS: '200',
    // Every answer is checked against the OpenAPI contract (documented status, body schema, media type): a drift fails the test.
    RESOFT_VALIDATE_RESPONSES: '1',
    ...extraEnv,
  };
  const config = loadConfig(env);
  const server = await startAllInOne(config);
  return {
    baseUrl: `http://127.0.0.1:${server.port}`,
    config,
    env: { ...env, PORT: String(server.port) },
    async stop(options = {}) {
      await server.stop();
      if (!dataDir && !options.keepData) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
