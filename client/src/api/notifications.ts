import { request } from './request';
import type { BilingualText, LocaleCode } from './types';

export type DeliveryMode = 'immediately' | 'digest' | 'off';

/** One of my notifications (a new task of my inbox) as GET /notifications returns it. */
export interface AppNotification {
  id: string;
  kind: string;
  number: string;
  title: BilingualText;
  revision: string;
  due: string | null;
  link: { route: string; id: string };
  queuedAt: string;
  delivery: 'queued' | 'sent' | 'skipped' | 'failed';
  digest: boolean;
  sentAt: string | null;
  read: boolean;
  version: number;
  actions: Array<{ action: string }>;
}

export interface NotificationPreferences {
  locale: LocaleCode;
  kinds: Record<string, DeliveryMode>;
  /** Whether the server has an SMTP server configured (no: in-app only). */
  email: boolean;
  digestHourUtc: number;
}

export const notificationsApi = {
  list: () => request<{ unread: number; items: AppNotification[] }>('/notifications'),
  unread: () => request<{ unread: number }>('/notifications/unread', { silent: true, noAuthRedirect: true }),
  markRead: (id: string, version: number) =>
    request<AppNotification>(`/notifications/${id}/read`, { method: 'POST', body: { version } }),
  markAllRead: () => request<{ read: number }>('/notifications/read-all', { method: 'POST' }),
  preferences: () => request<NotificationPreferences>('/notifications/preferences'),
  savePreferences: (body: { locale?: LocaleCode; kinds: Record<string, DeliveryMode> }) =>
    request<NotificationPreferences>('/notifications/preferences', { method: 'PUT', body }),
};
