/**
 * Listens with an Express app and stops it by draining: no new connections, in-flight requests
 * finish, idle ones close, and whatever is still open when the drain bound runs out — a keep-alive
 * connection mid-request, a WebSocket whose peer never answers the close, an upgrade that never
 * completed — is destroyed, so a stop always ends within the bound.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';
import type { Config } from './app-config.js';

// A deep accept queue, so a burst of connections (1000 at once in the benchmark) waits instead of having SYNs dropped and retried seconds later.
const LISTEN_BACKLOG = 4096;

export interface HttpListener {
  readonly port: number;
  /** The Node server, for upgrade handlers such as the collaboration gateway. */
  readonly server: Server;
  close(): Promise<void>;
}

export async function listen(app: Express, config: Pick<Config, 'port' | 'host' | 'shutdownDrainMs'>): Promise<HttpListener> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, LISTEN_BACKLOG, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  // Every socket, upgraded ones included: `closeAllConnections` knows only the HTTP ones, and an
  // upgraded socket that is never closed keeps `server.close` waiting for ever.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => {
          server.closeAllConnections();
          for (const socket of sockets) socket.destroy();
        }, config.shutdownDrainMs).unref();
      }),
  };
}
