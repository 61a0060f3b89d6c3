/** Opens the collaboration gateway of the page's own server with the API client's token (refreshed after the gateway said it expired). */
import { CollabClient } from '@resoft/collab-client';
import { CloseCodes } from '@resoft/contracts/socket';
import type { ApiClient } from '../api/api-client.js';

export { CollabClient };
export type { ClientDocument, RemoteCursor } from '@resoft/collab-client';

export function gatewayUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

export function connectCollaboration(api: ApiClient): CollabClient {
  const client: CollabClient = new CollabClient({
    url: gatewayUrl(location),
    token: async () => {
      if (client.lastCloseCode === CloseCodes.unauthorized) await api.refresh();
      return api.accessToken();
    },
  });
  return client;
}
