/** Command metadata for an HTTP request: the signed-in user and the request id as correlation. */
import type { OpenSpan } from '@resoft/infra';
import type { CommandMetadata } from './command-metadata.js';

export const requestMetadata = (ctx: { requestId: string; user: { id: string } | null; span?: OpenSpan | undefined }): CommandMetadata => ({
  actor: ctx.user?.id ?? null,
  correlationId: ctx.requestId,
  causationId: null,
  trace: ctx.span,
});
