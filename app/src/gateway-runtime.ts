/** Starts the collaboration gateway on an HTTP server, with the command side's collaboration commands built on the same event store. */
import type { Server } from 'node:http';
import { CollabGateway } from '@resoft/collab-gateway';
import { CollaborationCommands, type CommandServiceDeps } from '@resoft/command-service';
import type { AccessTokens, Logger, Metrics } from '@resoft/infra';
import type { Config } from './app-config.js';
import type { Stores } from './open-stores.js';

export async function startGateway(config: Config, stores: Stores, tokens: AccessTokens, commandDeps: CommandServiceDeps, server: Server, logger: Logger, metrics?: Metrics): Promise<CollabGateway> {
  const gateway = new CollabGateway({
    store: stores.events,
    readStore: stores.readModels,
    ephemeral: stores.ephemeral,
    tokens,
    commands: new CollaborationCommands(commandDeps.executor, commandDeps.rooms, commandDeps.files, commandDeps.chatPosts),
    logger: logger.child({ component: 'collab-gateway' }),
    // Sockets get half the drain bound to answer the close handshake; the HTTP listener cuts the rest at the bound.
    options: { ...config.collab, closeGraceMs: Math.min(1000, Math.floor(config.shutdownDrainMs / 2)) },
    ...(metrics ? { metrics } : {}),
  });
  await gateway.start();
  gateway.attach(server);
  return gateway;
}
