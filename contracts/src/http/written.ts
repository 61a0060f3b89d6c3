/** What a command answers: where its event landed in the global log, so a read can wait for it. */
import { z } from 'zod';

export const Position = z.number().int().min(0).describe('Global position of the last event the command recorded: pass it to a read as `?after=` to read your own write');

/** A command that changed something that already existed. */
export const Written = z.object({ position: Position });
export type Written = z.infer<typeof Written>;

/** A command that created something: its new id, and the position. */
export const Created = z.object({ id: z.string(), position: Position });
export type Created = z.infer<typeof Created>;

/** An ISO-8601 UTC timestamp, as every answer writes times. */
export const Timestamp = z.string().describe('ISO-8601 time, UTC');

/** A list answer: `items`, and for time-travel reads (`?asOf=`) the moment it reflects. */
export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), asOf: z.string().optional().describe('Echoes `?asOf=` on a time-travel read') });
