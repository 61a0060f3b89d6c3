import fs from 'node:fs';
import { SqliteReadStore } from '@resoft/infra';
import { ApiClient } from '../testing/api-client.js';
import { snapshotReadModels } from '../testing/read-model-snapshot.js';
import { seedActivity } from '../testing/seed-activity.js';
import { startTestServer } from '../testing/test-server.js';
import { rebuildCommand } from './rebuild-command.js';

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
});
