/**
 * What reading a file's history needs from the event store: one stream's events. Declared here, as
 * the narrowest port these reads use, so documents/ depends on no store package (any `EventStore`
 * is one).
 */
import type { RecordedEvent } from '@resoft/domain';

export interface EventStreamReader {
  /** Events of one stream; an empty array when the stream does not exist. */
  readStream(streamId: string, options?: { readonly fromRevision?: number; readonly maxCount?: number; readonly direction?: 'forwards' | 'backwards' }): Promise<RecordedEvent[]>;
}
