/** Builds the command service's parts from configuration and the event store. */
import { AccessTokens, ClaimHasher, PersonalDataCodec, loadOrCreateClaimSecret, type Logger } from '@resoft/infra';
import { type Ephemeral, type EventStore, type KeyStore, type SourceStore } from '@resoft/ports';
import { RateLimiter } from '@resoft/http-kit';
import { sharedCatalog } from '@resoft/templates';
import { PasswordHasher } from './auth/password-hashing.js';
import { UniqueClaims } from './auth/unique-claims.js';
import { CheckBacklog } from './code-quality/check-backlog.js';
import { CheckEngine } from './code-quality/check-engine.js';
import { CheckRunner } from './code-quality/check-runner.js';
import { CommandExecutor } from './command-handling/command-executor.js';
import type { CommandServiceProcessConfig } from './command-service-config.js';
import type { CommandServiceDeps } from './command-service-deps.js';
import { ProjectFiles } from './files/project-files.js';
import { RoomCommands } from './rooms/room-commands.js';
import { commandRoutes } from './command-routes.js';
import { chatPostLimit } from './chat/chat-post-limit.js';

/** Without `personalKeys`, personal data is stored as given (not sealed) and users cannot be erased. */
export function createCommandService(config: CommandServiceProcessConfig, store: EventStore, tokens: AccessTokens, ephemeral: Ephemeral, sources: SourceStore, logger: Logger, personalKeys?: KeyStore) {
  const executor = new CommandExecutor(store, personalKeys ? new PersonalDataCodec(personalKeys) : null);
  const checkEngine = new CheckEngine(config.checks);
  const checkLogger = logger.child({ component: 'check-runner' });
  const checkBacklog = new CheckBacklog(store, checkLogger);
  // Probed at start, so the log (and /api/code-quality/health) says at once whether Python checks can run here.
  void checkEngine.isolation().then((sandbox) => {
    if (sandbox.isolation === 'bubblewrap') logger.info({ sandbox }, 'Python linters run in a bubblewrap sandbox');
    else logger.warn({ sandbox }, sandbox.isolation === 'unavailable' ? 'no sandbox for Python linters: Python checks are refused' : 'no sandbox for Python linters: they run UNSANDBOXED (RESOFT_CHECK_ALLOW_UNSANDBOXED=true)');
  });
  // Started by the entry file (`resoft start`, `resoft serve command`), which also stops it.
  const checkRunner = new CheckRunner(store, executor, checkEngine, {
    workers: config.checks.workers, leaseMs: 2 * config.checks.timeoutMs + 30_000, scoringVersion: config.checks.scoringVersion,
  }, checkLogger, checkBacklog, sources);
  const deps: CommandServiceDeps = {
    store,
    executor,
    tokens,
    passwords: new PasswordHasher(config.scryptCost),
    claims: new UniqueClaims(store, new ClaimHasher(loadOrCreateClaimSecret(config.dataDir, config.personalData.claimSecret))),
    authLimiter: new RateLimiter(ephemeral, 'auth', config.authRateLimitPerMinute, 60_000, (error) =>
      logger.warn({ err: error }, 'rate limits unavailable (ephemeral store down): letting sign-in attempts through'),
    ),
    chatPosts: chatPostLimit(ephemeral, config.writeLimits.chatPostsPerMinute, logger),
    refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
    personalKeys: personalKeys ?? null,
    admins: config.admins,
    checks: { engine: checkEngine, config: config.checks, runner: checkRunner, backlog: checkBacklog, sources },
    templates: sharedCatalog(),
    files: new ProjectFiles(executor, store),
    rooms: new RoomCommands(executor),
  };
  return { deps, routes: commandRoutes(deps), checkRunner };
}
