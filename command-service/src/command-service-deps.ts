/** What the command routes need, built once by the entry file and passed down. */
import type { AccessTokens } from '@resoft/infra';
import type { EventStore, KeyStore, SourceStore } from '@resoft/ports';
import type { CheckConfig } from './command-service-config.js';
import type { RateLimiter } from '@resoft/http-kit';
import type { TemplateCatalog } from '@resoft/templates';
import type { PasswordHasher } from './auth/password-hashing.js';
import type { UniqueClaims } from './auth/unique-claims.js';
import type { CheckBacklog } from './code-quality/check-backlog.js';
import type { CheckEngine } from './code-quality/check-engine.js';
import type { CheckRunner } from './code-quality/check-runner.js';
import type { CommandExecutor } from './command-handling/command-executor.js';
import type { ProjectFiles } from './files/project-files.js';
import type { RoomCommands } from './rooms/room-commands.js';

export interface CommandServiceDeps {
  readonly store: EventStore;
  readonly executor: CommandExecutor;
  readonly tokens: AccessTokens;
  readonly passwords: PasswordHasher;
  readonly claims: UniqueClaims;
  readonly authLimiter: RateLimiter;
  /** Chat posts per user per minute, HTTP and WebSocket together. */
  readonly chatPosts: RateLimiter;
  readonly refreshTokenTtlSeconds: number;
  /** Per-user data keys that seal personal data (null: nothing is sealed and users cannot be erased). */
  readonly personalKeys: KeyStore | null;
  /** Usernames or emails of administrators (RESOFT_ADMINS): they may erase users. */
  readonly admins: readonly string[];
  /**
   * Code-quality checks: the linters, their bounds, this process's runner (null where none runs), the
   * open checks the limits count (followed from the log once the runner starts), and the submitted code.
   */
  readonly checks: {
    readonly engine: CheckEngine; readonly config: CheckConfig; readonly runner: CheckRunner | null;
    readonly backlog: CheckBacklog; readonly sources: SourceStore;
  };
  /** The template catalog that apply renders from. */
  readonly templates: TemplateCatalog;
  readonly files: ProjectFiles;
  readonly rooms: RoomCommands;
}
