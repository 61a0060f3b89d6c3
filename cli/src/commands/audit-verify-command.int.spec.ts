import fs from 'node:fs';
import Database from 'better-sqlite3';
import { ApiClient, seedActivity, startTestServer, type TestServer } from '@resoft/testkit';
import { runCli } from '@resoft/testkit/processes';

describe('resoft audit verify', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await seedActivity(new ApiClient(server.baseUrl), 'a');
    await server.stop({ keepData: true });
  });
  afterAll(() => fs.rmSync(server.config.dataDir, { recursive: true, force: true }));

  it('reports OK with the number of events and streams when history is intact', async () => {
    const result = await runCli(['audit', 'verify'], server.env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^OK: \d+ events in \d+ streams, every hash chain intact; audit log: \d+ proven against signed tree heads/);
  });

  it('names a deleted last event, which no hash chain can show, from the audit log', async () => {
    const db = new Database(server.config.eventStoreFile);
    const last = db.prepare('SELECT MAX(position) AS position FROM events').get() as { position: number };
    db.prepare('DELETE FROM events WHERE position = ?').run(last.position);
    db.close();
    const result = await runCli(['audit', 'verify'], server.env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`BROKEN: audit log: first bad position ${last.position}`);
  });

  it('names the first broken link and exits 1 when an event was altered behind the application\'s back', async () => {
    // Simulates someone editing the database file directly.
    const db = new Database(server.config.eventStoreFile);
    const victim = db.prepare("SELECT position, stream_id AS streamId, revision FROM events WHERE type = 'ChatMessagePosted' ORDER BY position LIMIT 1 OFFSET 3").get() as { position: number; streamId: string; revision: number };
    db.prepare("UPDATE events SET data = json_set(data, '$.text', 'rewritten history') WHERE position = ?").run(victim.position);
    db.close();

    const result = await runCli(['audit', 'verify', '--json'], server.env);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      firstBrokenLink: { streamId: victim.streamId, revision: victim.revision, position: victim.position, reason: expect.stringContaining('altered') },
    });
  });
});
