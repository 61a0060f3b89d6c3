/**
 * A projection that sees personal data in clear: each event it handles is revealed through the key store
 * first (sealed fields opened with their owner's key; an erased owner's fields read as "erased user").
 * The wiring wraps the platform's projections with it, so a rebuild after an erasure cannot bring the
 * erased values back: their key is gone.
 */
import type { RecordedEvent } from '@resoft/domain';
import type { PersonalDataCodec } from '@resoft/infra';
import type { Projection } from './projection.js';

export function revealingPersonalData(projection: Projection, personalData: PersonalDataCodec): Projection {
  return {
    ...projection,
    async apply(event: RecordedEvent, unit) {
      const [revealed] = await personalData.reveal([event]);
      await projection.apply(revealed!, unit);
    },
  };
}

export const revealingAll = (projections: readonly Projection[], personalData: PersonalDataCodec): Projection[] =>
  projections.map((p) => revealingPersonalData(p, personalData));
