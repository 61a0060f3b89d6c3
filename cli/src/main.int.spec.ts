import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '@resoft/testkit';
import { runCli, followServerLog, spawnCli } from '@resoft/testkit/processes';

describe('the resoft command line', () => {
  it.each([
    [['--help'], /start[\s\S]*rebuild[\s\S]*audit/],
    [['start', '--help'], /Run the whole backend in one process/],
    [['rebuild', '--help'], /Rebuild read models from position 0/],
    [['serve', '--help'], /Run one service in its own process: command, query, gateway, projectors, relay/],
    [['audit', 'verify', '--help'], /Verify every stream's hash chain/],
  ])('explains itself with %s', async (args, expected) => {
    const result = await runCli(args, {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(expected);
  });

  it('refuses to serve a service that does not exist', async () => {
    const result = await runCli(['serve', 'telepathy'], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Unknown service "telepathy": use one of command, query, gateway, projectors/);
  });

  it('refuses invalid configuration with a message naming the variable', async () => {
    const result = await runCli(['audit', 'verify'], { PORT: 'not-a-port' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Invalid configuration: PORT/);
  });

  it('starts the server, serves health, and shuts down gracefully on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-cli-'));
    const child = spawnCli(['start'], { PORT: '0', HOST: '127.0.0.1', RESOFT_DATA_DIR: dataDir, RESOFT_SCRYPT_COST: '1024' });
    try {
      const server = followServerLog(child);
      const port = await server.port;
      const api = new ApiClient(`http://127.0.0.1:${port}`);
      expect((await api.get('/healthz')).body).toEqual({ status: 'ok' });
      expect((await api.get('/readyz')).status).toBe(200);
      await api.signUp('cli');

      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(server.log()).toMatch(/shutting down[\s\S]*"msg":"stopped"/);
      const lines = server.log().trim().split('\n').map((l) => JSON.parse(l) as { level: number; requestId?: string; msg: string });
      expect(lines.filter((l) => l.msg === 'request').every((l) => typeof l.requestId === 'string')).toBe(true);
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
