/**
 * Runs a Lit task (with its current arguments) and answers its outcome as a promise: the value, or
 * the task's error. A run started while another is pending supersedes it, and both callers hear the
 * outcome of the latest run.
 */
import type { Task } from '@lit/task';

export function runTask<A extends readonly unknown[], T>(task: Task<A, T>): Promise<T> {
  void task.run();
  return task.taskComplete;
}
