/**
 * Seals the personal fields of events before they are stored, and reveals them when events are read
 * (command state, projections, time travel). Which fields are personal, and whose, is the domain's
 * `PERSONAL_DATA`. A field whose owner was erased reveals as the domain's "erased" value — for sealed
 * values because the key is gone, for clear values written before sealing (schema < 3, see the upcaster)
 * because the key store keeps the owner's tombstone: the read models forget them too, though the old
 * events still hold them (docs/audit.md).
 */
import { PERSONAL_DATA, isLegacyClearValue, isSealedValue, type DomainEvent } from '@resoft/domain';
import type { DataKeyStatus, KeyStore } from '@resoft/ports';
import { openValue, sealValue } from './personal-value-cipher.js';

type Data = Record<string, unknown>;

export class PersonalDataCodec {
  constructor(private readonly keys: KeyStore) {}

  /** Events to store: personal fields sealed with their owner's key (made on first use). An erased owner's fields are stored as the erased value. */
  seal<E extends DomainEvent>(events: readonly E[]): Promise<E[]> {
    return rewritePersonal(events, (ownerId) => this.keys.keyFor(ownerId), (data, fields, ownerId, ownerKey) => {
      const sealed: Data = { ...data };
      for (const [field, erasedAs] of fields) {
        const value = data[field];
        if (typeof value !== 'string') continue;
        if (ownerKey) sealed[field] = sealValue(ownerKey, ownerId, value);
        else if (erasedAs === undefined) delete sealed[field];
        else sealed[field] = erasedAs;
      }
      return sealed;
    });
  }

  /** Events as readers use them (already upcast): personal fields in clear, or as the erased value. Other fields of each event are kept. */
  reveal<E extends DomainEvent>(events: readonly E[]): Promise<E[]> {
    return rewritePersonal(events, (ownerId) => this.keys.find(ownerId), (data, fields, ownerId, owner) => {
      const revealed: Data = { ...data };
      for (const [field, erasedAs] of fields) {
        const clear = revealField(data[field], ownerId, owner);
        if (clear === NOT_PRESENT) continue;
        const value = clear === ERASED ? erasedAs : clear;
        if (value === undefined) delete revealed[field];
        else revealed[field] = value;
      }
      return revealed;
    });
  }
}

/**
 * Rewrites the data of each event that holds personal fields, with what `lookup` answers for the
 * fields' owner (asked once per owner and call).
 */
function rewritePersonal<E extends DomainEvent, K>(
  events: readonly E[],
  lookup: (ownerId: string) => Promise<K>,
  rewrite: (data: Data, fields: [string, string | undefined][], ownerId: string, owner: K) => Data,
): Promise<E[]> {
  const owners = new Map<string, Promise<K>>();
  return Promise.all(events.map(async (event) => {
    const spec = PERSONAL_DATA[event.type];
    if (!spec) return event;
    const data = event.data as Data;
    const ownerId = data[spec.owner];
    if (typeof ownerId !== 'string') return event;
    let owner = owners.get(ownerId);
    if (!owner) owners.set(ownerId, (owner = lookup(ownerId)));
    return { ...event, data: rewrite(data, Object.entries(spec.fields), ownerId, await owner) };
  }));
}

const ERASED = Symbol('erased');
const NOT_PRESENT = Symbol('not present');

function revealField(value: unknown, ownerId: string, owner: DataKeyStatus | null): string | typeof ERASED | typeof NOT_PRESENT {
  if (owner?.status === 'erased') return value === undefined ? NOT_PRESENT : ERASED;
  if (isSealedValue(value)) {
    // A sealed value whose key is missing (a key store that lost it) cannot be read: it reads as erased.
    if (owner?.status !== 'active') return ERASED;
    return openValue(owner.key, ownerId, value);
  }
  if (isLegacyClearValue(value)) return value.clear;
  // Clear strings at the current schema come only from events built in tests or fixtures: passed through.
  return typeof value === 'string' ? value : NOT_PRESENT;
}
