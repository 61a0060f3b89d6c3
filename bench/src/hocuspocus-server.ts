/**
 * For the collaboration benchmark only: a Hocuspocus 3 server with its default settings (no
 * extensions, no persistence), run as a child process so it is measured like the gateway.
 * Prints `listening <port>`.
 */
import { Server } from '@hocuspocus/server';

const server = new Server({ port: Number(process.env['PORT'] ?? 0), address: '127.0.0.1', quiet: true, stopOnSignals: false });
await server.listen();
console.log(`listening ${server.address.port}`);
process.on('SIGTERM', () => void server.destroy().finally(() => process.exit(0)));
