/**
 * A text document held open by a sync server (the collaboration gateway): the Automerge document
 * and its peers' sync states stay inside Automerge's WebAssembly between calls. The JavaScript
 * `Automerge.receiveSyncMessage`/`generateSyncMessage` convert a peer's sync state to and from
 * JavaScript on every call and materialise the document after each change; a server that relays
 * changes needs neither, and at tens of peers that conversion was a quarter of its CPU (issue 19).
 *
 * It also builds the one message that carries new changes to every peer that is already in sync
 * (see `updateMessage`), so a change is encoded once however many peers receive it.
 */
import * as Automerge from '@automerge/automerge/next';
import { createHash } from 'node:crypto';
import { automergeWasmModule } from './automerge-wasm-module.js';
import type { TextDocument } from './text-document.js';

/** The WebAssembly API under `@automerge/automerge` (the package keeps it private; its Node build loads it synchronously). */
interface SyncStateHandle {
  free(): void;
  readonly lastSentHeads: string[];
}
interface DocumentHandle {
  getHeads(): string[];
  getChanges(haveDeps: string[]): Uint8Array[];
  getMissingDeps(heads: string[]): string[];
  applyChanges(changes: Uint8Array[]): void;
  receiveSyncMessage(state: SyncStateHandle, message: Uint8Array): void;
  generateSyncMessage(state: SyncStateHandle): Uint8Array | null;
  getWithType(obj: string, prop: string): [string, unknown] | null | undefined;
  text(obj: string): string;
  /** Starts recording what the next changes do (the record is what `applyChanges` checks each op against). */
  updateDiffCursor(): void;
  free(): void;
}
interface WasmApi {
  load(data: Uint8Array): DocumentHandle;
  initSyncState(): SyncStateHandle;
}

const api = (): WasmApi => automergeWasmModule<WasmApi>();

/** One peer's sync state, owned by the document it syncs with (free it with `releasePeer`). */
export interface PeerSyncState {
  readonly handle: SyncStateHandle;
}

/** What the first bytes of a sync message say, read without decoding the message. */
export interface SyncMessageSummary {
  /** The sender's heads. */
  readonly heads: string[];
  /** How many changes the sender asks for by hash. */
  readonly need: number;
  /** True when the sender said it shares nothing with us (a first message, or a reset after it lost track). */
  readonly fromScratch: boolean;
  /** How many changes the message carries. */
  readonly changes: number;
}

export class LiveTextDocument {
  /** The heads, read from Automerge only after a change (reading them costs a copy of every hash). */
  private currentHeads: string[] | null = null;

  private constructor(private handle: DocumentHandle) {
    handle.updateDiffCursor();
  }

  /** Takes a copy of `doc` (saved and loaded once, when the server opens the file). */
  static fromDocument(doc: TextDocument): LiveTextDocument {
    return new LiveTextDocument(api().load(Automerge.save(doc)));
  }

  get text(): string {
    const [kind, value] = this.handle.getWithType('_root', 'text') ?? [];
    if (kind === 'text' && typeof value === 'string') return this.handle.text(value);
    return kind === 'str' && typeof value === 'string' ? value : '';
  }

  heads(): string[] {
    this.currentHeads ??= this.handle.getHeads();
    return this.currentHeads;
  }

  /** Whether every change named is here (a hash lookup; `getChangeByHash` would rebuild each change's bytes). */
  hasChanges(hashes: readonly string[]): boolean {
    return hashes.length === 0 || this.handle.getMissingDeps([...hashes]).length === 0;
  }

  /** Applies changes (already known ones are skipped) and answers those that were new. */
  apply(changes: readonly Uint8Array[]): Uint8Array[] {
    const before = this.heads();
    this.handle.applyChanges([...changes]);
    return this.changesSince(before);
  }

  newPeer(): PeerSyncState {
    return { handle: api().initSyncState() };
  }

  releasePeer(peer: PeerSyncState): void {
    peer.handle.free();
  }

  /** Applies a peer's sync message and answers the changes it brought that were new here. Throws on a message that is not one. */
  receive(peer: PeerSyncState, message: Uint8Array): Uint8Array[] {
    const before = this.heads();
    this.handle.receiveSyncMessage(peer.handle, message);
    return this.changesSince(before);
  }

