/**
 * A Lit task that loads one list of the current project (`GET /api/projects/:id/<list>`, the
 * `items` of the answer), run on demand only: the controllers that keep a project's lists (members,
 * files) reload them when an event says they changed, not on every render.
 */
import type { ReactiveControllerHost } from 'lit';
import { Task } from '@lit/task';
import type { ApiClient } from '../api/api-client.js';

export interface ProjectListSource {
  readonly api: () => ApiClient;
  readonly projectId: () => string;
}

export function projectListTask<T>(host: ReactiveControllerHost, source: ProjectListSource, list: string, onLoaded: (items: T[]) => void): Task<[string], T[]> {
  return new Task(host, {
    autoRun: false,
    args: () => [source.projectId()] as [string],
    task: async ([projectId]) => (await source.api().get<{ items: T[] }>(`/api/projects/${projectId}/${list}`)).items,
    onComplete: onLoaded,
  });
}
