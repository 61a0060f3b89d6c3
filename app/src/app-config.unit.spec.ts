import { ConfigError } from '@resoft/infra/config';
import { loadConfig } from './app-config.js';

describe('configuration', () => {
  it('needs nothing for the embedded defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, mongo: null, redisUrl: null, kafka: null, eventStoreUrl: null, trustProxy: false, readWaitMs: 2000, relayPollMs: 10, engineTimeoutMs: 5000 });
    expect(config.eventStoreFile).toMatch(/data\/events\.sqlite$/);
  });

  it('selects the distributed engines by their variables alone', () => {
    const config = loadConfig({ MONGO_URL: 'mongodb://db:27017/', REDIS_URL: 'redis://cache:6379', KAFKA_BROKERS: 'k1:9092, k2:9092', EVENTSTORE_URL: 'esdb://es:2113?tls=false' });
    expect(config.mongo).toEqual({ url: 'mongodb://db:27017/', database: 'resoft', maxOpsPerWrite: 50, operationTimeoutMs: 5000 });
    expect(config.kafka).toEqual({ brokers: ['k1:9092', 'k2:9092'], topic: 'resoft-events', partitions: 6, group: 'resoft-projectors', sessionTimeoutMs: 6_000, relayTakeoverMs: 10_000 });
    expect([config.redisUrl, config.eventStoreUrl]).toEqual(['redis://cache:6379', 'esdb://es:2113?tls=false']);
  });

  it('runs Python linters only in their sandbox unless the operator opts in, by name and with true or false only', () => {
    expect(loadConfig({}).checks).toMatchObject({ sandboxPath: '/usr/bin/bwrap', allowUnsandboxed: false, maxProcesses: 256, workers: 2 });
    expect(loadConfig({ RESOFT_CHECK_ALLOW_UNSANDBOXED: 'true' }).checks.allowUnsandboxed).toBe(true);
    expect(() => loadConfig({ RESOFT_CHECK_ALLOW_UNSANDBOXED: 'yes' })).toThrow(/RESOFT_CHECK_ALLOW_UNSANDBOXED/);
    // A command process that runs no checks: another one (a separate checks machine) does.
    expect(loadConfig({ RESOFT_CHECK_WORKERS: '0' }).checks.workers).toBe(0);
  });

  it('takes a consumer session timeout within what Kafka brokers allow', () => {
    expect(loadConfig({ KAFKA_BROKERS: 'k:9092', RESOFT_KAFKA_SESSION_TIMEOUT_MS: '10000' }).kafka?.sessionTimeoutMs).toBe(10_000);
    expect(() => loadConfig({ KAFKA_BROKERS: 'k:9092', RESOFT_KAFKA_SESSION_TIMEOUT_MS: '1000' })).toThrow(/RESOFT_KAFKA_SESSION_TIMEOUT_MS/);
  });

  it.each([
    ['1', 1],
    ['loopback, uniquelocal', 'loopback, uniquelocal'],
    ['true', true],
    ['false', false],
  ])('reads RESOFT_TRUST_PROXY=%s as Express expects', (value, expected) => {
    expect(loadConfig({ RESOFT_TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('serves no /metrics listener unless RESOFT_METRICS_PORT is set, on loopback unless told otherwise', () => {
    expect(loadConfig({}).metrics).toEqual({ port: null, host: '127.0.0.1' });
    expect(loadConfig({ RESOFT_METRICS_PORT: '0', RESOFT_METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ port: 0, host: '0.0.0.0' });
    expect(() => loadConfig({ RESOFT_METRICS_PORT: '70000' })).toThrow(/RESOFT_METRICS_PORT/);
  });

  it('names every invalid variable in one error', () => {
    const invalid = () => loadConfig({ PORT: 'x', MONGO_URL: 'http://nope', RESOFT_JWT_SECRET: 'short' });
    expect(invalid).toThrow(ConfigError);
    expect(invalid).toThrow(/PORT: /);
    expect(invalid).toThrow(/MONGO_URL: must be a mongodb:\/\/ URL/);
    expect(invalid).toThrow(/RESOFT_JWT_SECRET: RESOFT_JWT_SECRET must be at least 32 characters/);
  });
});
