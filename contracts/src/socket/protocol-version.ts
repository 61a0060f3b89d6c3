/**
 * The collaboration protocol, version 1: JSON text frames for control, binary frames for Automerge
 * sync; the full description is docs/collaboration-protocol.md.
 */
export const PROTOCOL_VERSION = 1;
/** The WebSocket subprotocol a client offers; the access token travels as a second one, `auth.<token>`. */
export const SUBPROTOCOL = 'resoft.collab.v1';
export const AUTH_SUBPROTOCOL_PREFIX = 'auth.';
