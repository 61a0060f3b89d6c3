/**
 * After a late-lock race the command side refuses changes that gateway instances have already
 * applied: the author's instance hears the refusal and reloads its copy from the store, but every
 * other instance that holds the document received those changes over the document's shared channel
 * and would keep them (and every later change there would depend on one that is not stored). So the
 * instance that heard the refusal tells the others, on that same channel, to reload too. The notice
 * travels after the changes it undoes (one channel, one publisher: in order).
 */
export const RELOAD_KIND = 'reload';

/** The notice as published on the document's channel (`collab:doc:<fileId>`). */
export function reloadNotice(instanceId: string): string {
  return JSON.stringify({ from: instanceId, kind: RELOAD_KIND });
}

/** Whether a message from the document's channel asks this instance to reload the document from the store. */
export function isReloadNotice(message: { from?: unknown; kind?: unknown }, ownInstanceId: string): boolean {
  return message.kind === RELOAD_KIND && message.from !== ownInstanceId;
}
