import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { errors } from '../../platform/errors.ts';
import { currentLocale } from '../../platform/context.ts';
import { optional, RecordVersion } from '../../platform/fields.ts';
import { msg } from '../../platform/schemas.ts';
import { availableActions, describeLifecycle } from '../../records/lifecycle.ts';
import { streamOf } from '../../records/registry.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { mutate } from '../../records/ledgerOps.ts';
import { journaled } from '../../records/commandJournal.ts';
import { allTaskSources } from '../../records/contributions.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { DELIVERY_MODES, notificationPrefsEvents } from './events.ts';
import { notificationLifecycle } from './notification.lifecycle.ts';
import type { NotificationDoc, NotificationPrefsState } from './notification.record.ts';
import { notifications, prefsOf, runPass } from './outbox.ts';
import { emailEnabled } from './mail.ts';

/** The only shape of a notification that leaves the server (its addressee's). */
function present(n: NotificationDoc, user: SessionUser) {
  return {
    id: n._id,
    kind: n.kind,
    number: n.number,
    title: n.title,
    revision: n.revision,
    due: n.due,
    link: n.link,
    queuedAt: n.queuedAt,
    delivery: n.delivery,
    digest: n.digest,
    sentAt: n.sentAt,
    read: n.read,
    version: n.ledgerVersion,
    actions: availableActions(notificationLifecycle, n, user),
  };
}

async function ownNotification(s: Services, user: SessionUser, id: string) {
  const n = await notifications(s).findOne({ _id: id });
  if (!n || n.userId !== user.id) throw errors.notFound('notification'); // someone else's: as if absent
  return n;
}

const ReadBody = z.object({ version: optional(RecordVersion) }).strict();
const BulkReadBody = z
  .object({
    ids: z.array(z.string().min(1).max(100)).min(1).max(200, msg('at most 200 notifications', '最多 200 条通知')),
  })
  .strict();
const RunBody = z.object({ digest: z.boolean().default(false) }).strict();
const Mode = z.enum(DELIVERY_MODES, msg('immediately, digest or off', '应为 immediately、digest 或 off'));

export function notificationRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  const kinds = [...new Set(allTaskSources().flatMap((x) => [...x.kinds]))];
  // one optional field per known task kind: an unknown kind or anything but a mode is refused (400)
  const PrefsBody = z
    .object({
      locale: optional(z.enum(['zh-CN', 'en-US'])),
      kinds: z.object(Object.fromEntries(kinds.map((k) => [k, optional(Mode)]))).strict(),
    })
    .strict();
  const presentPrefs = (p: NotificationPrefsState) => ({
    locale: p.locale,
    kinds: Object.fromEntries(kinds.map((k) => [k, p.kinds[k] ?? 'immediately'])),
    email: emailEnabled(s),
    digestHourUtc: s.config.NOTIFY_DIGEST_HOUR,
  });

  route(
    r,
    {
      method: 'get',
      path: '/notifications',
      tag: 'notifications',
      summary: 'My notifications (the latest 100) and how many are unread',
      access: 'authenticated',
    },
    async ({ user }) => {
      const list = await notifications(s).find({ userId: user.id }).sort({ queuedAt: -1 }).limit(100).toArray();
      const unread = await notifications(s).countDocuments({ userId: user.id, read: false });
      return { unread, items: list.map((n) => present(n, user)) };
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/notifications/unread',
      tag: 'notifications',
      summary: 'How many of my notifications are unread (the bell)',
      access: 'authenticated',
    },
    async ({ user }) => ({ unread: await notifications(s).countDocuments({ userId: user.id, read: false }) }),
  );
  route(
    r,
    {
      method: 'post',
      path: '/notifications/:id/read',
      tag: 'notifications',
      summary: 'Mark one of my notifications read',
      access: 'authenticated',
      params: IdParams,
      body: ReadBody,
    },
    async ({ params, body, user }) => {
      await ownNotification(s, user, params.id);
      await runCommand(s, user, streamOf('notification', params.id), 'mark_read', body);
      return present(await ownNotification(s, user, params.id), user);
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/notifications/read-all',
      tag: 'notifications',
      summary: 'Mark all my notifications read',
      access: 'authenticated',
    },
    async ({ user }) => {
      const unread = await notifications(s).find({ userId: user.id, read: false }).limit(1000).toArray();
      for (const n of unread) await runCommand(s, user, streamOf('notification', n._id), 'mark_read', {});
      return { read: unread.length };
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/notifications/actions/mark-read-bulk',
      tag: 'notifications',
      summary: 'Mark several of my notifications read (≤ 200; all or nothing)',
      access: 'authenticated',
      body: BulkReadBody,
    },
    async ({ body, user }) => {
      const ids = [...new Set(body.ids)];
      // every id judged before any write: someone else's or an unknown one is a 404 (as if absent)
      for (const id of ids) await ownNotification(s, user, id);
      // one journaled command: a refusal on any of them (already read) writes none of them
      await journaled(s, async () => {
        for (const id of ids) await runCommand(s, user, streamOf('notification', id), 'mark_read', {});
      });
      return { read: ids.length };
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/notifications/preferences',
      tag: 'notifications',
      summary: 'How I am notified of each kind of task (immediately / daily digest / off) and in which language',
      access: 'authenticated',
    },
    async ({ user }) => presentPrefs(await prefsOf(s, user.id)),
  );
  route(
    r,
    {
      method: 'put',
      path: '/notifications/preferences',
      tag: 'notifications',
      summary: 'Set how I am notified of each kind of task (kinds not named keep their setting)',
      access: 'authenticated',
      body: PrefsBody,
    },
    async ({ body, user }) => {
      const stream = streamOf('notification_prefs', user.id);
      await asUser(user, () =>
        mutate<NotificationPrefsState>(s, stream, undefined, (st) => {
          const merged = { ...(st?.kinds ?? {}) };
          for (const [k, v] of Object.entries(body.kinds)) if (v) merged[k] = v;
          return notificationPrefsEvents.change('notification.preferences_set', {
            locale: body.locale ?? st?.locale ?? currentLocale(),
            kinds: merged,
          });
        }),
      );
      return presentPrefs(await prefsOf(s, user.id));
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/notifications/run',
      tag: 'notifications',
      summary: 'Run the notification pass now (new tasks → outbox → e-mail); digest: also send the daily digests',
      access: 'users.manage',
      body: RunBody,
    },
    async ({ body }) => runPass(s, body),
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/notification',
      tag: 'notifications',
      summary: 'The notification lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(notificationLifecycle),
  );
  return r;
}
