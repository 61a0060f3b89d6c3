/**
 * Operations on an Automerge sync message as a whole, for a sync server that must pass on a peer's
 * message without the changes it may not make (a viewer's, or anyone's on a locked file).
 */
import * as Automerge from '@automerge/automerge/next';

/** The same sync message (heads, needs, have) with its changes removed. */
export function withoutChanges(message: Uint8Array): Uint8Array {
  const decoded = Automerge.decodeSyncMessage(message);
  return Automerge.encodeSyncMessage({ ...decoded, changes: [] });
}