  /** The next message of the Automerge sync protocol for this peer, or null when there is nothing to say. */
  generate(peer: PeerSyncState): Uint8Array | null {
    return this.handle.generateSyncMessage(peer.handle);
  }

  /** Whether the last message generated for the peer announced our current heads (with every change it lacked, unless it must ask again). */
  sentEverything(peer: PeerSyncState): boolean {
    const sent = peer.handle.lastSentHeads;
    const heads = this.heads();
    return sent.length === heads.length && heads.every((hash) => sent.includes(hash));
  }

  /**
   * A sync message carrying `changes` (just applied here) to any peer that had everything before
   * them: it names our heads, and says we have everything up to them, so the peer answers with
   * exactly the changes of its own that we lack (none, usually: then only its heads). It holds no
   * per-peer state, so one encoding goes to every such peer.
   */
  updateMessage(changes: readonly Uint8Array[]): Uint8Array {
    const heads = this.heads();
    return Automerge.encodeSyncMessage({ heads, need: [], have: [{ lastSync: heads, bloom: new Uint8Array(0) }], changes: [...changes] });
  }

  /**
   * The answer to a peer that sent changes while in sync: our heads, and that we have everything up
   * to the heads it named (it has them), so it sends only changes made after its message. Unlike
   * the protocol's own answer, it needs no bloom filter of every change since the peer's last
   * recorded sync (which, for a peer that receives `updateMessage`s, grows with the history).
   */
  replyMessage(peerHeads: readonly string[]): Uint8Array {
    return Automerge.encodeSyncMessage({ heads: this.heads(), need: [], have: [{ lastSync: [...peerHeads].sort(), bloom: new Uint8Array(0) }], changes: [] });
  }

  /** Replaces the content (the peers' sync states stay valid: they are about hashes, not this copy). */
  replace(doc: TextDocument): void {
    this.handle.free();
    this.handle = api().load(Automerge.save(doc));
    this.handle.updateDiffCursor();
    this.currentHeads = null;
  }

  release(): void {
    this.handle.free();
  }

  private changesSince(before: string[]): Uint8Array[] {
    // What was recorded served only to check the changes; the next ones start a new record.
    this.handle.updateDiffCursor();
    const after = this.handle.getHeads();
    this.currentHeads = after;
    if (after.length === before.length && after.every((h, i) => h === before[i])) return [];
    return this.handle.getChanges(before);
  }
}

/**
 * Reads a sync message's heads and the sizes of its other parts (Automerge's encoding: a type
 * byte, then heads, need, have and changes, each a LEB128 count followed by its items), or null
 * when the bytes are not a sync message.
 */
export function summarizeSyncMessage(message: Uint8Array): SyncMessageSummary | null {
  let at = 0;
  const uleb = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (at >= message.length || shift > 28) throw new RangeError('truncated');
      const byte = message[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
    }
  };
  const hashes = (): string[] => {
    const count = uleb();
    const out: string[] = [];
    for (let i = 0; i < count; i += 1) {
      if (at + 32 > message.length) throw new RangeError('truncated');
      out.push(Buffer.from(message.buffer, message.byteOffset + at, 32).toString('hex'));
      at += 32;
    }
    return out;
  };
  try {
    const type = message[at++];
    if (type !== 0x42 && type !== 0x43) return null;
    const heads = hashes();
    const need = hashes().length;
    const haves = uleb();
    let fromScratch = haves === 0;
    for (let i = 0; i < haves; i += 1) {
      if (hashes().length === 0 && i === 0) fromScratch = true;
      const bloomLength = uleb(); // read before adding: `at += uleb()` would add to the old `at`
      at += bloomLength;
    }
    const changes = uleb();
    return { heads, need, fromScratch, changes };
  } catch {
    return null;
  }
}

/** A change's hash: SHA-256 of the chunk after its magic bytes and checksum (decoding the change costs far more). */
export function fastChangeHash(change: Uint8Array): string {
  const digest = createHash('sha256').update(change.subarray(8)).digest();
  // A compressed change is hashed uncompressed: its checksum does not match, so decode it.
  if (change.length > 8 && digest[0] === change[4] && digest[1] === change[5] && digest[2] === change[6] && digest[3] === change[7]) return digest.toString('hex');
  return Automerge.decodeChange(change).hash;
}
