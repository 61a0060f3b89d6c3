/** Opens the collaboration gateway of the page's own server with the API client's token (refreshed after the gateway said it expired). */
import { CollabClient } from '../../../collab-gateway/src/client/collab-client.js';
import type { ApiClient } from '../api/api-client.js';

export { CollabClient };
export type { ClientDocument, RemoteCursor } from '../../../collab-gateway/src/client/client-document.js';

const UNAUTHORIZED = 4401;

export function gatewayUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

export function connectCollaboration(api: ApiClient): CollabClient {
  const client: CollabClient = new CollabClient({
    url: gatewayUrl(location),
    token: async () => {
      if (client.lastCloseCode === UNAUTHORIZED) await api.refresh();
      return api.accessToken();
    },
  });
  return client;
}
