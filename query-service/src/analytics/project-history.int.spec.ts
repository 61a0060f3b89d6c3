/**
 * A project's history read from the log and read stream by stream are the same events in the same
 * order, with the same filters, for a project that is most of the log and for one that is a sliver.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import { analyticsProjection, generateHistory, rebuildProjection } from '@resoft/projectors';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { projectEvents, projectEventsWithoutData, projectHistory, projectHistoryToLoad, type HistoryFilter } from './project-history.js';

describe('projectHistory', () => {
  let dir: string;
  let deps: QueryServiceDeps;
  let projects: string[];
  let head: number;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-project-history-'));
    const eventStore = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    const readStore = new SqliteReadStore({ file: path.join(dir, 'read.sqlite') });
    // One big project, then four small ones interleaved after it.
    const appends = [...generateHistory({ seed: 41, projects: 1, events: 1200, realEdits: false, tag: 'big' }), ...generateHistory({ seed: 42, projects: 4, events: 400, realEdits: false, tag: 'small' })];
    for (const { streamId, event } of appends) await eventStore.append(streamId, [event], 'any');
    await rebuildProjection(eventStore, readStore, analyticsProjection);
    deps = { eventStore, readStore } as unknown as QueryServiceDeps;
    projects = appends.filter((a) => a.event.type === 'ProjectCreated').map((a) => (a.event.data as { projectId: string }).projectId);
    head = await eventStore.headPosition();
  });
  afterAll(async () => {
    await deps.eventStore.close();
    await deps.readStore.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const read = async (projectId: string, filter: HistoryFilter): Promise<string[]> => {
    const ids: string[] = [];
    for await (const [position, streamId, , type] of projectHistory(deps, projectId, filter)) ids.push(`${position}:${streamId}:${type}`);
    return ids;
  };

  it('reads the same events either way, for a large and a small project, with filters and an earlier position', async () => {
    const filters: HistoryFilter[] = [
      { upTo: head },
      { upTo: Math.floor(head * 0.8), type: 'ChatMessagePosted' },
      { upTo: head, since: Date.UTC(2026, 2, 28), until: Date.UTC(2026, 3, 2) },
    ];
    let compared = 0;
    for (const projectId of projects) {
      for (const filter of filters) {
        const byLog = await read(projectId, { ...filter, readBy: 'log' });
        expect(await read(projectId, { ...filter, readBy: 'streams' })).toEqual(byLog);
        expect(await read(projectId, filter)).toEqual(byLog);
        compared += byLog.length;
      }
    }
    expect((await read(projects[0]!, { upTo: head })).length).toBeGreaterThan(1000);
    expect(compared).toBeGreaterThan(2000);
  });

  it('reads the same cells without data whole, from the log or by batches of streams, at any position', async () => {
    const cells = async (projectId: string, upTo: number): Promise<unknown[]> => {
      const rows: unknown[] = [];
      for await (const e of projectHistory(deps, projectId, { upTo, readBy: 'log' })) rows.push([...e.slice(0, 7), null]);
      return rows;
    };
    let compared = 0;
    for (const projectId of projects) {
      for (const upTo of [head, Math.floor(head * 0.6)]) {
        const expected = await cells(projectId, upTo);
        compared += expected.length;
        for (const variant of [{ readBy: 'log' as const }, { readBy: 'streams' as const }, { readBy: 'streams' as const, streamsPerRead: 3 }, {}]) {
          expect(await projectEventsWithoutData(deps, projectId, { upTo, ...variant })).toEqual(expected);
        }
      }
    }
    expect(compared).toBeGreaterThan(2000);
  });

  it('reads the same cells with data whole (by batches of streams) or page by page past the size limit, at any position', async () => {
    let compared = 0;
    for (const projectId of projects) {
      for (const upTo of [head, Math.floor(head * 0.6)]) {
        const expected: unknown[] = [];
        for await (const e of projectHistory(deps, projectId, { upTo, readBy: 'log' })) expected.push(e);
        compared += expected.length;
        expect(expected.every((e) => typeof (e as unknown[])[7] === 'string')).toBe(true);
        for (const variant of [{ readBy: 'streams' as const }, { readBy: 'streams' as const, streamsPerRead: 3 }, {}]) {
          expect(await projectEvents(deps, projectId, { upTo, ...variant })).toEqual(expected);
        }
        for (const maxEvents of [expected.length, expected.length - 1, 0]) {
          const loaded: unknown[] = [];
          for await (const page of projectHistoryToLoad(deps, projectId, { upTo }, maxEvents)) loaded.push(...page);
          expect(loaded).toEqual(expected);
        }
      }
    }
    expect(compared).toBeGreaterThan(2000);
  });
});
