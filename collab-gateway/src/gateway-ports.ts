/**
 * What the gateway needs from the rest of the platform, as narrow interfaces: the command side
 * (implemented by the command service's `CollaborationCommands`), token verification, the event
 * store, the read store and the ephemeral store. The composition root passes them in.
 */
import type { ProjectRole } from '@resoft/domain';
import type { EncodedChange } from '@resoft/documents';

export interface GatewayCommandMetadata {
  readonly actor: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
}

export interface CollaborationPort {
  joinRoom(userId: string, roomId: string, meta: GatewayCommandMetadata): Promise<{ projectId: string; position: number }>;
  leaveRoom(userId: string, roomId: string, meta: GatewayCommandMetadata): Promise<{ projectId: string; position: number }>;
  postChat(userId: string, roomId: string, text: string, meta: GatewayCommandMetadata): Promise<{ messageId: string; mentions: string[]; position: number }>;
  editChat(userId: string, roomId: string, messageId: string, text: string, meta: GatewayCommandMetadata): Promise<{ position: number }>;
  deleteChat(userId: string, roomId: string, messageId: string, meta: GatewayCommandMetadata): Promise<{ position: number }>;
  roleIn(userId: string, projectId: string): Promise<ProjectRole | null>;
  openFile(userId: string, projectId: string, fileId: string): Promise<{ path: string; lockedBy: string | null; role: ProjectRole }>;
  applyChanges(userId: string, projectId: string, fileId: string, changes: readonly EncodedChange[], meta: GatewayCommandMetadata): Promise<{ position: number; stored: number }>;
}

export interface TokenVerifier {
  /** Null for a missing, forged, expired or revoked token. */
  verifyWithExpiry(token: string): Promise<{ user: { id: string; username: string }; sessionId?: string; expiresAtMs: number } | null>;
  /** Calls `listener` with each session revoked from now on, in any process (signed out, refresh token reused). */
  onSessionRevoked?(listener: (sessionId: string) => void): () => void;
}
