/**
 * The per-user bound on chat posts, over HTTP and over the socket together and across every
 * instance (counted in the ephemeral store): a member who floods a room, or a script with a stolen
 * token, is held to RESOFT_CHAT_POSTS_PER_MINUTE, and the room's log does not grow without bound.
 */
import { type Logger } from '@resoft/infra';
import { type Ephemeral } from '@resoft/ports';
import { RateLimiter } from '@resoft/http-kit';

export const chatPostLimit = (ephemeral: Ephemeral, postsPerMinute: number, logger: Logger): RateLimiter =>
  new RateLimiter(ephemeral, 'chat-posts', postsPerMinute, 60_000,
    (error) => logger.warn({ err: error }, 'rate limits unavailable (ephemeral store down): letting chat posts through'),
    `Too many chat messages (at most ${postsPerMinute} a minute)`);
