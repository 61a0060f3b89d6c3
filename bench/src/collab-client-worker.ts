/** A worker thread of `bench:collab` holding some of a level's editors (see collab-client-threads.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { ClientHost, type HostSetup } from './collab-client-host.js';

const port = parentPort!;
const host = await ClientHost.create(workerData as HostSetup);
port.postMessage({ id: 0, result: { documentUrl: host.documentUrl } });
port.on('message', (call: { id: number; method: 'type' | 'settle' | 'report' | 'texts' | 'close'; args: unknown[] }) => {
  const run = async (): Promise<unknown> => {
    switch (call.method) {
      case 'type': return host.type(call.args[0] as Parameters<ClientHost['type']>[0]);
      case 'settle': return host.settle(call.args[0] as number[], call.args[1] as number);
      case 'report': return host.report();
      case 'texts': return host.texts();
      case 'close': {
        host.close();
        return null;
      }
    }
  };
  run().then((result) => port.postMessage({ id: call.id, result }), (error: unknown) => port.postMessage({ id: call.id, error: String(error) }));
});
