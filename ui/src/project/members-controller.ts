/**
 * The project's members and their roles: loaded with a Lit task, reloaded when a member event
 * arrives, and changed by owners (add a member by username, change a role). The last list loaded
 * stays shown while a reload runs or when it fails.
 */
import type { ReactiveControllerHost } from 'lit';
import type { Task } from '@lit/task';
import { ApiError, type ApiClient } from '../api/api-client.js';
import type { Member } from './member-panel.js';
import type { Notify } from './notify.js';
import { projectListTask } from './project-list-task.js';
import { runTask } from './run-task.js';

export interface MembersDependencies {
  readonly api: () => ApiClient;
  readonly projectId: () => string;
  readonly notify: Notify;
}

export class MembersController {
  members: readonly Member[] = [];
  /** Why the last "add member" failed, shown in the member panel's form. */
  error = '';
  readonly task: Task<[string], Member[]>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly deps: MembersDependencies,
  ) {
    this.task = projectListTask<Member>(host, deps, 'members', (items) => (this.members = items));
  }

  /** Loads (or reloads) the members of the current project; rejects with the API's error. */
  async load(): Promise<void> {
    await runTask(this.task);
  }

  roleOf(userId: string): Member['role'] | null {
    return this.members.find((m) => m.userId === userId)?.role ?? null;
  }

  names(): Map<string, string> {
    return new Map(this.members.map((m) => [m.userId, m.username]));
  }

  async add(username: string, role: string): Promise<void> {
    this.setError('');
    try {
      await this.deps.api().post(`/api/projects/${this.deps.projectId()}/members`, { username, role });
      this.deps.notify('success', `${username} was added as ${role}.`);
      await this.load();
    } catch (error) {
      this.setError(error instanceof ApiError && error.status === 404 ? `There is no user named ${username}.` : (error as Error).message);
    }
  }

  async changeRole(userId: string, role: string): Promise<void> {
    try {
      await this.deps.api().patch(`/api/projects/${this.deps.projectId()}/members/${userId}`, { role });
      this.deps.notify('success', `Role changed to ${role}.`);
    } catch (error) {
      this.deps.notify('error', (error as Error).message);
    }
    await this.load();
  }

  private setError(error: string) {
    this.error = error;
    this.host.requestUpdate();
  }
}
