import type { CollabClient } from '../collab/collab-connection.js';
import { RoomChat, type ChatFrame } from './room-chat.js';

const message = (n: number, text = `message ${n}`): ChatFrame => ({ messageId: `m-${n}`, authorId: 'u-1', text, mentions: [], deleted: false, edited: false, position: n, at: '2026-12-03T10:00:00.000Z' });

/** The gateway client's history and chat calls (the network boundary), answering pages of `all`, newest last. */
function gatewayWith(all: readonly ChatFrame[], pageSize = 2) {
  const sent: string[] = [];
  const client = {
    history: async (_roomId: string, before?: number) => {
      const older = all.filter((m) => before === undefined || m.position < before);
      const page = older.slice(-pageSize);
      return { messages: page, nextBefore: older.length > pageSize ? (page[0]?.position ?? null) : null };
    },
    chat: async (_roomId: string, text: string) => {
      if (!text.trim()) throw new Error('A message needs text');
      sent.push(text);
      return { messageId: 'm-new', mentions: [], position: 99 };
    },
  };
  return { client: client as unknown as CollabClient, sent };
}

describe("the chat of a project's room", () => {
  it('shows the latest page, then older pages before it without repeating a message', async () => {
    let changes = 0;
    const chat = new RoomChat(() => changes++, () => undefined);
    const { client } = gatewayWith([1, 2, 3, 4, 5].map((n) => message(n)));
    await chat.open(client, 'r-1');
    expect(chat.messages.map((m) => m.messageId)).toEqual(['m-4', 'm-5']);
    expect(chat.room).toBe('r-1');
    await chat.loadOlder();
    await chat.loadOlder();
    expect(chat.messages.map((m) => m.messageId)).toEqual(['m-1', 'm-2', 'm-3', 'm-4', 'm-5']);
    expect(chat.olderCursor).toBeNull();
    expect(changes).toBe(3);
  });

  it('adds a live post once, replaces an edited or deleted message, and ignores other rooms', async () => {
    const chat = new RoomChat(() => undefined, () => undefined);
    await chat.open(gatewayWith([message(1)]).client, 'r-1');
    chat.receive('posted', { ...message(2), roomId: 'r-1' });
    chat.receive('posted', { ...message(2), roomId: 'r-1' });
    chat.receive('posted', { ...message(3), roomId: 'r-other' });
    chat.receive('edited', { ...message(1, 'changed'), edited: true });
    chat.receive('deleted', { ...message(2), text: null, deleted: true });
    expect(chat.messages.map((m) => [m.messageId, m.text, m.edited, m.deleted])).toEqual([
      ['m-1', 'changed', true, false],
      ['m-2', null, false, true],
    ]);
  });

  it('sends the user’s message and tells them when it was refused; nothing is sent outside a room', async () => {
    const told: string[] = [];
    const chat = new RoomChat(() => undefined, (kind, text) => void told.push(`${kind}: ${text}`));
    const { client, sent } = gatewayWith([]);
    await chat.send('before joining');
    await chat.open(client, 'r-1');
    await chat.send('hello');
    await chat.send('  ');
    expect(sent).toEqual(['hello']);
    expect(told).toEqual(['error: Message not sent: A message needs text']);
    chat.close();
    expect(chat.room).toBeNull();
    expect(chat.messages).toEqual([]);
  });
});
