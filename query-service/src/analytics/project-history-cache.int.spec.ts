/**
 * The SQL `events` table's history cache answers exactly what reading the project's streams answers:
 * at the cached position, after the log moved on (other projects' events too), at an older position,
 * and never mixing two event stores that hold the same project ids.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEventStore, SqliteReadStore } from '@resoft/adapter-sqlite';
import type { EventColumnValues } from '@resoft/ports';
import { analyticsProjection, generateHistory, rebuildProjection, type GeneratedAppend } from '@resoft/projectors';
import type { QueryServiceDeps } from '../query-service-deps.js';
import { cachedProjectHistory } from './project-history-cache.js';
import { projectHistory } from './project-history.js';

const positions = (events: Iterable<EventColumnValues>): number[] => [...events].map((e) => e[0]);

describe('cachedProjectHistory', () => {
  let dir: string;
  const opened: { close(): Promise<void> }[] = [];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resoft-history-cache-'));
  });
  afterAll(async () => {
    for (const store of opened) await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function storesWith(name: string, appends: readonly GeneratedAppend[]): Promise<QueryServiceDeps> {
    const eventStore = new SqliteEventStore({ file: path.join(dir, `${name}-events.sqlite`) });
    const readStore = new SqliteReadStore({ file: path.join(dir, `${name}-read.sqlite`) });
    opened.push(eventStore, readStore);
    for (const { streamId, event } of appends) await eventStore.append(streamId, [event], 'any');
    await rebuildProjection(eventStore, readStore, analyticsProjection);
    return { eventStore, readStore } as unknown as QueryServiceDeps;
  }

  async function direct(deps: QueryServiceDeps, projectId: string, upTo: number): Promise<number[]> {
    const list: EventColumnValues[] = [];
    for await (const e of projectHistory(deps, projectId, { upTo })) list.push(e);
    return positions(list);
  }

  it('equals the streams\' history at the cached, a later and an earlier position', async () => {
    const history = generateHistory({ seed: 31, projects: 3, events: 1500, realEdits: false });
    const deps = await storesWith('a', history.slice(0, 1000));
    const projectId = (history[0]!.event.data as { projectId: string }).projectId;
    const first = await deps.eventStore.headPosition();
    const cached = await cachedProjectHistory(deps, projectId, first);
    expect(positions(cached)).toEqual(await direct(deps, projectId, first));
    // The cells are the events table's, with `data` left out.
    expect(cached.every((cells) => cells.length === 8 && cells[7] === null && typeof cells[3] === 'string')).toBe(true);

    // The log moves on, with this project's events and the others'; the cache catches up from the log.
    for (const { streamId, event } of history.slice(1000)) await deps.eventStore.append(streamId, [event], 'any');
    await rebuildProjection(deps.eventStore, deps.readStore, analyticsProjection);
    const later = await deps.eventStore.headPosition();
    const caughtUp = positions(await cachedProjectHistory(deps, projectId, later));
    expect(caughtUp).toEqual(await direct(deps, projectId, later));
    expect(caughtUp.length).toBeGreaterThan((await direct(deps, projectId, first)).length);

    const earlier = Math.floor(first / 2);
    expect(positions(await cachedProjectHistory(deps, projectId, earlier))).toEqual(await direct(deps, projectId, earlier));
    expect(positions(await cachedProjectHistory(deps, projectId, later))).toEqual(caughtUp);
  });

  it('keeps each event store\'s histories apart, even for the same project id', async () => {
    const one = await storesWith('b', generateHistory({ seed: 32, projects: 1, events: 300, realEdits: false, tag: 'same' }));
    const two = await storesWith('c', generateHistory({ seed: 33, projects: 1, events: 200, realEdits: false, tag: 'same' }));
    const projectId = (generateHistory({ seed: 32, projects: 1, events: 1, realEdits: false, tag: 'same' })[0]!.event.data as { projectId: string }).projectId;
    const [headOne, headTwo] = [await one.eventStore.headPosition(), await two.eventStore.headPosition()];
    const fromOne = await cachedProjectHistory(one, projectId, headOne);
    const fromTwo = await cachedProjectHistory(two, projectId, headTwo);
    expect(positions(fromOne)).toEqual(await direct(one, projectId, headOne));
    expect(positions(fromTwo)).toEqual(await direct(two, projectId, headTwo));
    expect(fromTwo.length).toBeLessThan(fromOne.length);
  });
});
