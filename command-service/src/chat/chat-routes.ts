/** Chat in a room: post (markdown, @mentions, fenced code), edit and delete your own messages. */
import { defineRoute, type RouteSpec } from '@resoft/http-kit';
import { requestMetadata } from '../command-handling/request-metadata.js';
import type { CommandServiceDeps } from '../command-service-deps.js';
import { editChatBody, messageParams, postChatBody } from '../rooms/room-schemas.js';
import { ChatPosted, Written } from '@resoft/contracts';

const TAGS = ['collaboration'];
const POST_LIMITED = { 429: 'Too many chat messages from you: wait for Retry-After seconds' };
const WRITE = { 400: 'Invalid input', 401: 'Not signed in', 403: 'Not allowed (join the room first; only your own messages)', 404: 'Room or message not found', 409: 'Project archived' };

export function chatRoutes(deps: CommandServiceDeps): RouteSpec[] {
  const { rooms } = deps;
  return [
    defineRoute({
      method: 'post', path: '/api/collaboration/chat', summary: 'Post a chat message to a room you joined', tags: TAGS, auth: 'user', body: postChatBody,
      responses: { 201: { description: 'Posted, with the user ids it mentions', body: ChatPosted }, ...WRITE, ...POST_LIMITED },
      handler: async (ctx) => {
        await deps.chatPosts.take(ctx.user.id);
        const posted = await rooms.post(ctx.user.id, ctx.body.roomId, ctx.body.text, requestMetadata(ctx));
        return { status: 201, body: { id: posted.messageId, mentions: posted.mentions, position: posted.position } };
      },
    }),
    defineRoute({
      method: 'patch', path: '/api/collaboration/chat/:roomId/:messageId', summary: 'Edit your own chat message', tags: TAGS, auth: 'user', params: messageParams, body: editChatBody,
      responses: { 200: { description: 'Edited', body: Written }, ...WRITE },
      handler: async (ctx) => {
        return { body: await rooms.edit(ctx.user.id, ctx.params.roomId, ctx.params.messageId, ctx.body.text, requestMetadata(ctx)) };
      },
    }),
    defineRoute({
      method: 'delete', path: '/api/collaboration/chat/:roomId/:messageId', summary: 'Delete your own chat message (the deletion is recorded; the text is hidden)', tags: TAGS, auth: 'user', params: messageParams,
      responses: { 200: { description: 'Deleted', body: Written }, ...WRITE },
      handler: async (ctx) => {
        return { body: await rooms.delete(ctx.user.id, ctx.params.roomId, ctx.params.messageId, requestMetadata(ctx)) };
      },
    }),
  ];
}
