/** Opens the embedded stores named by the configuration (SQLite files under the data directory). */
import fs from 'node:fs';
import { SqliteEventStore, SqliteReadStore, type Config, type EventStore, type ReadStore } from '@resoft/infra';

export interface Stores {
  readonly events: EventStore;
  readonly readModels: ReadStore;
}

export async function openStores(config: Config): Promise<Stores> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const events = new SqliteEventStore({ file: config.eventStoreFile, synchronous: config.sqliteSynchronous, subscriptionFallbackMs: config.eventPollMs });
  const readModels = new SqliteReadStore({ file: config.readStoreFile });
  return { events, readModels };
}
