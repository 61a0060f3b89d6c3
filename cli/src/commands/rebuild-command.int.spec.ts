import fs from 'node:fs';
import { SqliteReadStore } from '@resoft/adapter-sqlite';
import { ApiClient, snapshotReadModels, seedActivity, startTestServer } from '@resoft/testkit';
import os from 'node:os';
import path from 'node:path';
import { allProjections, partitionCheckpointName } from '@resoft/projectors';
import { REBUILD_ARGUMENT_HELP, RebuildRefusedError, rebuildCommand } from './rebuild-command.js';

const quiet = { write: () => true } as unknown as NodeJS.WriteStream;

async function snapshotOf(file: string) {
  const store = new SqliteReadStore({ file });
  try {
    return await snapshotReadModels(store);
  } finally {
    await store.close();
  }
}

describe('resoft rebuild', () => {
  it('rebuilds read models equal to the ones built live', async () => {
    const server = await startTestServer();
    const api = new ApiClient(server.baseUrl);
    const { position } = await seedActivity(api, 'r');
    await api.get(`/api/projects?after=${position}`);
    await server.stop({ keepData: true });
    try {
      const live = await snapshotOf(server.config.readStoreFile);
      expect(live['chat_messages']).toHaveLength(12);
      await rebuildCommand([], server.env, quiet);
      expect(await snapshotOf(server.config.readStoreFile)).toEqual(live);
    } finally {
      fs.rmSync(server.config.dataDir, { recursive: true, force: true });
    }
  });

  it('rebuilds named projections while the server runs, and the server keeps projecting afterwards', async () => {
    const server = await startTestServer();
    const api = new ApiClient(server.baseUrl);
    try {
      const { roomId } = await seedActivity(api, 'l');
      await rebuildCommand(['chat', 'activity'], server.env, quiet);
      const ann = await api.signUp('late');
      const posted = await api.post('/api/projects', { name: 'after rebuild' }, ann.accessToken);
      const projects = await api.get(`/api/projects?after=${posted.body.position}`, ann.accessToken);
      expect(projects.body.items.map((p: { name: string }) => p.name)).toEqual(['after rebuild']);
      expect(projects.headers.get('resoft-consistency')).toBe('fresh');
      expect(roomId).toBeDefined();
    } finally {
      await server.stop();
    }
  });

  it('refuses an unknown projection name and lists the known ones', async () => {
    await expect(rebuildCommand(['nope'], { RESOFT_DATA_DIR: '/nonexistent' }, quiet)).rejects.toThrow(/Unknown projection\(s\): nope\. Known: users/);
  });

  it('names every projection in its --help, files included', () => {
    for (const projection of allProjections) expect(REBUILD_ARGUMENT_HELP).toContain(projection.name);
    expect(REBUILD_ARGUMENT_HELP).toContain('files');
  });

  it('refuses without KAFKA_BROKERS to rebuild read models that bus-fed projectors write, and changes nothing', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-rebuild-bus-'));
    try {
      const store = new SqliteReadStore({ file: path.join(dataDir, 'read-models.sqlite') });
      await store.write({ ops: [], checkpoint: { name: partitionCheckpointName('chat', 0), expected: 0, position: 42 } });
      await store.close();

      await expect(rebuildCommand(['chat'], { RESOFT_DATA_DIR: dataDir }, quiet)).rejects.toBeInstanceOf(RebuildRefusedError);
      await expect(rebuildCommand(['chat'], { RESOFT_DATA_DIR: dataDir }, quiet)).rejects.toThrow(/KAFKA_BROKERS/);
      const after = new SqliteReadStore({ file: path.join(dataDir, 'read-models.sqlite') });
      expect(await after.getCheckpoint(partitionCheckpointName('chat', 0))).toBe(42);
      expect(await after.getCheckpoint('chat')).toBe(0);
      await after.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
