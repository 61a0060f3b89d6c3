/** Answer of the erasure routes (issue 13): the user's data key is destroyed and the erasure recorded. */
import { z } from 'zod';
import { Position } from '../http/written.js';

export const UserErasedAnswer = z.object({ erased: z.literal(true), position: Position });
