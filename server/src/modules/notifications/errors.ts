import { defineErrors } from '../../platform/errorCatalog.ts';

// The notifications context's domain errors, each declared once.
export const NotificationErrors = defineErrors('notifications', {
  NOT_YOUR_NOTIFICATION: {
    status: 403,
    en: 'This notification is addressed to someone else.',
    zh: '该通知发给了其他人。',
  },
  NOTIFICATION_ALREADY_READ: { status: 409, en: 'This notification is already read.', zh: '该通知已读。' },
});
