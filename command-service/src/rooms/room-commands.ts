/**
 * Joining and leaving rooms and chatting in them: one implementation for the HTTP routes and the
 * collaboration gateway, so a message sent over the socket follows exactly the HTTP path's rules.
 */
import { roomDecider, roomStreamId, type RoomEvent } from '@resoft/domain';
import { newId } from '@resoft/infra';
import type { CommandExecutor } from '../command-handling/command-executor.js';
import type { CommandMetadata } from '../command-handling/command-metadata.js';
import { loadProjectContext } from '../projects/project-context-loader.js';

export class RoomCommands {
  constructor(private readonly executor: CommandExecutor) {}

  /** Joins (a member already in the room changes nothing) and answers the room's project. */
  async join(actorId: string, roomId: string, meta: CommandMetadata): Promise<{ projectId: string; position: number }> {
    return this.membership('JoinRoom', actorId, roomId, meta);
  }

  async leave(actorId: string, roomId: string, meta: CommandMetadata): Promise<{ projectId: string; position: number }> {
    return this.membership('LeaveRoom', actorId, roomId, meta);
  }

  async post(actorId: string, roomId: string, text: string, meta: CommandMetadata): Promise<{ messageId: string; mentions: string[]; position: number }> {
    const messageId = newId();
    const outcome = await this.executor.execute(roomStreamId(roomId), roomDecider, async (room) => ({
      type: 'PostChatMessage' as const, messageId, text, actorId, project: await loadProjectContext(this.executor, room.projectId),
    }), meta, { batchable: true }); // a post's decision does not depend on the posts beside it
    const posted = outcome.events[0] as Extract<RoomEvent, { type: 'ChatMessagePosted' }>;
    return { messageId, mentions: posted.data.mentions, position: outcome.position };
  }

  async edit(actorId: string, roomId: string, messageId: string, text: string, meta: CommandMetadata): Promise<{ position: number }> {
    const outcome = await this.executor.execute(roomStreamId(roomId), roomDecider, async (room) => ({
      type: 'EditChatMessage' as const, messageId, text, actorId, project: await loadProjectContext(this.executor, room.projectId),
    }), meta);
    return { position: outcome.position };
  }

  async delete(actorId: string, roomId: string, messageId: string, meta: CommandMetadata): Promise<{ position: number }> {
    const outcome = await this.executor.execute(roomStreamId(roomId), roomDecider, async (room) => ({
      type: 'DeleteChatMessage' as const, messageId, actorId, project: await loadProjectContext(this.executor, room.projectId),
    }), meta);
    return { position: outcome.position };
  }

  private async membership(type: 'JoinRoom' | 'LeaveRoom', actorId: string, roomId: string, meta: CommandMetadata) {
    let projectId = '';
    const outcome = await this.executor.execute(roomStreamId(roomId), roomDecider, async (room) => {
      projectId = room.projectId;
      return { type, actorId, project: await loadProjectContext(this.executor, room.projectId) };
    }, meta);
    return { projectId, position: outcome.position };
  }
}
