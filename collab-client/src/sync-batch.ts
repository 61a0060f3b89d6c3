/**
 * Several sync messages from the gateway, waiting together, as fewer messages. Applying changes
 * costs Automerge about as much for one change as for many (its apply walks the document's
 * operations once per call), so a client that fell behind — a slow device, a busy tab, a load
 * generator holding many replicas — would otherwise pay that walk once per queued message.
 *
 * A run of consecutive messages that ask for nothing (`need` empty) and describe what the gateway
 * has (`have` not empty, so none is the start of a new exchange) is one message: the last one's
 * heads and `have` (they supersede the earlier ones'), and every change of the run in order. The
 * sync state ends where receiving them one by one would leave it, less the replies in between
 * (the gateway reads only the latest). Any other message stays as it is, in its place.
 */
import * as Automerge from '@automerge/automerge/next';

export function mergeSyncMessages(messages: readonly Uint8Array[]): Uint8Array[] {
  if (messages.length < 2) return [...messages];
  const merged: Uint8Array[] = [];
  let run: Automerge.DecodedSyncMessage[] = [];
  let runBytes: Uint8Array[] = [];
  const endRun = (): void => {
    if (run.length === 1) merged.push(runBytes[0]!);
    else if (run.length > 1) {
      const last = run[run.length - 1]!;
      merged.push(Automerge.encodeSyncMessage({ heads: last.heads, need: [], have: last.have, changes: run.flatMap((m) => m.changes) }));
    }
    run = [];
    runBytes = [];
  };
  for (const bytes of messages) {
    let decoded: Automerge.DecodedSyncMessage | null = null;
    try {
      decoded = Automerge.decodeSyncMessage(bytes);
    } catch {
      decoded = null;
    }
    if (decoded && decoded.need.length === 0 && decoded.have.length > 0) {
      run.push(decoded);
      runBytes.push(bytes);
      continue;
    }
    endRun();
    // Not mergeable (or not decodable: receiving it reports the error as before).
    merged.push(bytes);
  }
  endRun();
  return merged;
}
