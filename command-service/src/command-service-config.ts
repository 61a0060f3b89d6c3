/**
 * The command service's settings: sign-in limits, password hashing, the chat write limit and the
 * code-quality checks. The app merges this schema with the shared one and the other services'.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseSettings, positiveIntSetting as positiveInt, sharedConfig, sharedConfigSchema, type Environment, type SharedConfig } from '@resoft/infra/config';

export const commandServiceConfigSchema = z.object({
  /** Sign-in, registration and refresh attempts per client address per minute. */
  RESOFT_AUTH_RATE_LIMIT: positiveInt(30),
  /** scrypt cost (N); 2^15 by default. Lower only for tests. */
  RESOFT_SCRYPT_COST: positiveInt(32768),
  /** Chat messages one user may post per minute (HTTP and WebSocket together, all instances). */
  RESOFT_CHAT_POSTS_PER_MINUTE: positiveInt(300),
  // Code-quality checks (issue 5).
  /** The virtual environment holding pylint, mypy and ruff (made by `npm install`). */
  RESOFT_PYTHON_TOOLS_DIR: z.string().optional(),
  /** 0: this command process runs no checks (another one, e.g. on a separate checks machine, does). */
  RESOFT_CHECK_WORKERS: z.coerce.number().int().min(0).default(2),
  RESOFT_CHECK_TIMEOUT_MS: positiveInt(30_000),
  RESOFT_CHECK_MEMORY_MB: positiveInt(1024),
  RESOFT_CHECK_OUTPUT_BYTES: positiveInt(4 * 1024 * 1024),
  RESOFT_CHECK_MAX_FILES: positiveInt(50),
  RESOFT_CHECK_MAX_FILE_BYTES: positiveInt(256 * 1024),
  RESOFT_CHECK_MAX_FINDINGS_PER_FILE: positiveInt(200),
  RESOFT_CHECK_WAIT_MS: positiveInt(20_000),
  /** Checks one user may have queued or running at once (personal and project checks together); beyond it 429. */
  RESOFT_CHECK_MAX_OPEN_PER_USER: positiveInt(4),
  /** Checks one project may have queued or running at once, whoever requested them; beyond it 429. */
  RESOFT_CHECK_MAX_OPEN_PER_PROJECT: positiveInt(16),
  /** The bubblewrap executable Python linters run in. */
  RESOFT_CHECK_SANDBOX: z.string().default('/usr/bin/bwrap'),
  /** Run Python linters without a sandbox when none can start. Dangerous: submitted code could then reach the host. */
  RESOFT_CHECK_ALLOW_UNSANDBOXED: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  RESOFT_CHECK_MAX_PROCESSES: positiveInt(256),
  RESOFT_CHECK_SCORING_VERSION: z.coerce.number().int().refine((v) => v === 1 || v === 2, 'scoring formulas are version 1 and 2').default(2),
});

/** Code-quality checks: where the Python tools are, and every bound on a run. */
export interface CheckConfig {
  readonly pythonToolsDir: string;
  readonly workers: number;
  readonly timeoutMs: number;
  readonly memoryMb: number;
  readonly outputBytes: number;
  readonly maxFiles: number;
  readonly maxFileBytes: number;
  readonly maxFindingsPerFile: number;
  readonly waitMs: number;
  readonly scoringVersion: number;
  /** Queued + running checks allowed per requester and per project (fair queues). */
  readonly maxOpenPerUser: number;
  readonly maxOpenPerProject: number;
  /** The sandbox of Python linters: its executable, whether checks may run without it, the sandbox user's process limit. */
  readonly sandboxPath: string;
  readonly allowUnsandboxed: boolean;
  readonly maxProcesses: number;
}

export interface CommandServiceConfig {
  readonly authRateLimitPerMinute: number;
  readonly scryptCost: number;
  /** Issue 11: per-user write limits. */
  readonly writeLimits: { readonly chatPostsPerMinute: number };
  readonly checks: CheckConfig;
}

/** `<repository>/.tools/python`, found from this file's place (src/ or dist/ alike), not from the working directory. */
export const DEFAULT_PYTHON_TOOLS_DIR = fileURLToPath(new URL('../../.tools/python', import.meta.url));

export function commandServiceConfig(c: z.output<typeof commandServiceConfigSchema>): CommandServiceConfig {
  return {
    authRateLimitPerMinute: c.RESOFT_AUTH_RATE_LIMIT,
    scryptCost: c.RESOFT_SCRYPT_COST,
    writeLimits: { chatPostsPerMinute: c.RESOFT_CHAT_POSTS_PER_MINUTE },
    checks: {
      pythonToolsDir: path.resolve(c.RESOFT_PYTHON_TOOLS_DIR ?? DEFAULT_PYTHON_TOOLS_DIR),
      workers: c.RESOFT_CHECK_WORKERS,
      timeoutMs: c.RESOFT_CHECK_TIMEOUT_MS,
      memoryMb: c.RESOFT_CHECK_MEMORY_MB,
      outputBytes: c.RESOFT_CHECK_OUTPUT_BYTES,
      maxFiles: c.RESOFT_CHECK_MAX_FILES,
      maxFileBytes: c.RESOFT_CHECK_MAX_FILE_BYTES,
      maxFindingsPerFile: c.RESOFT_CHECK_MAX_FINDINGS_PER_FILE,
      waitMs: c.RESOFT_CHECK_WAIT_MS,
      scoringVersion: c.RESOFT_CHECK_SCORING_VERSION,
      maxOpenPerUser: c.RESOFT_CHECK_MAX_OPEN_PER_USER,
      maxOpenPerProject: c.RESOFT_CHECK_MAX_OPEN_PER_PROJECT,
      sandboxPath: c.RESOFT_CHECK_SANDBOX,
      allowUnsandboxed: c.RESOFT_CHECK_ALLOW_UNSANDBOXED,
      maxProcesses: c.RESOFT_CHECK_MAX_PROCESSES,
    },
  };
}

/** What a command service needs: the shared settings and its own (its tests run it from this alone). */
export type CommandServiceProcessConfig = SharedConfig & CommandServiceConfig;

export function loadCommandServiceConfig(env: Environment): CommandServiceProcessConfig {
  const c = parseSettings(sharedConfigSchema.extend(commandServiceConfigSchema.shape), env);
  return { ...sharedConfig(c), ...commandServiceConfig(c) };
}
