import { given } from '../shared/given-when-then.js';
import { inboxDecider, type InboxCommand, type InboxEvent } from './inbox.js';

const USER = 'u-ann';
const mark = (notificationIds: string[], upToPosition: number | null = null): InboxCommand => ({ type: 'MarkNotificationsRead', userId: USER, notificationIds, upToPosition });
const read = (notificationIds: string[], upToPosition: number | null = null): InboxEvent => ({ type: 'NotificationsRead', data: { userId: USER, notificationIds, upToPosition } });

describe('marking notifications read', () => {
  it('records the named notifications once each', () => {
    given(inboxDecider).when(mark(['e1:u-ann', 'e2:u-ann', 'e1:u-ann'])).thenEmits([read(['e1:u-ann', 'e2:u-ann'])]);
  });

  it('moves "read up to" forward only: an older position changes nothing', () => {
    given(inboxDecider).when(mark([], 40)).thenEmits([read([], 40)]);
    given(inboxDecider, [read([], 40)]).when(mark([], 30)).thenEmitsNothing();
    given(inboxDecider, [read([], 40)]).when(mark(['e9:u-ann'], 30)).thenEmits([read(['e9:u-ann'], null)]);
  });

  it('refuses a command that names nothing', () => {
    given(inboxDecider).when(mark([])).thenRejects('invalid', 'nothing_to_mark');
  });
});
