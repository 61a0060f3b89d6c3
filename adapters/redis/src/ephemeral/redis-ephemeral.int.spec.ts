/**
 * RedisEphemeral against a real Redis: the contract on `REDIS_URL` (start one with
 * `bash infra/engines/redis.sh install && bash infra/engines/redis.sh start`), each test under a
 * random key prefix; and outage behaviour against redis-servers this file starts and stops itself.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { describeEphemeralContract } from '@resoft/ports/contracts';
import { RedisEphemeral } from './redis-ephemeral.js';

const REDIS_URL = process.env.REDIS_URL;
const HAS_REDIS_SERVER = spawnSync('redis-server', ['--version']).status === 0;

if (!REDIS_URL) {
  console.warn(
    'RedisEphemeral tests skipped: REDIS_URL is not set. Run `bash infra/engines/redis.sh install && bash infra/engines/redis.sh start` and pass the REDIS_URL it prints.',
  );
} else if (!HAS_REDIS_SERVER) {
  console.warn('RedisEphemeral outage tests skipped: they start their own redis-server, and none is on the PATH (`bash infra/engines/redis.sh install`).');
}

const describeWithRedis = REDIS_URL ? describe : describe.skip;
const describeWithRedisServer = REDIS_URL && HAS_REDIS_SERVER ? describe : describe.skip;

function testPrefix(): string {
  return `resoft-test:${randomUUID()}:`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await sleep(20);
  }
}

/** Runs `call` and answers how long it took to reject; fails if it resolves. */
async function msToReject(call: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await expect(call()).rejects.toThrow();
  return Date.now() - started;
}

async function keysUnder(admin: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}

