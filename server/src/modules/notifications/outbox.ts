import { createHash } from 'node:crypto';
import { runOnce } from '../../platform/lease.ts';
import type { Services } from '../../platform/services.ts';
import { SYSTEM_ACTOR } from '../../platform/context.ts';
import { streamOf } from '../../records/registry.ts';
import { isRace, mutate, type Change } from '../../records/ledgerOps.ts';
import { usersCollection, type UserDoc } from '../../identity/userService.ts';
import { toSessionUser } from '../../identity/authenticate.ts';
import { tasksOf } from '../tasks/routes.ts';
import { notificationEvents, notificationPrefsEvents } from './events.ts';
import {
  MAX_ATTEMPTS,
  NOTIFICATION_PREFS,
  NOTIFICATIONS,
  notificationId,
  type NotificationDoc,
  type NotificationPrefsDoc,
  type NotificationPrefsState,
  type NotificationState,
} from './notification.record.ts';
import { digestMail, failureText, singleMail, transportOf, type Mail } from './mail.ts';
import { now as clockNow } from '../../platform/clock.ts';

// The outbox (issue 15 item 2). One pass, for every kind of task without any module doing work:
//  1. scan: each active person's inbox (the registered task sources, exactly GET /tasks) is
//     compared with what they were already notified of; each new task is enqueued as
//     `notification.queued` on its own stream `notification:<userId>.<hash(kind:taskId)>` at
//     expected version 0, so a second enqueue (another pass, another server) is a no-op. The
//     first time a person is seen, their inbox is recorded as the baseline and not notified.
//  2. deliver: every queued notification is judged against the person's preference for its kind:
//     off / no SMTP / no address → `notification.skipped`; immediately → one e-mail, then
//     `notification.sent` once the SMTP server accepted it (a failure: `notification.failed`,
//     retried on later passes up to MAX_ATTEMPTS); daily digest → left queued until the digest
//     run bundles all of a person's pending ones into one e-mail.
// A crash before `sent` leaves it queued: the next pass (at start-up) sends it. The Message-ID is
// derived from the notification, so a receiving server can drop the copy of a message whose
// `sent` a crash prevented. Passes of one process run one after the other.

export const notifications = (s: Services) => s.db.collection<NotificationDoc>(NOTIFICATIONS);
const prefsCollection = (s: Services) => s.db.collection<NotificationPrefsDoc>(NOTIFICATION_PREFS);

export const taskKey = (t: { kind: string; id: string }) => `${t.kind}:${t.id}`;

export async function prefsOf(s: Services, userId: string): Promise<NotificationPrefsState> {
  const p = await prefsCollection(s).findOne({ _id: userId });
  return p ?? { userId, locale: 'en-US', kinds: {}, watchKeys: null, changedAt: null };
}

async function systemAppend(s: Services, stream: string, decide: (st: NotificationState) => Change | null) {
  await mutate<NotificationState>(s, stream, SYSTEM_ACTOR, (st) => (st ? decide(st) : null));
}

/** Step 1: enqueues a notification per new inbox task; returns how many were enqueued. */
export async function scan(s: Services): Promise<number> {
  let enqueued = 0;
  const people = await usersCollection(s)
    .find({ status: { $ne: 'disabled' } })
    .toArray();
  for (const u of people) enqueued += await scanPerson(s, u);
  return enqueued;
}

async function scanPerson(s: Services, u: UserDoc): Promise<number> {
  const tasks = await tasksOf(s, toSessionUser(s, u, 'session'));
  const prefs = await prefsOf(s, u._id);
  if (prefs.watchKeys === null) {
    const started = notificationPrefsEvents.change('notification.watch_started', { keys: tasks.map(taskKey) });
    await mutate<NotificationPrefsState>(s, streamOf('notification_prefs', u._id), SYSTEM_ACTOR, (st) =>
      st?.watchKeys ? null : started,
    );
    return 0;
  }
  const baseline = new Set(prefs.watchKeys);
  const fresh = tasks.filter((t) => !baseline.has(taskKey(t)));
  if (!fresh.length) return 0;
  const ids = fresh.map((t) => notificationId(u._id, taskKey(t)));
  const known = new Set(
    (
      await notifications(s)
        .find({ _id: { $in: ids } }, { projection: { _id: 1 } })
        .toArray()
    ).map((d) => d._id),
  );
  let n = 0;
  for (const t of fresh) {
    const id = notificationId(u._id, taskKey(t));
    if (known.has(id)) continue;
    const queued = notificationEvents.change('notification.queued', {
      user: { id: u._id, name: u.fullName },
      key: taskKey(t),
      kind: t.kind,
      number: t.number,
      title: t.title,
      revision: t.revision,
      due: t.due,
      link: t.link,
    });
    try {
      await s.ledger.append(streamOf('notification', id), queued.type, queued.data, {
        expectedVersion: 0,
        actor: SYSTEM_ACTOR,
      });
      n++;
    } catch (err) {
      if (!isRace(err)) throw err; // enqueued already: the idempotency key holds
    }
  }
  return n;
}

