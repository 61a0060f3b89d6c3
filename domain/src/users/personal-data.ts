/**
 * Which fields of which events are personal data, whose they are, and what they read as once their
 * owner is erased. The command path seals these fields with the owner's data key before an event is
 * stored (crypto-shredding: destroying the key erases them); readers reveal them through the key store.
 * Hashes, chains and Merkle proofs cover the stored (sealed) form, so erasure changes no proof.
 */

/** A value sealed with its owner's data key (AES-256-GCM): `v1.<iv>.<ciphertext>.<tag>`, base64url parts. */
export interface SealedValue {
  readonly sealed: string;
}

/** A value written in clear before personal data was sealed (schema < 3), as the upcaster presents it. */
export interface LegacyClearValue {
  readonly clear: string;
}

export type StoredPersonalValue = SealedValue | LegacyClearValue;

/** What an erased user's name reads as everywhere. */
export const ERASED_DISPLAY_NAME = 'Erased user';
export const ERASED_USERNAME = 'erased-user';

export interface PersonalFields {
  /** The data field holding the id of the user whose key seals the fields. */
  readonly owner: string;
  /** Field → what it reads as once the owner is erased (undefined: the field is left out). */
  readonly fields: Readonly<Record<string, string | undefined>>;
}

/** Every event type that carries personal data. Free text (chat, documents) is not covered: see docs/audit.md. */
export const PERSONAL_DATA: Readonly<Record<string, PersonalFields>> = {
  UserRegistered: { owner: 'userId', fields: { email: '', username: ERASED_USERNAME, displayName: ERASED_DISPLAY_NAME, passwordHash: '' } },
  UserProfileUpdated: { owner: 'userId', fields: { displayName: ERASED_DISPLAY_NAME, bio: '', avatarUrl: undefined } },
  UserSignedIn: { owner: 'userId', fields: { userAgent: undefined, ip: undefined } },
  ProjectCreated: { owner: 'ownerId', fields: { ownerUsername: ERASED_USERNAME } },
  ProjectMemberAdded: { owner: 'userId', fields: { username: ERASED_USERNAME } },
};

export const isSealedValue = (value: unknown): value is SealedValue =>
  typeof value === 'object' && value !== null && typeof (value as { sealed?: unknown }).sealed === 'string';

export const isLegacyClearValue = (value: unknown): value is LegacyClearValue =>
  typeof value === 'object' && value !== null && typeof (value as { clear?: unknown }).clear === 'string';

/**
 * Upcaster from schema 2 to 3 for the event types above: their personal fields were plain strings, now
 * they are tagged `{ clear }` so a reader tells them from sealed values. The stored event is not changed.
 */
export function upcastClearPersonalData(type: string): (data: unknown) => unknown {
  const spec = PERSONAL_DATA[type]!;
  return (data) => {
    const lifted: Record<string, unknown> = { ...(data as Record<string, unknown>) };
    for (const field of Object.keys(spec.fields)) {
      const value = lifted[field];
      if (typeof value === 'string') lifted[field] = { clear: value } satisfies LegacyClearValue;
    }
    return lifted;
  };
}
