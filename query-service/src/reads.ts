/**
 * The read functions other services call (`@resoft/query-service/reads`): they know nothing of HTTP or
 * sockets, so the gateway answers a frame with the same read and the same rule as the HTTP route.
 */
export * from './chat/chat-history.js';
