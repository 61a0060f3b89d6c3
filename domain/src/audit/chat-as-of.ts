/**
 * A room's chat as it was: messages folded from the room stream's events up
 * to a moment (the caller filters them), shaped like the live chat history
 * (an edit replaces the text, a deletion blanks it), in posting order.
 */
import type { RecordedEvent } from '../events/envelope.js';
import type { CodeBlock } from '../rooms/chat-markdown.js';
import type { RoomEvent } from '../rooms/room-events.js';

export interface ChatMessageAsOf {
  readonly id: string;
  readonly roomId: string;
  readonly projectId: string;
  readonly authorId: string;
  readonly text: string;
  readonly mentions: readonly string[];
  readonly codeBlocks: readonly CodeBlock[];
  readonly postedAt: string;
  readonly editedAt: string | null;
  readonly deleted: boolean;
  readonly position: number;
}

export function foldChatAsOf(events: readonly RecordedEvent[]): ChatMessageAsOf[] {
  const messages = new Map<string, ChatMessageAsOf>();
  for (const recorded of events) {
    const event = recorded as unknown as RoomEvent;
    if (event.type === 'ChatMessagePosted') {
      const { messageId, roomId, projectId, authorId, text, mentions, codeBlocks } = event.data;
      messages.set(messageId, { id: messageId, roomId, projectId, authorId, text, mentions, codeBlocks, postedAt: recorded.metadata.occurredAt, editedAt: null, deleted: false, position: recorded.position });
    } else if (event.type === 'ChatMessageEdited' || event.type === 'ChatMessageDeleted') {
      const message = messages.get(event.data.messageId);
      if (!message) continue;
      messages.set(event.data.messageId, event.type === 'ChatMessageEdited'
        ? { ...message, text: event.data.text, mentions: event.data.mentions, codeBlocks: event.data.codeBlocks, editedAt: recorded.metadata.occurredAt }
        : { ...message, text: '', mentions: [], codeBlocks: [], deleted: true });
    }
  }
  return [...messages.values()].sort((a, b) => a.position - b.position);
}

/**
 * One page of a room's chat as of a moment, collected from the room's events
 * read *backwards* from the moment: the latest edit or deletion of a message
 * is met before the message itself, and reading stops once the page (and one
 * more, to know whether there is an older page) is full. So a page costs the
 * events since its oldest message, not the room's whole history. Gives the
 * same messages as `foldChatAsOf` (a message is never edited after deletion).
 */
export class ChatPageCollector {
  private readonly edits = new Map<string, { text: string; mentions: string[]; codeBlocks: CodeBlock[]; editedAt: string }>();
  private readonly deleted = new Set<string>();
  private readonly found: ChatMessageAsOf[] = [];

  /** `before`: only messages older than this position (the paging cursor). */
  constructor(private readonly limit: number, private readonly before?: number) {}

  /** Feed events newest first; returns false once the page is full. */
  add(recorded: RecordedEvent): boolean {
    const event = recorded as unknown as RoomEvent;
    if (event.type === 'ChatMessageEdited') {
      if (!this.edits.has(event.data.messageId)) this.edits.set(event.data.messageId, { text: event.data.text, mentions: event.data.mentions, codeBlocks: event.data.codeBlocks, editedAt: recorded.metadata.occurredAt });
    } else if (event.type === 'ChatMessageDeleted') {
      this.deleted.add(event.data.messageId);
    } else if (event.type === 'ChatMessagePosted' && (!this.before || recorded.position < this.before)) {
      const { messageId, roomId, projectId, authorId, text, mentions, codeBlocks } = event.data;
      let message: ChatMessageAsOf = { id: messageId, roomId, projectId, authorId, text, mentions, codeBlocks, postedAt: recorded.metadata.occurredAt, editedAt: null, deleted: false, position: recorded.position };
      const edit = this.edits.get(messageId);
      if (edit) message = { ...message, ...edit };
      if (this.deleted.has(messageId)) message = { ...message, text: '', mentions: [], codeBlocks: [], deleted: true };
      this.found.push(message);
    }
    return this.found.length <= this.limit;
  }

  /** The page in posting order, and the cursor for the older page (null when there is none). */
  page(): { messages: ChatMessageAsOf[]; nextCursor: number | null } {
    const messages = this.found.slice(0, this.limit).reverse();
    return { messages, nextCursor: this.found.length > this.limit ? (messages[0]?.position ?? null) : null };
  }
}
