/**
 * What the collaboration gateway asks of the command side: room membership and chat (the same
 * `RoomCommands` the HTTP routes use), opening a file (who may see and edit it) and storing the
 * Automerge changes members made. The gateway process builds this next to its own event store
 * connection, so a socket command follows exactly the HTTP path's rules.
 */
import { fileTreeDecider, fileTreeStreamId, mayReadProject, reject, requireLiveFile, type ProjectRole } from '@resoft/domain';
import type { EncodedChange } from '@resoft/documents';
import type { RateLimiter } from '@resoft/http-kit';
import type { CommandExecutor } from '../command-handling/command-executor.js';
import type { CommandMetadata } from '../command-handling/command-metadata.js';
import type { ProjectFiles } from '../files/project-files.js';
import { loadProjectContext } from '../projects/project-context-loader.js';
import type { RoomCommands } from '../rooms/room-commands.js';

export class CollaborationCommands {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly rooms: RoomCommands,
    private readonly files: ProjectFiles,
    /** The same per-user chat bound as HTTP posts (a 429 HttpError becomes the socket's error frame). */
    private readonly chatPosts: RateLimiter | null = null,
  ) {}

  joinRoom(userId: string, roomId: string, meta: CommandMetadata) {
    return this.rooms.join(userId, roomId, meta);
  }

  leaveRoom(userId: string, roomId: string, meta: CommandMetadata) {
    return this.rooms.leave(userId, roomId, meta);
  }

  async postChat(userId: string, roomId: string, text: string, meta: CommandMetadata) {
    await this.chatPosts?.take(userId);
    return this.rooms.post(userId, roomId, text, meta);
  }

  editChat(userId: string, roomId: string, messageId: string, text: string, meta: CommandMetadata) {
    return this.rooms.edit(userId, roomId, messageId, text, meta);
  }

  deleteChat(userId: string, roomId: string, messageId: string, meta: CommandMetadata) {
    return this.rooms.delete(userId, roomId, messageId, meta);
  }

  /** The user's role in the project, or null when they are not a member (or it does not exist). */
  async roleIn(userId: string, projectId: string): Promise<ProjectRole | null> {
    const project = await loadProjectContext(this.executor, projectId);
    return (project.exists && project.members.get(userId)?.role) || null;
  }

  /** A live file the user may see: its path, lock holder and the user's role. Non-members get not_found. */
  async openFile(userId: string, projectId: string, fileId: string): Promise<{ path: string; lockedBy: string | null; role: ProjectRole }> {
    const role = await this.roleIn(userId, projectId);
    if (!mayReadProject(role)) return reject('not_found', 'project_not_found', 'Project not found');
    const file = requireLiveFile(await this.executor.read(fileTreeStreamId(projectId), fileTreeDecider), fileId);
    return { path: file.path, lockedBy: file.lockedBy, role };
  }

  applyChanges(userId: string, projectId: string, fileId: string, changes: readonly EncodedChange[], meta: CommandMetadata) {
    return this.files.applyChanges({ projectId, fileId, actorId: userId, changes }, meta);
  }
}
