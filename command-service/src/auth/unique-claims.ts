/**
 * Emails and usernames are kept unique by claim streams (`email-<sha256>`,
 * `username-<name>`), appended with the stream's expected revision so the
 * event store itself refuses a second claim. A registration that fails
 * half-way releases what it claimed; a claim whose user never registered
 * because the process died in between can be taken over after a grace period.
 */
import { emailClaimStreamId, userStreamId, usernameClaimStreamId, type UniqueValueClaimed, type UniqueValueReleased } from '@resoft/domain';
import { WrongExpectedRevisionError, type EventStore } from '@resoft/infra';
import { stampEvents, type CommandMetadata } from '../command-handling/command-metadata.js';

const ABANDONED_AFTER_MS = 60_000;

export type ClaimKind = 'email' | 'username';

const claimStream = (kind: ClaimKind, value: string): string =>
  kind === 'email' ? emailClaimStreamId(value) : usernameClaimStreamId(value);

export class UniqueClaims {
  constructor(private readonly store: EventStore) {}

  /** The registered user who holds the value, or null. */
  async holder(kind: ClaimKind, value: string): Promise<string | null> {
    const [last] = await this.store.readStream(claimStream(kind, value), { direction: 'backwards', maxCount: 1 });
    if (!last || last.type === 'UniqueValueReleased') return null;
    const userId = (last.data as UniqueValueClaimed['data']).userId;
    const [registered] = await this.store.readStream(userStreamId(userId), { maxCount: 1 });
    return registered ? userId : null;
  }

  /** True when the value now belongs to `userId`, false when someone else holds it. */
  async claim(kind: ClaimKind, value: string, userId: string, meta: CommandMetadata, now = Date.now()): Promise<boolean> {
    const streamId = claimStream(kind, value);
    const [last] = await this.store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    if (last && last.type !== 'UniqueValueReleased') {
      const abandoned = now - Date.parse(last.metadata.occurredAt) > ABANDONED_AFTER_MS && (await this.holder(kind, value)) === null;
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
    const streamId = claimStream(kind, value);
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
