/**
 * Emails and usernames are kept unique by claim streams named by a keyed hash
 * of the value (`email-<hmac>`, `username-<hmac>`: ClaimHasher), appended with
 * the stream's expected revision so the event store itself refuses a second
 * claim. A registration that fails half-way releases what it claimed; a claim
 * whose user never registered because the process died in between, or whose
 * user was erased, can be taken over after a grace period. Claims made before
 * keyed hashes (`email-<sha256>`, `username-<name>`) are still honoured when read.
 */
import { emailClaimStreamId, keyedClaimStreamId, userStreamId, usernameClaimStreamId, type UniqueValueClaimed, type UniqueValueReleased } from '@resoft/domain';
import { type ClaimHasher } from '@resoft/infra';
import { WrongExpectedRevisionError, type EventStore } from '@resoft/ports';
import { stampEvents, type CommandMetadata } from '../command-handling/command-metadata.js';

const ABANDONED_AFTER_MS = 60_000;

export type ClaimKind = 'email' | 'username';

const legacyClaimStream = (kind: ClaimKind, value: string): string =>
  kind === 'email' ? emailClaimStreamId(value) : usernameClaimStreamId(value);

export class UniqueClaims {
  constructor(private readonly store: EventStore, private readonly hasher: ClaimHasher) {}

  private claimStream(kind: ClaimKind, value: string): string {
    return keyedClaimStreamId(kind, this.hasher.hash(kind, value));
  }

  /** The registered (and not erased) user who holds the value, or null. */
  async holder(kind: ClaimKind, value: string): Promise<string | null> {
    return (await this.holderOf(this.claimStream(kind, value))) ?? this.holderOf(legacyClaimStream(kind, value));
  }

  private async holderOf(streamId: string): Promise<string | null> {
    const [last] = await this.store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    if (!last || last.type === 'UniqueValueReleased') return null;
    const userId = (last.data as UniqueValueClaimed['data']).userId;
    const [latest] = await this.store.readStream(userStreamId(userId), { direction: 'backwards', maxCount: 1 });
    // An erased user holds nothing: their email and username are free again once the grace period has passed.
    return latest && latest.type !== 'UserErased' ? userId : null;
  }

  /** True when the value now belongs to `userId`, false when someone else holds it. */
  async claim(kind: ClaimKind, value: string, userId: string, meta: CommandMetadata, now = Date.now()): Promise<boolean> {
    // A value claimed before keyed hashes by a user still registered stays theirs.
    if ((await this.holderOf(legacyClaimStream(kind, value))) !== null) return false;
    const streamId = this.claimStream(kind, value);
    const [last] = await this.store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    if (last && last.type !== 'UniqueValueReleased') {
      const abandoned = now - Date.parse(last.metadata.occurredAt) > ABANDONED_AFTER_MS && (await this.holderOf(streamId)) === null;
      if (!abandoned) return false;
    }
    const claimed: UniqueValueClaimed = { type: 'UniqueValueClaimed', data: { userId } };
    try {
      await this.store.append(streamId, stampEvents([claimed], meta), last ? last.revision : 'no_stream');
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return false;
      throw error;
    }
  }

  /** Gives a value back, if `userId` still holds the claim. */
  async release(kind: ClaimKind, value: string, userId: string, meta: CommandMetadata): Promise<void> {
    const streamId = this.claimStream(kind, value);
    const [last] = await this.store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    if (!last || last.type !== 'UniqueValueClaimed' || (last.data as UniqueValueClaimed['data']).userId !== userId) return;
    const released: UniqueValueReleased = { type: 'UniqueValueReleased', data: { userId } };
    try {
      await this.store.append(streamId, stampEvents([released], meta), last.revision);
    } catch (error) {
      // Someone else took it over meanwhile: nothing of ours to give back.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
}
