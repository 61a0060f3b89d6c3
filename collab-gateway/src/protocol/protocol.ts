/**
 * The collaboration protocol the gateway speaks. Frames, close codes and the binary sync header are
 * the shared socket contract of `@resoft/contracts` (the typed client and the UI read the same one);
 * this module only names, for the gateway's own files, the parts it uses.
 */
export {
  AUTH_SUBPROTOCOL_PREFIX,
  CloseCodes,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
  SYNC_FRAME_KIND,
  clientFrameSchema,
  decodeSyncFrame,
  encodeSyncFrame,
  userColor,
  type ChatMessageFrame,
  type ClientFrame,
  type ClientFrameInput,
  type CursorState,
  type PresenceConnection,
  type PresenceEntry,
  type PresenceStatus,
  type ProjectRoleName,
  type ServerFrame,
} from '@resoft/contracts';
