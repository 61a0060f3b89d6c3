export * from './protocol/protocol.js';
export * from './gateway-options.js';
export * from './gateway-ports.js';
export * from './collab-gateway.js';
