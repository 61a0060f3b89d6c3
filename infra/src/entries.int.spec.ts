/**
 * The package's entries as a process resolves them (built dist, through package.json `exports`): the root
 * entry loads no vendor SDK (an embedded process must not pay for engines it does not use, issue 19), and
 * each vendor entry answers its adapters.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VENDOR_PACKAGES = ['kafkajs', 'mongodb', 'ioredis', '@eventstore/db-client', '@duckdb/node-api'];

/** Runs an ES module in a fresh node at the repository root; answers what it prints as JSON. */
function runModule(source: string): unknown {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', source], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(output);
}

const LOADED_VENDORS = `
  const loaded = Object.keys((await import('node:module')).default._cache);
  const vendors = ${JSON.stringify(VENDOR_PACKAGES)}.filter((name) => loaded.some((file) => file.includes('/node_modules/' + name + '/')));
`;

describe('@resoft/infra entries (built dist)', () => {
  it('the root entry loads no vendor SDK', () => {
    const answer = runModule(`
      const infra = await import('@resoft/infra');
      ${LOADED_VENDORS}
      console.log(JSON.stringify({ vendors, hasSqliteReadStore: typeof infra.SqliteReadStore, hasKafka: 'KafkaEventBus' in infra }));
    `);
    expect(answer).toEqual({ vendors: [], hasSqliteReadStore: 'function', hasKafka: false });
  });

  it.each([
    ['kafka', ['KafkaEventBus'], ['kafkajs']],
    ['mongodb', ['MongoReadStore', 'MongoSourceStore', 'MongoMerkleLogStore', 'MongoKeyStore'], ['mongodb']],
    ['eventstoredb', ['EsdbEventStore'], ['@eventstore/db-client']],
    ['redis', ['RedisEphemeral'], ['ioredis']],
    ['duckdb', ['DuckDbSqlSandbox', 'DuckDbColumnarFiles'], ['@duckdb/node-api']],
  ])('@resoft/infra/%s answers its adapters and loads only its own SDK', (entry, classes, sdks) => {
    const answer = runModule(`
      const adapters = await import('@resoft/infra/${entry}');
      ${LOADED_VENDORS}
      console.log(JSON.stringify({ vendors, classes: ${JSON.stringify(classes)}.map((name) => typeof adapters[name]) }));
    `);
    expect(answer).toEqual({ vendors: sdks, classes: classes.map(() => 'function') });
  });
});
