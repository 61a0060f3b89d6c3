import { ChatPageCollector, foldChatAsOf } from './chat-as-of.js';
import type { RecordedEvent } from '../events/envelope.js';

const base = { roomId: 'r', projectId: 'p' };
let position = 0;
function recorded(type: string, data: Record<string, unknown>): RecordedEvent {
  position += 1;
  return { id: `e${position}`, type, streamId: 'room-r', revision: position - 1, position, data: { ...base, ...data }, metadata: { actor: 'u', correlationId: 'c', causationId: null, occurredAt: `2026-01-01T00:00:${String(position % 60).padStart(2, '0')}.000Z`, schema: 1, prevHash: '', hash: '' } };
}

/** Posts, edits and deletions in a seeded pseudo-random order (never an edit after a deletion, as the decider ensures). */
function history(seed: number, count: number): RecordedEvent[] {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const events: RecordedEvent[] = [recorded('RoomCreated', { name: 'x' })];
  const live: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const roll = random();
    if (roll < 0.6 || live.length === 0) {
      const messageId = `m${n}`;
      live.push(messageId);
      events.push(recorded('ChatMessagePosted', { messageId, authorId: 'u', text: `text ${n}`, mentions: [], codeBlocks: [] }));
    } else if (roll < 0.85) {
      events.push(recorded('ChatMessageEdited', { messageId: live[Math.floor(random() * live.length)], text: `edit ${n}`, mentions: ['a'], codeBlocks: [] }));
    } else {
      const [messageId] = live.splice(Math.floor(random() * live.length), 1);
      events.push(recorded('ChatMessageDeleted', { messageId }));
    }
  }
  return events;
}

describe('a chat page as of a moment, read backwards', () => {
  it('equals the same page of the whole fold, for every moment, page size and cursor', () => {
    const events = history(7, 60);
    for (let cut = 1; cut <= events.length; cut += 1) {
      const upTo = events.slice(0, cut);
      const all = foldChatAsOf(upTo);
      for (const limit of [1, 3, 10]) {
        for (const before of [undefined, upTo[Math.floor(cut / 2)]!.position]) {
          const older = all.filter((m) => !before || m.position < before);
          const expected = { messages: older.slice(-limit), nextCursor: older.length > limit ? older.slice(-limit)[0]!.position : null };
          const collector = new ChatPageCollector(limit, before);
          for (const event of [...upTo].reverse()) if (!collector.add(event)) break;
          expect(collector.page()).toEqual(expected);
        }
      }
    }
  });
});
