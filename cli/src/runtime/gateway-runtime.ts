/** Starts the collaboration gateway on an HTTP server, with the command side's collaboration commands built on the same event store. */
import type { Server } from 'node:http';
import { CollabGateway } from '@resoft/collab-gateway';
import { CollaborationCommands, type CommandServiceDeps } from '@resoft/command-service';
import type { AccessTokens, Config, Logger } from '@resoft/infra';
import type { Stores } from './open-stores.js';

export async function startGateway(config: Config, stores: Stores, tokens: AccessTokens, commandDeps: CommandServiceDeps, server: Server, logger: Logger): Promise<CollabGateway> {
  const gateway = new CollabGateway({
    store: stores.events,
    readStore: stores.readModels,
    ephemeral: stores.ephemeral,
    tokens,
    commands: new CollaborationCommands(commandDeps.executor, commandDeps.rooms, commandDeps.files),
    logger: logger.child({ component: 'collab-gateway' }),
    options: config.collab,
  });
  await gateway.start();
  gateway.attach(server);
  return gateway;
}
