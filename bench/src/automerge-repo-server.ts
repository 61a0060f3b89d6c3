/**
 * For the collaboration benchmark only: the smallest automerge-repo sync server (a Repo with the
 * WebSocket server adapter, no storage), run as a child process so it is measured like the gateway.
 * Prints `listening <port>`.
 */
import { Repo } from '@automerge/automerge-repo';
import { NodeWSServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env['PORT'] ?? 0) });
new Repo({ network: [new NodeWSServerAdapter(wss as never)], sharePolicy: async () => true });
wss.on('listening', () => {
  const address = wss.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : String(address)}`);
});
process.on('SIGTERM', () => wss.close(() => process.exit(0)));
