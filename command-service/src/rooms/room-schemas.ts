/** Bodies and path parameters of the room and chat endpoints. */
import { z } from 'zod';
import { CHAT_TEXT_MAX_LENGTH } from '@resoft/contracts';
import { uuidSchema } from '@resoft/http-kit';

export const roomParams = z.object({ roomId: uuidSchema });
export const messageParams = z.object({ roomId: uuidSchema, messageId: uuidSchema });

export const createRoomBody = z.strictObject({
  projectId: uuidSchema,
  name: z.string().trim().min(1, 'must not be empty').max(120),
  description: z.string().max(2000).default(''),
});

const chatText = z.string().min(1, 'must not be empty').max(CHAT_TEXT_MAX_LENGTH, `must be at most ${CHAT_TEXT_MAX_LENGTH} characters`).refine((t) => t.trim().length > 0, 'must not be blank');

export const postChatBody = z.strictObject({ roomId: uuidSchema, text: chatText });
export const editChatBody = z.strictObject({ text: chatText });