async function send(s: Services, to: string, mail: Mail, messageId: string) {
  const t = transportOf(s)!;
  await t.sendMail({
    from: s.config.SMTP_FROM ?? `Provenant <provenant@${s.config.SMTP_HOST}>`,
    to,
    subject: mail.subject,
    text: mail.text,
    messageId,
  });
}

const domain = 'provenant.local';

/** Step 2: delivers (or skips) every queued notification; `digest` also sends the daily digests. */
export async function deliver(s: Services, opts: { digest?: boolean } = {}) {
  const result = { sent: 0, digests: 0, skipped: 0, failed: 0 };
  const queued = await notifications(s).find({ delivery: 'queued' }).sort({ queuedAt: 1 }).limit(2000).toArray();
  const byUser = new Map<string, NotificationDoc[]>();
  for (const n of queued) byUser.set(n.userId, [...(byUser.get(n.userId) ?? []), n]);
  const smtp = transportOf(s);
  for (const [userId, list] of byUser) {
    const prefs = await prefsOf(s, userId);
    const person = await usersCollection(s).findOne({ _id: userId });
    const email = person?.status === 'disabled' ? '' : (person?.email ?? '');
    const bundle: NotificationDoc[] = [];
    for (const n of list) {
      const stream = streamOf('notification', n._id);
      const mode = prefs.kinds[n.kind] ?? 'immediately';
      const skip = mode === 'off' ? 'off' : !smtp ? 'no_smtp' : !email ? 'no_address' : null;
      if (skip) {
        await systemAppend(s, stream, (st) =>
          st.delivery === 'queued' ? notificationEvents.change('notification.skipped', { reason: skip }) : null,
        );
        result.skipped++;
      } else if (mode === 'digest') bundle.push(n);
      else if (await attempt(s, [n], email, singleMail(s, n, prefs.locale), `<${n._id}@${domain}>`, false))
        result.sent++;
      else result.failed++;
    }
    if (opts.digest && bundle.length) {
      const id = createHash('sha256')
        .update(bundle.map((n) => n._id).join(','))
        .digest('hex')
        .slice(0, 24);
      if (await attempt(s, bundle, email, digestMail(s, bundle, prefs.locale), `<digest.${id}@${domain}>`, true))
        result.digests++;
      else result.failed++;
    }
  }
  return result;
}

async function attempt(
  s: Services,
  list: NotificationDoc[],
  to: string,
  mail: Mail,
  messageId: string,
  digest: boolean,
): Promise<boolean> {
  try {
    await send(s, to, mail, messageId);
  } catch (err) {
    const error = failureText(s, err);
    s.logger.warn({ notifications: list.length, error }, 'notification e-mail failed; will retry');
    for (const n of list)
      await systemAppend(s, streamOf('notification', n._id), (st) =>
        st.delivery === 'queued'
          ? notificationEvents.change('notification.failed', {
              attempt: Math.min(st.attempts + 1, MAX_ATTEMPTS),
              error,
            })
          : null,
      );
    return false;
  }
  for (const n of list)
    await systemAppend(s, streamOf('notification', n._id), (st) =>
      st.delivery === 'queued' ? notificationEvents.change('notification.sent', { digest, messageId, to }) : null,
    );
  return true;
}

let chain: Promise<unknown> = Promise.resolve();
/** One pass (scan, then deliver), after any pass this process is running. */
export function runPass(s: Services, opts: { digest?: boolean } = {}) {
  const p = chain.then(async () => {
    const enqueued = await scan(s);
    return { enqueued, ...(await deliver(s, opts)) };
  });
  chain = p.catch(() => undefined);
  return p;
}

/**
 * The background pass: every NOTIFY_INTERVAL_SECONDS, and a second after anything else is appended
 * to the ledger (a command made a task appear); the daily digest in the first pass of the
 * configured UTC hour. Started at boot; the first pass also sends what a crash left queued.
 */
export function startNotifier(s: Services): { stop(): void } {
  const every = s.config.NOTIFY_INTERVAL_SECONDS ?? (s.config.NODE_ENV === 'test' ? 0 : 30);
  if (every <= 0) return { stop() {} };
  let stopped = false;
  let lastDigest = '';
  let soon: NodeJS.Timeout | null = null;
  const tick = () => {
    if (stopped) return;
    const now = clockNow();
    const day = now.toISOString().slice(0, 10);
    const digest = now.getUTCHours() === s.config.NOTIFY_DIGEST_HOUR && lastDigest !== day;
    if (digest) lastDigest = day;
    // One server runs the pass (several servers on one database would otherwise race to send the
    // same e-mail); the lease passes to another server when its holder stops renewing it.
    runOnce(s, 'notifications.pass', Math.max(every * 3, 10) * 1000, () => runPass(s, { digest })).catch((err) => {
      if (!stopped) s.logger.error({ err }, 'notification pass failed; will retry');
    });
  };
  const timer = setInterval(tick, every * 1000);
  timer.unref();
  const first = setTimeout(tick, 2000);
  first.unref();
  s.ledger.onAppended(async (e) => {
    if (stopped || e.stream.startsWith('notification') || soon) return;
    soon = setTimeout(() => {
      soon = null;
      tick();
    }, 1000);
    soon.unref();
  });
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
      if (soon) clearTimeout(soon);
    },
  };
}
