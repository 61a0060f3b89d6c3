/** Small zod pieces the HTTP layers share: ids in paths, positions, paging. */
import { z } from 'zod';

export const uuidSchema = z.uuid({ message: 'must be a UUID' });

/** `?after=<position>`: read-your-writes consistency token from a write's answer. */
export const afterPositionSchema = z.coerce.number().int().min(0).optional().describe('Wait until the read models have reached this global position (from a write answer)');

export const pageLimitSchema = z.coerce.number().int().min(1).max(200).default(50);
