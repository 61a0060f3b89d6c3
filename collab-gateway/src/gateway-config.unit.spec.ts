import { parseSettings } from '@resoft/infra/config';
import { gatewayConfig, gatewayConfigSchema } from './gateway-config.js';
import { defaultGatewayOptions } from './gateway-options.js';

const read = (env: Record<string, string>) => gatewayConfig(parseSettings(gatewayConfigSchema, env)).collab;

describe('the gateway settings', () => {
  it('default to the gateway options the gateway runs with when nothing is set', () => {
    const collab = read({});
    for (const [name, value] of Object.entries(collab)) expect([name, value]).toEqual([name, defaultGatewayOptions[name as keyof typeof collab]]);
  });

  it('take each limit from its RESOFT_COLLAB_* variable and refuse a flush window beyond 20 ms', () => {
    expect(read({ RESOFT_COLLAB_MAX_MESSAGE_BYTES: '2048', RESOFT_COLLAB_MAX_ROOMS: '3', RESOFT_COLLAB_MAX_CONNECTIONS_PER_USER: '5' })).toMatchObject({ maxMessageBytes: 2048, maxRoomsPerConnection: 3, maxConnectionsPerUser: 5 });
    expect(() => read({ RESOFT_COLLAB_FLUSH_MS: '50' })).toThrow(/RESOFT_COLLAB_FLUSH_MS/);
  });
});
