/** Command metadata for an HTTP request: the signed-in user and the request id as correlation. */
import type { CommandMetadata } from './command-metadata.js';

export const requestMetadata = (ctx: { requestId: string; user: { id: string } | null }): CommandMetadata => ({
  actor: ctx.user?.id ?? null,
  correlationId: ctx.requestId,
  causationId: null,
});
