/**
 * The project's files: the list (loaded with a Lit task, reloaded on file events and after a lock
 * change), creating a file, locking and unlocking one, asking the lock holder to release it, and
 * whether the open file's version history is shown. The last list loaded stays shown while a
 * reload runs or when it fails.
 */
import type { ReactiveControllerHost } from 'lit';
import type { Task } from '@lit/task';
import { ApiError, type ApiClient } from '../api/api-client.js';
import { plainFieldMessage, plainMessage } from '../api/plain-messages.js';
import type { FileEntry } from './file-tree.js';
import type { Notify } from './notify.js';
import { projectListTask } from './project-list-task.js';
import { runTask } from './run-task.js';

export interface FileVersionsDependencies {
  readonly api: () => ApiClient;
  readonly projectId: () => string;
  readonly notify: Notify;
  readonly navigate: (path: string) => void;
}

export class FileVersionsController {
  files: readonly FileEntry[] = [];
  historyOpen = false;
  readonly task: Task<[string], FileEntry[]>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly deps: FileVersionsDependencies,
  ) {
    this.task = projectListTask<FileEntry>(host, deps, 'files', (items) => (this.files = items));
  }

  /** Loads (or reloads) the file list of the current project; rejects with the API's error. */
  async load(): Promise<void> {
    await runTask(this.task);
  }

  byId(fileId: string | null): FileEntry | null {
    return this.files.find((f) => f.id === fileId) ?? null;
  }

  /** Creates an empty file and opens it; a refused path is told in plain words. */
  async create(path: string): Promise<void> {
    const projectId = this.deps.projectId();
    try {
      const created = await this.deps.api().post<{ id: string }>(`/api/projects/${projectId}/files`, { path, content: '' });
      await this.load();
      this.deps.navigate(`/projects/${projectId}/files/${created.id}`);
    } catch (error) {
      this.deps.notify('error', error instanceof ApiError && error.fields[0] ? `Not created: ${plainFieldMessage(error.fields[0].message)}` : `Not created: ${plainMessage(error)}`);
    }
  }

  async setLock(fileId: string, lock: boolean): Promise<void> {
    try {
      await this.deps.api().post(`/api/projects/${this.deps.projectId()}/files/${fileId}/${lock ? 'lock' : 'unlock'}`);
      await this.load();
    } catch (error) {
      this.deps.notify('error', (error as Error).message);
    }
  }

  /** The lock holder is told in their inbox, wherever they are. */
  async askUnlock(fileId: string, holder: string): Promise<void> {
    try {
      await this.deps.api().post(`/api/projects/${this.deps.projectId()}/files/${fileId}/unlock-requests`);
      this.deps.notify('success', `${holder} was asked to unlock the file.`);
    } catch (error) {
      this.deps.notify('error', `Not asked: ${(error as Error).message}`);
    }
  }

  /** Shows or hides the version history of the open file; answers whether it is now shown. */
  toggleHistory(): boolean {
    this.historyOpen = !this.historyOpen;
    this.host.requestUpdate();
    return this.historyOpen;
  }
}
