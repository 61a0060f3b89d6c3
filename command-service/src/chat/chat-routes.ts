/** Chat in a room: post (markdown, @mentions, fenced code), edit and delete your own messages. */
import { roomDecider, roomStreamId, type RoomEvent } from '@resoft/domain';
import { defineRoute, newId, type RouteSpec } from '@resoft/infra';
import { requestMetadata } from '../command-handling/request-metadata.js';
import type { CommandServiceDeps } from '../command-service-deps.js';
import { loadProjectContext } from '../projects/project-context-loader.js';
import { editChatBody, messageParams, postChatBody } from '../rooms/room-schemas.js';

const TAGS = ['collaboration'];
const WRITE = { 400: 'Invalid input', 401: 'Not signed in', 403: 'Not allowed (join the room first; only your own messages)', 404: 'Room or message not found', 409: 'Project archived' };

export function chatRoutes(deps: CommandServiceDeps): RouteSpec[] {
  const { executor } = deps;
  return [
    defineRoute({
      method: 'post', path: '/api/collaboration/chat', summary: 'Post a chat message to a room you joined', tags: TAGS, auth: 'user', body: postChatBody,
      responses: { 201: 'Posted, with the user ids it mentions', ...WRITE },
      handler: async (ctx) => {
        const messageId = newId();
        const outcome = await executor.execute(roomStreamId(ctx.body.roomId), roomDecider, async (room) => ({
          type: 'PostChatMessage' as const, messageId, text: ctx.body.text, actorId: ctx.user.id, project: await loadProjectContext(executor, room.projectId),
        }), requestMetadata(ctx));
        const posted = outcome.events[0] as Extract<RoomEvent, { type: 'ChatMessagePosted' }>;
        return { status: 201, body: { id: messageId, mentions: posted.data.mentions, position: outcome.position } };
      },
    }),
    defineRoute({
      method: 'patch', path: '/api/collaboration/chat/:roomId/:messageId', summary: 'Edit your own chat message', tags: TAGS, auth: 'user', params: messageParams, body: editChatBody,
      responses: { 200: 'Edited', ...WRITE },
      handler: async (ctx) => {
        const outcome = await executor.execute(roomStreamId(ctx.params.roomId), roomDecider, async (room) => ({
          type: 'EditChatMessage' as const, messageId: ctx.params.messageId, text: ctx.body.text, actorId: ctx.user.id, project: await loadProjectContext(executor, room.projectId),
        }), requestMetadata(ctx));
        return { body: { position: outcome.position } };
      },
    }),
    defineRoute({
      method: 'delete', path: '/api/collaboration/chat/:roomId/:messageId', summary: 'Delete your own chat message (the deletion is recorded; the text is hidden)', tags: TAGS, auth: 'user', params: messageParams,
      responses: { 200: 'Deleted', ...WRITE },
      handler: async (ctx) => {
        const outcome = await executor.execute(roomStreamId(ctx.params.roomId), roomDecider, async (room) => ({
          type: 'DeleteChatMessage' as const, messageId: ctx.params.messageId, actorId: ctx.user.id, project: await loadProjectContext(executor, room.projectId),
        }), requestMetadata(ctx));
        return { body: { position: outcome.position } };
      },
    }),
  ];
}
