/**
 * The chat of the project's room, as the session sees it: the messages shown (the latest page
 * first, older pages on request), live posts, edits and deletions from the gateway, and the user's
 * own posts, edits and deletions. Owned by the collaboration session, which joins the room.
 */
import type { CollabClient } from '../collab/collab-connection.js';
import type { Notify } from './notify.js';
import type { ChatMessageFrame } from '@resoft/contracts/socket';

/** A chat message as the socket contract sends it, without its room (the chat belongs to one). */
export type ChatFrame = Omit<ChatMessageFrame, 'roomId'>;

export class RoomChat {
  messages: readonly ChatFrame[] = [];
  /** Where the next older page starts, or null when the oldest message is shown. */
  olderCursor: number | null = null;
  private client: CollabClient | null = null;
  private roomId: string | null = null;

  constructor(
    private readonly changed: () => void,
    private readonly notify: Notify,
  ) {}

  get room(): string | null {
    return this.roomId;
  }

  /** Shows the room's latest page of messages (the client has joined the room). */
  async open(client: CollabClient, roomId: string): Promise<void> {
    this.client = client;
    this.roomId = roomId;
    const history = await client.history(roomId);
    this.messages = history.messages;
    this.olderCursor = history.nextBefore;
    this.changed();
  }

  close(): void {
    this.client = null;
    this.roomId = null;
    this.messages = [];
    this.olderCursor = null;
    this.changed();
  }

  /** A message frame from the gateway: a post is added once, an edit or deletion replaces the message. */
  receive(kind: 'posted' | 'edited' | 'deleted', message: ChatFrame & { roomId?: string }): void {
    if (message.roomId && message.roomId !== this.roomId) return;
    if (kind === 'posted') {
      if (this.messages.some((m) => m.messageId === message.messageId)) return;
      this.messages = [...this.messages, message];
    } else this.messages = this.messages.map((m) => (m.messageId === message.messageId ? message : m));
    this.changed();
  }

  async loadOlder(): Promise<void> {
    if (!this.client || !this.roomId || this.olderCursor === null) return;
    const page = await this.client.history(this.roomId, this.olderCursor).catch(() => null);
    if (!page) return;
    const known = new Set(this.messages.map((m) => m.messageId));
    this.messages = [...page.messages.filter((m) => !known.has(m.messageId)), ...this.messages];
    this.olderCursor = page.nextBefore;
    this.changed();
  }

  /** Sends a message; it is shown when the gateway sends it back, like everyone else's. */
  async send(text: string): Promise<void> {
    if (!this.client || !this.roomId) return;
    try {
      await this.client.chat(this.roomId, text);
    } catch (error) {
      this.notify('error', `Message not sent: ${(error as Error).message}`);
    }
  }

  async edit(messageId: string, text: string): Promise<void> {
    if (!this.client || !this.roomId) return;
    await this.client.editChat(this.roomId, messageId, text).catch((error: Error) => this.notify('error', `Not edited: ${error.message}`));
  }

  async delete(messageId: string): Promise<void> {
    if (!this.client || !this.roomId) return;
    await this.client.deleteChat(this.roomId, messageId).catch((error: Error) => this.notify('error', `Not deleted: ${error.message}`));
  }
}
