/**
 * The collaboration socket's close codes: WebSocket's private range, numbered after the HTTP status
 * they resemble. The gateway closes with them; clients (the typed client, the UI) decide on them
 * (refresh the token after `unauthorized`, reconnect after `goingAway`), so both read this one table.
 */
export const CloseCodes = {
  /** Malformed frame: not JSON, unknown type, fields that fail the schema, a bad binary header. */
  badFrame: 4400,
  /** No, invalid or expired access token (also sent when the token expires mid-session). */
  unauthorized: 4401,
  /** The client stopped reading: too many messages queued for it. */
  slowConsumer: 4408,
  /** The room already has the most connections it allows. */
  roomFull: 4409,
  /** The client kept sending far over its rate limit. */
  rateLimited: 4429,
  /** The gateway is shutting down; reconnect (to another instance). */
  goingAway: 1001,
  /** A frame larger than the message-size limit (WebSocket's own code). */
  tooLarge: 1009,
} as const;

export type CloseCode = (typeof CloseCodes)[keyof typeof CloseCodes];
