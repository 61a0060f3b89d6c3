/**
 * A user's inbox, one `inbox-<userId>` stream: the notifications themselves are derived from other
 * streams' events by a projection; the only facts recorded here are what the user marked read, so
 * read/unread survives reloads and devices. Either some notifications by id, or everything up to a
 * global position ("mark all read" names the newest position the user saw, not "now").
 */
import type { Decider } from '../shared/decider.js';
import { reject } from '../shared/domain-error.js';

export type InboxEvent = { type: 'NotificationsRead'; data: { userId: string; notificationIds: string[]; upToPosition: number | null } };

export interface InboxState {
  /** Everything at or before this position was marked read. */
  readonly readUpTo: number;
}

export type InboxCommand = { type: 'MarkNotificationsRead'; userId: string; notificationIds: readonly string[]; upToPosition: number | null };

export const inboxStreamId = (userId: string): string => `inbox-${userId}`;

/** A notification's id: the event it was derived from and the user it is for, so a replay derives the same one. */
export const notificationId = (eventId: string, userId: string): string => `${eventId}:${userId}`;

function decide(command: InboxCommand, state: InboxState): InboxEvent[] {
  const { userId, upToPosition } = command;
  if (command.notificationIds.length === 0 && upToPosition === null) reject('invalid', 'nothing_to_mark', 'Name the notifications to mark read, or a position to mark everything up to');
  const notificationIds = [...new Set(command.notificationIds)];
  // Marking up to a position already covered changes nothing: no event.
  const moves = upToPosition !== null && upToPosition > state.readUpTo;
  if (notificationIds.length === 0 && !moves) return [];
  return [{ type: 'NotificationsRead', data: { userId, notificationIds, upToPosition: moves ? upToPosition : null } }];
}

function evolve(state: InboxState, event: InboxEvent): InboxState {
  const upTo = event.data.upToPosition;
  return upTo !== null && upTo > state.readUpTo ? { readUpTo: upTo } : state;
}

export const inboxDecider: Decider<InboxCommand, InboxState, InboxEvent> = { initialState: () => ({ readUpTo: 0 }), decide, evolve };
