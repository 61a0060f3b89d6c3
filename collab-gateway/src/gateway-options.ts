/** Every limit of the gateway is a named option with a default (gateway-config.ts reads the RESOFT_COLLAB_* variables that set them). */
export interface GatewayOptions {
  /** Largest frame accepted, in bytes; larger ones close the socket with 1009. */
  readonly maxMessageBytes: number;
  /** Frames received but not yet handled, per connection; more closes with 4429. */
  readonly maxQueuedFrames: number;
  /** Bytes queued for a client that does not read; more closes with 4408. */
  readonly maxBufferedBytes: number;
  /** Documents one connection may have open at once. */
  readonly maxOpenDocuments: number;
  /** Rooms one connection may have joined at once. */
  readonly maxRoomsPerConnection: number;
  /** Connections one room admits on this instance; the next one is closed with 4409. */
  readonly maxConnectionsPerRoom: number;
  /** Frames per second one user may send (all their connections on this instance); sustained excess closes with 4429. */
  readonly userFramesPerSecond: number;
  /** How long incoming document changes are gathered into one stored event (at most 20 ms). */
  readonly flushMs: number;
  /** Presence entries live this long without a heartbeat. */
  readonly presenceTtlMs: number;
  /** Server pings at this interval; a socket that has not answered the previous ping is closed. */
  readonly pingIntervalMs: number;
  /** Most events replayed to a reconnecting client; beyond it the client is told to refetch. */
  readonly resumeLimit: number;
  /** Open connections one user may have on this instance; the next one is closed with 4429. */
  readonly maxConnectionsPerUser: number;
  /** Users per presence frame: a larger room's pushes carry the first page (online first) and `total`; `collaboration:presence_list` pages on. */
  readonly presencePageSize: number;
  /** On stop, how long connections get to answer the close handshake before they are cut. */
  readonly closeGraceMs: number;
}

export const defaultGatewayOptions: GatewayOptions = {
  maxMessageBytes: 1_048_576,
  maxQueuedFrames: 256,
  maxBufferedBytes: 8 * 1_048_576,
  maxOpenDocuments: 32,
  maxRoomsPerConnection: 32,
  maxConnectionsPerRoom: 500,
  userFramesPerSecond: 1000,
  flushMs: 15,
  presenceTtlMs: 30_000,
  pingIntervalMs: 15_000,
  resumeLimit: 2_000,
  maxConnectionsPerUser: 20,
  closeGraceMs: 1000,
  presencePageSize: 100,
};
