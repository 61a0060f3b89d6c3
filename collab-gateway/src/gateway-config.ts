/**
 * The gateway's settings: its limits as RESOFT_COLLAB_* variables. Each default is the one of
 * `defaultGatewayOptions` (gateway-options.ts says what each limit bounds), so a limit is declared
 * in one place.
 */
import { z } from 'zod';
import { positiveIntSetting as positiveInt } from '@resoft/infra/config';
import { defaultGatewayOptions as defaults, type GatewayOptions } from './gateway-options.js';

export const gatewayConfigSchema = z.object({
  RESOFT_COLLAB_MAX_MESSAGE_BYTES: positiveInt(defaults.maxMessageBytes),
  RESOFT_COLLAB_MAX_OPEN_DOCUMENTS: positiveInt(defaults.maxOpenDocuments),
  RESOFT_COLLAB_MAX_ROOMS: positiveInt(defaults.maxRoomsPerConnection),
  RESOFT_COLLAB_MAX_CONNECTIONS_PER_ROOM: positiveInt(defaults.maxConnectionsPerRoom),
  RESOFT_COLLAB_FRAMES_PER_SECOND: positiveInt(defaults.userFramesPerSecond),
  /** Changes gathered into one stored event for at most 20 ms. */
  RESOFT_COLLAB_FLUSH_MS: z.coerce.number().int().min(1).max(20).default(defaults.flushMs),
  RESOFT_COLLAB_PING_MS: positiveInt(defaults.pingIntervalMs),
  RESOFT_COLLAB_PRESENCE_TTL_MS: positiveInt(defaults.presenceTtlMs),
  RESOFT_COLLAB_RESUME_LIMIT: positiveInt(defaults.resumeLimit),
  /** Open WebSocket connections one user may have on one gateway instance. */
  RESOFT_COLLAB_MAX_CONNECTIONS_PER_USER: positiveInt(defaults.maxConnectionsPerUser),
});

/** The gateway limits an operator sets; the others keep their defaults. */
export type CollabConfig = Pick<GatewayOptions, 'maxMessageBytes' | 'maxOpenDocuments' | 'maxRoomsPerConnection' | 'maxConnectionsPerRoom' | 'userFramesPerSecond' | 'flushMs' | 'pingIntervalMs' | 'presenceTtlMs' | 'resumeLimit' | 'maxConnectionsPerUser'>;

export interface GatewayConfig {
  readonly collab: CollabConfig;
}

export function gatewayConfig(c: z.output<typeof gatewayConfigSchema>): GatewayConfig {
  return {
    collab: {
      maxMessageBytes: c.RESOFT_COLLAB_MAX_MESSAGE_BYTES,
      maxOpenDocuments: c.RESOFT_COLLAB_MAX_OPEN_DOCUMENTS,
      maxRoomsPerConnection: c.RESOFT_COLLAB_MAX_ROOMS,
      maxConnectionsPerRoom: c.RESOFT_COLLAB_MAX_CONNECTIONS_PER_ROOM,
      userFramesPerSecond: c.RESOFT_COLLAB_FRAMES_PER_SECOND,
      flushMs: c.RESOFT_COLLAB_FLUSH_MS,
      pingIntervalMs: c.RESOFT_COLLAB_PING_MS,
      presenceTtlMs: c.RESOFT_COLLAB_PRESENCE_TTL_MS,
      resumeLimit: c.RESOFT_COLLAB_RESUME_LIMIT,
      maxConnectionsPerUser: c.RESOFT_COLLAB_MAX_CONNECTIONS_PER_USER,
    },
  };
}
