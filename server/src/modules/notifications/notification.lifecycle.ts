import type { Lifecycle } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import type { NotificationState } from './notification.record.ts';
import { NotificationErrors } from './errors.ts';
import { notificationEvents } from './events.ts';

// A notification's one user action, declared once: its addressee marks it read (unsigned). The
// e-mail side (queued → sent / skipped / failed) is the outbox's, written by the system (outbox.ts).
export const notificationLifecycle: Lifecycle<NotificationState> = {
  record: 'notification',
  initial: 'unread',
  states: ['unread', 'read'],
  final: ['read'],
  transitions: [
    {
      name: 'mark_read',
      from: ['unread'],
      to: 'read',
      who: (u, n) => u.id === n.userId,
      whoRefusal: refusal(NotificationErrors.NOT_YOUR_NOTIFICATION()),
      event: () => notificationEvents.change('notification.read', {}),
    },
  ],
  stateOf: (n) => (n.read ? 'read' : 'unread'),
  wrongState: () => refusal(NotificationErrors.NOTIFICATION_ALREADY_READ()),
};
