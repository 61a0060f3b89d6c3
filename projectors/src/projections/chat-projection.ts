/** The `chat_messages` read model: room history, paged by position. Deleted messages keep their place but lose their text. */
import type { CodeBlock, RecordedEvent, RoomEvent } from '@resoft/domain';
import type { Document } from '@resoft/ports';
import type { Projection, ProjectionUnitOfWork } from '../runtime/projection.js';
import { ReadModels } from './read-model-names.js';

export interface ChatMessageView extends Document {
  id: string;
  roomId: string;
  projectId: string;
  authorId: string;
  text: string;
  mentions: string[];
  codeBlocks: CodeBlock[];
  postedAt: string;
  editedAt: string | null;
  deleted: boolean;
  position: number;
}

export const chatProjection: Projection = {
  name: 'chat',
  collections: [{ name: ReadModels.chatMessages, indexes: [['roomId', 'position']] }],
  handles: new Set(['ChatMessagePosted', 'ChatMessageEdited', 'ChatMessageDeleted']),
  async apply(recorded: RecordedEvent, unit: ProjectionUnitOfWork) {
    const event = recorded as unknown as RoomEvent;
    if (event.type === 'ChatMessagePosted') {
      const { messageId, roomId, projectId, authorId, text, mentions, codeBlocks } = event.data;
      unit.put(ReadModels.chatMessages, {
        id: messageId, roomId, projectId, authorId, text, mentions, codeBlocks, postedAt: recorded.metadata.occurredAt, editedAt: null, deleted: false, position: recorded.position,
      } satisfies ChatMessageView);
      return;
    }
    if (event.type !== 'ChatMessageEdited' && event.type !== 'ChatMessageDeleted') return;
    const message = await unit.get<ChatMessageView>(ReadModels.chatMessages, event.data.messageId);
    if (!message) return;
    if (event.type === 'ChatMessageEdited') {
      const { text, mentions, codeBlocks } = event.data;
      unit.put(ReadModels.chatMessages, { ...message, text, mentions, codeBlocks, editedAt: recorded.metadata.occurredAt });
    } else {
      unit.put(ReadModels.chatMessages, { ...message, text: '', mentions: [], codeBlocks: [], deleted: true });
    }
  },
};
