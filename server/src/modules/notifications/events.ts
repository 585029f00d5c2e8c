import { z } from 'zod';
import { defineEvents } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

/** How a person wants to hear about one kind of task: an e-mail at once, one daily digest, or none. */
export const DELIVERY_MODES = ['immediately', 'digest', 'off'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

// What can happen to a notification (stream `notification:<userId>.<hash of the task key>`, one per
// person and inbox task: the stream id is the idempotency key, so a second enqueue is a no-op) and
// to a person's notification settings (stream `notification_prefs:<userId>`). Ledger shapes.
export const notificationEvents = defineEvents('notifications', {
  /** A new task appeared in the person's inbox: the outbox entry, queued for the e-mail channel. */
  'notification.queued': z.object({
    user: z.object({ id: z.string(), name: z.string() }),
    key: z.string(),
    kind: z.string(),
    number: z.string(),
    title: BilingualView,
    revision: z.string(),
    due: z.string().nullable(),
    link: z.object({ route: z.string(), id: z.string() }),
  }),
  /** The SMTP server accepted the message (written only after it did). */
  'notification.sent': z.object({ digest: z.boolean(), messageId: z.string(), to: z.string() }),
  /** An attempt failed (the reason without credentials); retried until MAX_ATTEMPTS. */
  'notification.failed': z.object({ attempt: z.number().int().min(1), error: z.string().max(500) }),
  /** No e-mail: the person turned this kind off, has no address, or no SMTP server is configured. */
  'notification.skipped': z.object({ reason: z.enum(['off', 'no_smtp', 'no_address']) }),
  /** The person read it in the app. */
  'notification.read': z.object({}),
});

export const notificationPrefsEvents = defineEvents('notification_prefs', {
  /** The person's choices per task kind (kinds not named: immediately) and the language of their e-mail. */
  'notification.preferences_set': z.object({
    locale: z.enum(['zh-CN', 'en-US']),
    kinds: z.record(z.string(), z.enum(DELIVERY_MODES)),
  }),
  /** The tasks already in the inbox when notifications started for this person (never notified). */
  'notification.watch_started': z.object({ keys: z.array(z.string()) }),
});
