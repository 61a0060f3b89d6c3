/** The MongoDB client options every Resoft store uses: each engine call has a deadline, so nothing waits for ever on a stuck server. */
import type { MongoClientOptions } from 'mongodb';

export const DEFAULT_OPERATION_TIMEOUT_MS = 5000;

export function mongoClientOptions(appName: string, operationTimeoutMs = DEFAULT_OPERATION_TIMEOUT_MS): MongoClientOptions {
  return { appName, serverSelectionTimeoutMS: operationTimeoutMs, connectTimeoutMS: operationTimeoutMs, socketTimeoutMS: operationTimeoutMs, waitQueueTimeoutMS: operationTimeoutMs };
}
