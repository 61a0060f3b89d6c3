/** Creating, joining and leaving collaboration rooms. */
import { roomDecider, roomStreamId } from '@resoft/domain';
import { newId } from '@resoft/infra';
import { defineRoute, type RouteSpec } from '@resoft/http-kit';
import { requestMetadata } from '../command-handling/request-metadata.js';
import type { CommandServiceDeps } from '../command-service-deps.js';
import { loadProjectContext } from '../projects/project-context-loader.js';
import { createRoomBody, roomParams } from './room-schemas.js';
import { Created, Written } from '@resoft/contracts';

const TAGS = ['collaboration'];
const WRITE = { 400: 'Invalid input', 401: 'Not signed in', 403: 'Your role does not allow this', 404: 'Room or project not found (or you are not a member)', 409: 'Conflicts with the room state' };

export function roomRoutes(deps: CommandServiceDeps): RouteSpec[] {
  const { executor } = deps;
  const membership = (type: 'JoinRoom' | 'LeaveRoom', summary: string, suffix: string): RouteSpec =>
    defineRoute({
      method: 'post', path: `/api/collaboration/rooms/:roomId/${suffix}`, summary, tags: TAGS, auth: 'user', params: roomParams,
      responses: { 200: { description: 'Done', body: Written }, ...WRITE },
      handler: async (ctx) => {
        const rooms = deps.rooms;
        const outcome = await (type === 'JoinRoom' ? rooms.join : rooms.leave).call(rooms, ctx.user.id, ctx.params.roomId, requestMetadata(ctx));
        return { body: { position: outcome.position } };
      },
    });

  return [
    defineRoute({
      method: 'post', path: '/api/collaboration/rooms', summary: 'Create a collaboration room in a project', tags: TAGS, auth: 'user', body: createRoomBody,
      responses: { 201: { description: 'Created', body: Created }, ...WRITE },
      handler: async (ctx) => {
        const roomId = newId();
        const outcome = await executor.execute(roomStreamId(roomId), roomDecider, async () => ({
          type: 'CreateRoom' as const, roomId, name: ctx.body.name, description: ctx.body.description, actorId: ctx.user.id,
          project: await loadProjectContext(executor, ctx.body.projectId),
        }), requestMetadata(ctx));
        return { status: 201, body: { id: roomId, position: outcome.position } };
      },
    }),
    membership('JoinRoom', 'Join a room', 'join'),
    membership('LeaveRoom', 'Leave a room', 'leave'),
  ];
}
