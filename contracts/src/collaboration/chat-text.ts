/** The longest chat message, in characters: the same bound for a post over HTTP and over the socket. */
export const CHAT_TEXT_MAX_LENGTH = 10_000;
