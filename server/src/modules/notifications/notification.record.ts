import { createHash } from 'node:crypto';
import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import type { Projected } from '../../records/projector.ts';
import { notificationEvents, notificationPrefsEvents, type DeliveryMode } from './events.ts';
import { notificationLifecycle } from './notification.lifecycle.ts';

/** E-mail attempts before a notification is given up as failed (it stays in the app). */
export const MAX_ATTEMPTS = 5;

// A notification: one person, one task of their inbox (ISO 13485:2016 5.5.3 internal communication:
// people learn of the work that waits for them). Its e-mail is the outbox entry: queued → sent,
// skipped, or failed after MAX_ATTEMPTS; read/unread is the in-app side. Events: events.ts.
export interface NotificationState {
  id: string;
  userId: string;
  userName: string;
  key: string;
  kind: string;
  number: string;
  title: { zh: string; en: string };
  revision: string;
  due: string | null;
  link: { route: string; id: string };
  queuedAt: string;
  delivery: 'queued' | 'sent' | 'skipped' | 'failed';
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  digest: boolean;
  skipped: string | null;
  read: boolean;
  readAt: string | null;
}
export type NotificationDoc = Projected<NotificationState>;

export const NOTIFICATIONS = 'notifications';
declareIndexes(NOTIFICATIONS, [
  { key: { userId: 1, queuedAt: -1 }, name: 'user_queued' },
  { key: { delivery: 1 }, name: 'delivery' },
]);

/** The idempotency key: one stream per person and task, so enqueueing twice appends once. */
export const notificationId = (userId: string, taskKey: string) =>
  `${userId}.${createHash('sha256').update(taskKey).digest('hex').slice(0, 24)}`;

function reduce(s: NotificationState | undefined, event: LedgerEvent): NotificationState {
  const e = notificationEvents.typed(event);
  if (e.type === 'notification.queued') {
    const d = e.data;
    return {
      id: e.stream.slice('notification:'.length),
      userId: d.user.id,
      userName: d.user.name,
      key: d.key,
      kind: d.kind,
      number: d.number,
      title: d.title,
      revision: d.revision,
      due: d.due,
      link: d.link,
      queuedAt: e.at,
      delivery: 'queued',
      attempts: 0,
      lastError: null,
      sentAt: null,
      digest: false,
      skipped: null,
      read: false,
      readAt: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before notification.queued`);
  switch (e.type) {
    case 'notification.sent':
      return { ...s, delivery: 'sent', sentAt: e.at, digest: e.data.digest, lastError: null };
    case 'notification.failed':
      return {
        ...s,
        attempts: e.data.attempt,
        lastError: e.data.error,
        delivery: e.data.attempt >= MAX_ATTEMPTS ? 'failed' : 'queued',
      };
    case 'notification.skipped':
      return { ...s, delivery: 'skipped', skipped: e.data.reason };
    case 'notification.read':
      return { ...s, read: true, readAt: e.at };
    default:
      return s;
  }
}

export const notificationRecord = defineRecordType<NotificationState>({
  type: 'notification',
  collection: NOTIFICATIONS,
  reduce,
  content: (s) => ({ userId: s.userId, key: s.key, kind: s.kind, number: s.number }),
  events: notificationEvents,
  lifecycle: notificationLifecycle,
  canRead: (user, s) => user.id === s.userId,
});

/** A person's notification settings and the tasks they had when notifications started for them. */
export interface NotificationPrefsState {
  userId: string;
  locale: 'zh-CN' | 'en-US';
  kinds: Record<string, DeliveryMode>;
  /** null until the first pass saw this person (their inbox then is the baseline, never notified). */
  watchKeys: string[] | null;
  changedAt: string | null;
}
export type NotificationPrefsDoc = Projected<NotificationPrefsState>;
export const NOTIFICATION_PREFS = 'notification_prefs';

function reducePrefs(s: NotificationPrefsState | undefined, event: LedgerEvent): NotificationPrefsState {
  const e = notificationPrefsEvents.typed(event);
  const base: NotificationPrefsState = s ?? {
    userId: e.stream.slice('notification_prefs:'.length),
    locale: 'en-US',
    kinds: {},
    watchKeys: null,
    changedAt: null,
  };
  if (e.type === 'notification.preferences_set')
    return { ...base, locale: e.data.locale, kinds: e.data.kinds, changedAt: e.at };
  if (e.type === 'notification.watch_started') return { ...base, watchKeys: e.data.keys };
  return base;
}

export const notificationPrefsRecord = defineRecordType<NotificationPrefsState>({
  type: 'notification_prefs',
  collection: NOTIFICATION_PREFS,
  reduce: reducePrefs,
  content: (s) => ({ userId: s.userId, locale: s.locale, kinds: s.kinds }),
  events: notificationPrefsEvents,
  canRead: (user, s) => user.id === s.userId,
});
