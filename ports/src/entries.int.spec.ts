/**
 * The store entries as a process resolves them (built dist, through package.json `exports`): the ports,
 * the platform utilities (`@resoft/infra`) and the SQLite adapter an embedded process runs on load no
 * other vendor SDK (an embedded process must not pay for engines it does not use, issue 19), and each
 * vendor adapter's package answers its adapters and loads only its own SDK.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VENDOR_PACKAGES = ['better-sqlite3', 'kafkajs', 'mongodb', 'ioredis', '@eventstore/db-client', '@duckdb/node-api'];

/** Runs an ES module in a fresh node at the repository root; answers what it prints as JSON. */
function runModule(source: string): unknown {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', source], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(output);
}

const LOADED_VENDORS = `
  const loaded = Object.keys((await import('node:module')).default._cache);
  const vendors = ${JSON.stringify(VENDOR_PACKAGES)}.filter((name) => loaded.some((file) => file.includes('/node_modules/' + name + '/')));
`;

describe('store entries (built dist)', () => {
  it.each([
    ['@resoft/ports', ['InProcessEventBus', 'InProcessEphemeral', 'WrongExpectedRevisionError'], []],
    ['@resoft/infra', ['AccessTokens', 'createLogger', 'PersonalDataCodec'], []],
    ['@resoft/adapter-sqlite', ['SqliteEventStore', 'SqliteReadStore', 'SqliteSourceStore', 'SqliteKeyStore', 'SqliteMerkleLogStore'], ['better-sqlite3']],
    ['@resoft/adapter-kafka', ['KafkaEventBus', 'murmur2Partitioner'], ['kafkajs']],
    ['@resoft/adapter-mongodb', ['MongoReadStore', 'MongoSourceStore', 'MongoMerkleLogStore', 'MongoKeyStore'], ['mongodb']],
    ['@resoft/adapter-eventstoredb', ['EsdbEventStore'], ['@eventstore/db-client']],
    ['@resoft/adapter-redis', ['RedisEphemeral'], ['ioredis']],
    ['@resoft/adapter-duckdb', ['DuckDbSqlSandbox', 'DuckDbColumnarFiles'], ['@duckdb/node-api']],
  ])('%s answers its exports and loads no vendor SDK but its own', (entry, exported, sdks) => {
    const answer = runModule(`
      const adapters = await import('${entry}');
      ${LOADED_VENDORS}
      console.log(JSON.stringify({ vendors, exported: ${JSON.stringify(exported)}.map((name) => typeof adapters[name]) }));
    `);
    expect(answer).toEqual({ vendors: sdks, exported: exported.map(() => 'function') });
  });
});
