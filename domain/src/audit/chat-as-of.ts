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
