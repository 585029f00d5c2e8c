import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { createUser } from '../../identity/userService.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { DEMO_USERS } from '../../../../seed/demo-users.ts';
import { act, cast, newDocumentBody, sign, upload, type Cast } from '../documents/documents.factory.ts';

// Notifications (issue 15 item 2) through HTTP on the real engine, delivered to a REAL SMTP server
// (smtp-server) the test starts: a review request e-mails the reviewer, a digest bundles several,
// "off" sends none, a restart never resends, a failed delivery is retried after a restart, and
// bad preferences are refused with nothing written.
interface Received {
  to: string[];
  messageId: string;
  subject: string;
  text: string;
}
const received: Received[] = [];

function decodeWords(h: string) {
  return h.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data
            .replace(/_/g, ' ')
            .replace(/=([0-9a-f]{2})/gi, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}
function parse(raw: string, to: string[]): Received {
  const at = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(at + 4);
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1] ?? '';
  const enc = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    enc === 'base64'
      ? Buffer.from(body, 'base64').toString('utf8')
      : enc === 'quoted-printable'
        ? Buffer.from(
            body
              .replace(/=\r\n/g, '')
              .replace(/=([0-9A-F]{2})/g, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          ).toString('utf8')
        : body;
  return { to, messageId: header('Message-ID'), subject: decodeWords(header('Subject')), text };
}

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, done) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      received.push(
        parse(
          Buffer.concat(chunks).toString('utf8'),
          session.envelope.rcptTo.map((r) => r.address),
        ),
      );
      done();
    });
  },
});
let smtpPort = 0;
let srv: TestServer;
let dataDir = '';
let k: Cast;
let admin: Client;
const email = (username: string) => DEMO_USERS.find((u) => u.username === username)!.email;
const mailsTo = (username: string) => received.filter((m) => m.to.includes(email(username)));
const env = (port: number) => ({
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(port),
  SMTP_FROM: 'Provenant <qms@kangjian.example>',
});

