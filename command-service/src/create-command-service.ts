/** Builds the command service's parts from configuration and the event store. */
import { AccessTokens, RateLimiter, type Config, type Ephemeral, type EventStore, type Logger } from '@resoft/infra';
import { sharedCatalog } from '@resoft/templates';
import { PasswordHasher } from './auth/password-hashing.js';
import { UniqueClaims } from './auth/unique-claims.js';
import { CommandExecutor } from './command-handling/command-executor.js';
import type { CommandServiceDeps } from './command-service-deps.js';
import { commandRoutes } from './command-routes.js';

export function createCommandService(config: Config, store: EventStore, tokens: AccessTokens, ephemeral: Ephemeral, logger: Logger) {
  const deps: CommandServiceDeps = {
    store,
    executor: new CommandExecutor(store),
    tokens,
    passwords: new PasswordHasher(config.scryptCost),
    claims: new UniqueClaims(store),
    authLimiter: new RateLimiter(ephemeral, 'auth', config.authRateLimitPerMinute, 60_000, (error) =>
      logger.warn({ err: error }, 'rate limits unavailable (ephemeral store down): letting sign-in attempts through'),
    ),
    refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
    templates: sharedCatalog(),
  };
  return { deps, routes: commandRoutes(deps) };
}