async function deleteKeysUnder(url: string, prefix: string): Promise<void> {
  const admin = new Redis(url);
  try {
    const keys = await keysUnder(admin, prefix);
    if (keys.length > 0) await admin.del(...keys);
  } finally {
    admin.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when something on `port` answers PING with PONG within 500 ms. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** A redis-server child process of this test, on its own port. */
class OwnRedis {
  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(port?: number): Promise<OwnRedis> {
    const chosen = port ?? (await freePort());
    const args = ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir()];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    const server = new OwnRedis(chosen, child);
    await eventually(() => answersPing(chosen), `redis-server answers on port ${chosen}`);
    return server;
  }

  pause(): void {
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    this.child.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGCONT');
    this.child.kill('SIGKILL');
    await exited;
  }
}

// Needs no Redis, so it runs everywhere (and keeps the skip reason above in the output).
describe('RedisEphemeral with nothing listening', () => {
  it('connect() rejects within its timeout', async () => {
    const port = await freePort();
    const started = Date.now();
    await expect(RedisEphemeral.connect({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 300 })).rejects.toThrow(/not ready within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('an instance that cannot connect rejects every call at once and closes without hanging', async () => {
    const port = await freePort();
    const ephemeral = new RedisEphemeral({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 300, commandTimeoutMs: 300 });
    try {
      expect(await msToReject(() => ephemeral.set('k', 'v', 1_000))).toBeLessThan(300);
      expect(await msToReject(() => ephemeral.hit('k', 1_000))).toBeLessThan(300);
      expect(await msToReject(() => ephemeral.ping())).toBeLessThan(300);
      expect(await msToReject(() => ephemeral.subscribe('room-1', () => {}))).toBeLessThan(1_000);
    } finally {
      const closing = Date.now();
      await ephemeral.close();
      expect(Date.now() - closing).toBeLessThan(1_000);
    }
  });
});

describeWithRedis('RedisEphemeral', () => {
  const url = REDIS_URL ?? '';

  describeEphemeralContract('RedisEphemeral', async () => {
    const keyPrefix = testPrefix();
    const opened: RedisEphemeral[] = [];
    return {
      async open() {
        const ephemeral = await RedisEphemeral.connect({ url, keyPrefix });
        opened.push(ephemeral);
        return ephemeral;
      },
      async dispose() {
        await Promise.all(opened.map((ephemeral) => ephemeral.close()));
        await deleteKeysUnder(url, keyPrefix);
      },
    };
  });

  describe('on Redis', () => {
    let keyPrefix: string;
    let ephemeral: RedisEphemeral;
    let admin: Redis;

    beforeEach(async () => {
      keyPrefix = testPrefix();
      ephemeral = await RedisEphemeral.connect({ url, keyPrefix });
      admin = new Redis(url);
    });

    afterEach(async () => {
      await ephemeral.close();
      await deleteKeysUnder(url, keyPrefix);
      admin.disconnect();
    });

    it('keeps every key under its prefix, a group in one sorted set and one hash', async () => {
      await ephemeral.set('cursor', 'v', 60_000);
      await ephemeral.hit('login', 60_000);
      await ephemeral.putMember('room-1', 'ann', 'a', 60_000);
      expect(await keysUnder(admin, keyPrefix)).toEqual(
        [`${keyPrefix}g:{room-1}:e`, `${keyPrefix}g:{room-1}:v`, `${keyPrefix}h:login`, `${keyPrefix}v:cursor`].sort(),
      );
      expect(await admin.type(`${keyPrefix}g:{room-1}:e`)).toBe('zset');
      expect(await admin.type(`${keyPrefix}g:{room-1}:v`)).toBe('hash');
      for (const key of await keysUnder(admin, keyPrefix)) expect(await admin.pttl(key)).toBeGreaterThan(0);
    });

    it('reading a group deletes its expired members from Redis, and an emptied group leaves no keys', async () => {
      for (const member of ['ann', 'bob', 'cy']) await ephemeral.putMember('room-1', member, member, 50);
      await eventually(async () => (await ephemeral.members('room-1')).size === 0, 'the members expire');
      expect(await keysUnder(admin, keyPrefix)).toEqual([]);
    });

    it('a group\'s keys expire with its longest-lived member', async () => {
      await ephemeral.putMember('room-1', 'ann', 'a', 60_000);
      await ephemeral.putMember('room-1', 'bob', 'b', 50);
      const ttl = await admin.pttl(`${keyPrefix}g:{room-1}:e`);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    });
  });

  describeWithRedisServer('when Redis goes away', () => {
    const servers: OwnRedis[] = [];
    const opened: RedisEphemeral[] = [];

    async function startRedis(port?: number): Promise<OwnRedis> {
      const server = await OwnRedis.start(port);
      servers.push(server);
      return server;
    }

    async function connectTo(server: OwnRedis, errors: unknown[] = []): Promise<RedisEphemeral> {
      const ephemeral = await RedisEphemeral.connect({
        url: server.url,
        keyPrefix: testPrefix(),
        connectTimeoutMs: 500,
        commandTimeoutMs: 500,
        onError: (error) => errors.push(error),
      });
      opened.push(ephemeral);
      return ephemeral;
    }

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((ephemeral) => ephemeral.close()));
      await Promise.all(servers.splice(0).map((server) => server.stop()));
    });

    it('calls reject quickly once Redis has stopped, errors are reported, and close() does not hang', async () => {
      const server = await startRedis();
      const errors: unknown[] = [];
      const ephemeral = await connectTo(server, errors);
      await ephemeral.set('k', 'v', 60_000);
      await ephemeral.subscribe('room-1', () => {});
      await server.stop();

      const calls: (() => Promise<unknown>)[] = [
        () => ephemeral.get('k'),
        () => ephemeral.set('k', 'v', 60_000),
        () => ephemeral.putMember('room-1', 'ann', 'a', 60_000),
        () => ephemeral.members('room-1'),
        () => ephemeral.removeMember('room-1', 'ann'),
        () => ephemeral.hit('login', 60_000),
        () => ephemeral.publish('room-1', 'x'),
        () => ephemeral.subscribe('room-2', () => {}),
        () => ephemeral.ping(),
      ];
      for (const call of calls) expect(await msToReject(call)).toBeLessThan(1_500);
      await eventually(() => errors.length > 0, 'a connection error is reported');

      const closing = Date.now();
      await ephemeral.close();
      expect(Date.now() - closing).toBeLessThan(1_500);
    });

    it('a Redis that stops answering makes calls reject after the command timeout, and close() does not hang', async () => {
      const server = await startRedis();
      const ephemeral = await connectTo(server);
      await ephemeral.subscribe('room-1', () => {});
      server.pause();
      try {
        const waited = await msToReject(() => ephemeral.get('k'));
        expect(waited).toBeGreaterThanOrEqual(400);
        expect(waited).toBeLessThan(2_000);
        await expect(ephemeral.ping()).rejects.toThrow(/timed out/i);
        const closing = Date.now();
        await ephemeral.close();
        expect(Date.now() - closing).toBeLessThan(2_000);
      } finally {
        server.resume();
      }
    });

    it('an instance created while Redis is away rejects calls at once, then works once Redis arrives', async () => {
      const port = await freePort();
      const ephemeral = new RedisEphemeral({ url: `redis://127.0.0.1:${port}`, keyPrefix: testPrefix(), connectTimeoutMs: 500, commandTimeoutMs: 500 });
      opened.push(ephemeral);
      expect(await msToReject(() => ephemeral.get('k'))).toBeLessThan(500);
      await startRedis(port);
      await eventually(() => ephemeral.ping().then(() => true, () => false), 'the instance reconnects');
      await ephemeral.set('k', 'v', 60_000);
      expect(await ephemeral.get('k')).toBe('v');
    });

    it('recovers when Redis comes back, subscriptions included', async () => {
      const first = await startRedis();
      const ephemeral = await connectTo(first);
      const received: string[] = [];
      await ephemeral.subscribe('room-1', (message) => received.push(message));
      await first.stop();
      await expect(ephemeral.ping()).rejects.toThrow();

      await startRedis(first.port);
      await eventually(() => ephemeral.ping().then(() => true, () => false), 'the instance reconnects');
      // The subscriber connection re-subscribes on its own; publish until a message gets through.
      let sent = 0;
      await eventually(async () => {
        await ephemeral.publish('room-1', `after restart ${sent++}`).catch(() => {});
        return received.length > 0;
      }, 'a message published after the restart arrives');
      expect(received[0]).toMatch(/^after restart \d+$/);
    });
  });
});