async function start(port: number) {
  srv = await startTestServer({ seed: false, env: env(port), keepData: true, ...(dataDir ? { dataDir } : {}) });
  dataDir = srv.dataDir;
  k = await cast(srv.url);
  admin = await as(srv.url, 'admin');
}
const run = async (digest = false) => {
  const r = await admin.post('/api/v1/notifications/run', { digest });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
/** A document submitted for review by reviewer and reviewer2; returns its number. */
async function reviewRequest(title = 'Cleaning validation procedure'): Promise<string> {
  const created = await k.author.post(
    '/api/v1/documents',
    newDocumentBody(k.ids, { title: { zh: '清洁验证规程', en: title } }),
  );
  expect(created.status).toBe(201);
  await upload(k.author, created.body.id);
  expect((await act(k.author, created.body.id, 'submit')).status).toBe(200);
  return created.body.number;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  srv = await startTestServer({ seed: false, env: env(smtpPort), keepData: true });
  dataDir = srv.dataDir;
  await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    for (const u of DEMO_USERS) await createUser(srv.services, { ...u, password: sign.password, temporary: false });
  });
  k = await cast(srv.url);
  admin = await as(srv.url, 'admin');
  await run(); // the first pass records everyone's inbox as the baseline
}, 120_000);
afterAll(async () => {
  await srv?.stop();
  smtp.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('notifications', () => {
  let firstNumber = '';
  it('a document review request e-mails each reviewer once, in their language, and shows in the bell', async () => {
    expect(received).toEqual([]);
    // reviewer2 reads Chinese
    expect((await k.reviewer2.put('/api/v1/notifications/preferences', { locale: 'zh-CN', kinds: {} })).status).toBe(
      200,
    );
    firstNumber = await reviewRequest();
    const r = await run();
    expect(r.enqueued).toBe(2);
    expect(r.sent).toBe(2);
    const [mail] = mailsTo('reviewer');
    expect(mailsTo('reviewer')).toHaveLength(1);
    expect(mail.subject).toContain(firstNumber);
    expect(mail.subject).toContain('Review');
    expect(mail.text).toContain('Cleaning validation procedure');
    const zh = mailsTo('reviewer2');
    expect(zh).toHaveLength(1);
    expect(zh[0].subject).toContain('审核');
    expect(zh[0].text).toContain('清洁验证规程');
    expect(mailsTo('author')).toEqual([]);

    // a second pass enqueues and sends nothing (the idempotency key: person + task)
    expect(await run()).toMatchObject({ enqueued: 0, sent: 0 });
    expect(received).toHaveLength(2);

    const bell = await k.reviewer.get('/api/v1/notifications/unread');
    expect(bell.body).toEqual({ unread: 1 });
    const list = (await k.reviewer.get('/api/v1/notifications')).body;
    expect(list.items[0]).toMatchObject({ kind: 'review', number: firstNumber, delivery: 'sent', read: false });
    expect(list.items[0].actions.map((a: { action: string }) => a.action)).toEqual(['mark_read']);
  });

  it('mark read: the addressee only, on the version they saw; refusals write nothing', async () => {
    const n = (await k.reviewer.get('/api/v1/notifications')).body.items[0];
    let mark = await markLedger(srv.services);
    // someone else's notification is as if absent
    expect((await k.reviewer2.post(`/api/v1/notifications/${n.id}/read`, {})).status).toBe(404);
    // a stale version
    const stale = await k.reviewer.post(`/api/v1/notifications/${n.id}/read`, { version: n.version + 5 });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'STALE_VERSION']);
    await expectNothingWritten(srv.services, mark);
    const ok = await k.reviewer.post(`/api/v1/notifications/${n.id}/read`, { version: n.version });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ read: true, actions: [] });
    expect((await k.reviewer.get('/api/v1/notifications/unread')).body).toEqual({ unread: 0 });
    mark = await markLedger(srv.services);
    const again = await k.reviewer.post(`/api/v1/notifications/${n.id}/read`, {});
    expect([again.status, again.body.error.code]).toEqual([409, 'NOTIFICATION_ALREADY_READ']);
    await expectNothingWritten(srv.services, mark);
  });

  it('a daily digest bundles several pending notifications into one e-mail', async () => {
    const p = await k.reviewer.put('/api/v1/notifications/preferences', { kinds: { review: 'digest' } });
    expect(p.status).toBe(200);
    expect(p.body.kinds).toMatchObject({ review: 'digest', approval: 'immediately' });
    const before = mailsTo('reviewer').length;
    const a = await reviewRequest('Digest one');
    const b = await reviewRequest('Digest two');
    await run();
    expect(mailsTo('reviewer')).toHaveLength(before); // waiting for the digest
    const d = await run(true);
    expect(d.digests).toBe(1);
    const digests = mailsTo('reviewer').slice(before);
    expect(digests).toHaveLength(1);
    expect(digests[0].subject).toContain('Daily digest: 2 new tasks');
    expect(digests[0].text).toContain(a);
    expect(digests[0].text).toContain(b);
    expect(await run(true)).toMatchObject({ digests: 0, sent: 0 }); // nothing left to bundle
  });

  it('a kind turned off sends no e-mail (the notification stays in the app)', async () => {
    expect((await k.reviewer2.put('/api/v1/notifications/preferences', { kinds: { review: 'off' } })).status).toBe(200);
    const before = mailsTo('reviewer2').length;
    const n = await reviewRequest('Nobody mails this');
    const r = await run(true);
    expect(r.skipped).toBeGreaterThanOrEqual(1);
    expect(mailsTo('reviewer2')).toHaveLength(before);
    const mine = (await k.reviewer2.get('/api/v1/notifications')).body.items;
    expect(mine.find((x: { number: string }) => x.number === n)).toMatchObject({ delivery: 'skipped', read: false });
  });

  it('marks several of my notifications read in one request, all or nothing', async () => {
    const url = '/api/v1/notifications/actions/mark-read-bulk';
    const items = (await k.reviewer.get('/api/v1/notifications')).body.items as Array<{ id: string; read: boolean }>;
    const unread = items.filter((n) => !n.read).map((n) => n.id);
    const alreadyRead = items.find((n) => n.read)!.id;
    expect(unread.length).toBeGreaterThanOrEqual(2);
    const theirs = (await k.reviewer2.get('/api/v1/notifications')).body.items[0].id as string;
    const mark = await markLedger(srv.services);
    // someone else's among mine: as if absent (404), none of mine is marked
    expect((await k.reviewer.post(url, { ids: [...unread, theirs] })).status).toBe(404);
    // one already read among them: refused (409) on the one command, none written
    const again = await k.reviewer.post(url, { ids: [...unread, alreadyRead] });
    expect([again.status, again.body.error.code]).toEqual([409, 'NOTIFICATION_ALREADY_READ']);
    for (const body of [
      {},
      { ids: [] },
      { ids: Array.from({ length: 201 }, (_, i) => `n${i}`) },
      { ids: [{ $ne: null }] },
      { ids: { $ne: null } },
      { ids: unread, extra: 1 },
    ])
      expect((await k.reviewer.post(url, body)).status, JSON.stringify(body).slice(0, 60)).toBe(400);
    await expectNothingWritten(srv.services, mark);
    expect((await k.reviewer.get('/api/v1/notifications/unread')).body.unread).toBe(unread.length);

    const ok = await k.reviewer.post(url, { ids: unread });
    expect([ok.status, ok.body]).toEqual([200, { read: unread.length }]);
    expect((await k.reviewer.get('/api/v1/notifications/unread')).body).toEqual({ unread: 0 });
    expect((await k.reviewer2.get('/api/v1/notifications')).body.items[0].read).toBe(false);
  });

  it('refuses malformed, unknown-kind, oversized and operator-injected preferences with 4xx, writing nothing', async () => {
    const mark = await markLedger(srv.services);
    const bad: unknown[] = [
      { kinds: { not_a_kind: 'off' } },
      { kinds: { review: { $ne: null } } },
      { kinds: { $ne: null } },
      { kinds: { review: 'sometimes' } },
      { locale: 'fr-FR', kinds: {} },
      { locale: { $ne: null }, kinds: {} },
      { kinds: {}, extra: 1 },
      { kinds: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 'off'])) },
      { kinds: { review: 'off'.repeat(100_000) } },
    ];
    for (const body of bad) {
      const r = await k.reviewer.put('/api/v1/notifications/preferences', body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
    }
    // the pass is an administrator's
    expect((await k.reviewer.post('/api/v1/notifications/run', {})).status).toBe(403);
    await expectNothingWritten(srv.services, mark);
    expect((await k.reviewer.get('/api/v1/notifications/preferences')).body.kinds.review).toBe('digest');
  });

  it('a restart resends nothing; a delivery that failed stays queued and is sent once SMTP answers', async () => {
    const sentBefore = received.length;
    await srv.stop();
    // the SMTP server unreachable: the e-mail fails, the notification stays queued
    await start(1);
    expect(
      (await k.reviewer.put('/api/v1/notifications/preferences', { kinds: { review: 'immediately' } })).status,
    ).toBe(200);
    const n = await reviewRequest('Sent after a restart');
    const failed = await run();
    expect(failed.failed).toBeGreaterThanOrEqual(1);
    const queued = (await k.reviewer.get('/api/v1/notifications')).body.items.find(
      (x: { number: string }) => x.number === n,
    );
    expect(queued.delivery).toBe('queued');
    await srv.stop();

    await start(smtpPort);
    const r = await run(true);
    expect(r.enqueued).toBe(0);
    const late = received.slice(sentBefore);
    expect(late.map((m) => m.to[0])).toEqual([email('reviewer')]);
    expect(late[0].subject).toContain(n);
    expect(await run(true)).toMatchObject({ enqueued: 0, sent: 0, digests: 0 });
    // every message went out once
    expect(new Set(received.map((m) => m.messageId)).size).toBe(received.length);
  }, 180_000);
});
