/** `@resoft/adapter-redis`: the ephemeral store (rate limits, presence, revocations) on Redis, loaded only where REDIS_URL is set. */
export * from './ephemeral/redis-ephemeral.js';
