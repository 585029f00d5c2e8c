import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, as, Client, DEMO_PASSWORD, type TestServer } from '../../test/harness.ts';
import { totpAt } from './totp.ts';
import { EVENTS } from '../ledger/ledger.ts';
import { RECORD_TYPES } from '../records/types.ts';
import { userEvents } from './events.ts';
import type { LedgerEvent } from '../ledger/event.ts';

let t: TestServer;
const ledgerCount = () => t.services.db.collection(EVENTS).countDocuments({});
const eventsOf = (stream: string) => t.services.db.collection(EVENTS).find({ stream }).sort({ version: 1 }).toArray();

beforeAll(async () => {
  t = await startTestServer({ seed: true, env: { LOCKOUT_THRESHOLD: '5' } });
});
afterAll(async () => {
  await t?.stop();
});

async function newUser(admin: Client, username: string, roles = ['operator']) {
  const r = await admin.post('/api/v1/users', {
    username,
    fullName: `Test ${username}`,
    email: `${username}@kangjian.example`,
    roles,
    password: 'Temporary-pass-001',
  });
  expect(r.status).toBe(200);
  // first sign-in must replace the temporary password
  const c = new Client(t.url);
  expect((await c.login(username, 'Temporary-pass-001')).body.user.mustChangePassword).toBe(true);
  expect((await c.get('/api/v1/users')).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
  expect(
    (
      await c.post('/api/v1/auth/password', {
        currentPassword: 'Temporary-pass-001',
        newPassword: 'Chosen-password-001',
      })
    ).status,
  ).toBe(200);
  return { id: r.body.id as string, client: c };
}

describe('login and sessions', () => {
  it('signs in, sets an httpOnly SameSite=Strict cookie and returns a CSRF token', async () => {
    const c = new Client(t.url);
    const r = await c.login('qa.manager');
    expect(r.status).toBe(200);
    expect(r.body.csrfToken).toMatch(/^[\w-]{20,}$/);
    expect(r.headers.get('set-cookie')).toMatch(/provenant_session=.*httponly/i);
    expect(r.headers.get('set-cookie')).toMatch(/samesite=strict/i);
    expect(r.body.user).not.toHaveProperty('passwordFingerprint');
    const me = await c.get('/api/v1/auth/me');
    expect(me.body.user.username).toBe('qa.manager');
  });

  it('refuses a wrong password with 401 and records the failed attempt on the ledger', async () => {
    const c = new Client(t.url);
    const r = await c.login('reviewer', 'not-the-password');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts/); // never a stack trace
    const admin = await as(t.url, 'admin');
    const id = (await admin.get('/api/v1/users')).body.find((u: { username: string }) => u.username === 'reviewer').id;
    const evs = await eventsOf(`user:${id}`);
    expect(evs.at(-1)?.type).toBe('auth.loginFailed');
  });

  it('localizes errors by Accept-Language', async () => {
    const c = new Client(t.url);
    c.locale = 'zh-CN';
    const r = await c.login('reviewer', 'not-the-password');
    expect(r.body.error.message).toBe('用户名或密码错误。');
  });

  it('rejects a state-changing request without the CSRF token', async () => {
    const c = await as(t.url, 'admin');
    const good = c.csrf;
    c.csrf = '';
    const before = await ledgerCount();
    const r = await c.post('/api/v1/auth/tokens', { name: 'no csrf' });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('CSRF_FAILED');
    c.csrf = 'wrong-token-wrong-token';
    expect((await c.post('/api/v1/auth/tokens', { name: 'bad csrf' })).status).toBe(403);
    expect(await ledgerCount()).toBe(before);
    c.csrf = good;
    expect((await c.post('/api/v1/auth/tokens', { name: 'with csrf' })).status).toBe(200);
  });

  it('ends a session after the idle timeout, on the ledger', async () => {
    const c = await as(t.url, 'warehouse');
    const sessionId = (await t.services.db.collection('sessions').find({}).sort({ createdAt: -1 }).limit(1).next())!
      ._id;
    // pretend 16 minutes of silence
    await t.services.db
      .collection('sessions')
      .updateOne({ _id: sessionId }, { $set: { lastSeenAt: Date.now() - 16 * 60_000 } });
    const r = await c.get('/api/v1/auth/me');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('SESSION_EXPIRED');
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);
    const id = (await (await as(t.url, 'admin')).get('/api/v1/users')).body.find(
      (u: { username: string }) => u.username === 'warehouse',
    ).id;
    expect((await eventsOf(`user:${id}`)).some((e) => e.type === 'auth.sessionExpired')).toBe(true);
  });

  it('logs out', async () => {
    const c = await as(t.url, 'purchaser');
    expect((await c.post('/api/v1/auth/logout')).status).toBe(200);
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);
  });
});

describe('lockout', () => {
  it('locks after 5 consecutive failures, alerts administrators, and an admin unlocks', async () => {
    const admin = await as(t.url, 'admin');
    const { id } = await newUser(admin, 'lock.me');
    const c = new Client(t.url);
    for (let i = 0; i < 4; i++) expect((await c.login('lock.me', 'wrong-password-' + i)).status).toBe(401);
    // the fifth failure locks the account, but a guesser is not told (no user enumeration)
    const fifth = await c.login('lock.me', 'wrong-password-5');
    expect(fifth.status).toBe(401);
    expect(fifth.body.error.code).toBe('INVALID_CREDENTIALS');
    // only the right password learns that the account is locked, and is refused
    const right = await c.login('lock.me', 'Chosen-password-001');
    expect(right.status).toBe(423);
    expect(right.body.error.code).toBe('ACCOUNT_LOCKED');
    const types = (await eventsOf(`user:${id}`)).map((e) => e.type);
    expect(types.filter((x) => x === 'auth.loginFailed').length).toBe(5);
    expect(types).toContain('user.locked');
    const alerts = await admin.get('/api/v1/alerts');
    expect(
      alerts.body.some(
        (a: { kind: string; payload: { subject: { username: string } } }) =>
          a.kind === 'account_locked' && a.payload.subject.username === 'lock.me',
      ),
    ).toBe(true);
    expect((await admin.post(`/api/v1/users/${id}/unlock`)).status).toBe(200);
    expect((await c.login('lock.me', 'Chosen-password-001')).status).toBe(200);
  });

  it('a success resets the counter', async () => {
    const admin = await as(t.url, 'admin');
    await newUser(admin, 'reset.me');
    const c = new Client(t.url);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) expect((await c.login('reset.me', 'nope-nope-nope')).status).toBe(401);
      expect((await c.login('reset.me', 'Chosen-password-001')).status).toBe(200);
    }
  });
});

describe('passwords', () => {
  it('refuses short passwords and the last five, with nothing written', async () => {
    const admin = await as(t.url, 'admin');
    const { client } = await newUser(admin, 'history.user');
    const before = await ledgerCount();
    const short = await client.post('/api/v1/auth/password', {
      currentPassword: 'Chosen-password-001',
      newPassword: 'short',
    });
    expect(short.status).toBe(400);
    expect(short.body.error.code).toBe('PASSWORD_TOO_SHORT');
    const reused = await client.post('/api/v1/auth/password', {
      currentPassword: 'Chosen-password-001',
      newPassword: 'Temporary-pass-001',
    });
    expect(reused.body.error.code).toBe('PASSWORD_REUSED');
    expect(await ledgerCount()).toBe(before);
    let current = 'Chosen-password-001';
    for (let i = 2; i <= 5; i++) {
      const next = `Chosen-password-00${i}`;
      expect((await client.post('/api/v1/auth/password', { currentPassword: current, newPassword: next })).status).toBe(
        200,
      );
      current = next;
    }
    // the temporary one is now six back: allowed again
    expect(
      (await client.post('/api/v1/auth/password', { currentPassword: current, newPassword: 'Chosen-password-002' }))
        .body.error.code,
    ).toBe('PASSWORD_REUSED');
    expect(
      (await client.post('/api/v1/auth/password', { currentPassword: current, newPassword: 'Temporary-pass-001' }))
        .status,
    ).toBe(200);
  });

  it('forces a change when the password has aged', async () => {
    const aged = await startTestServer({ seed: true, env: { PASSWORD_MAX_AGE_DAYS: '0.00002' } }); // ~1.7 s
    try {
      await new Promise((r) => setTimeout(r, 2000));
      const c = new Client(aged.url);
      const r = await c.login('operator');
      expect(r.status).toBe(200);
      expect(r.body.user.mustChangePassword).toBe(true);
      expect((await c.get('/api/v1/users')).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
      expect(
        (await c.post('/api/v1/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Fresh-password-2026' }))
          .status,
      ).toBe(200);
      expect((await c.get('/api/v1/users')).status).toBe(200);
    } finally {
      await aged.stop();
    }
  });
});

describe('TOTP second factor', () => {
  it('once enrolled, login and signing need the code', async () => {
    const admin = await as(t.url, 'admin');
    const { client } = await newUser(admin, 'totp.user');
    const start = await client.post('/api/v1/auth/totp/enroll', { password: 'Chosen-password-001' });
    expect(start.body.otpauthUrl).toContain('otpauth://totp/');
    expect(
      (
        await client.post('/api/v1/auth/totp/confirm', {
          code: '000000' === totpAt(start.body.secret) ? '111111' : '000000',
        })
      ).status,
    ).toBe(401);
    expect(
      (await client.post('/api/v1/auth/totp/confirm', { code: totpAt(start.body.secret) })).body.user.totpEnrolled,
    ).toBe(true);
    const c = new Client(t.url);
    const noCode = await c.login('totp.user', 'Chosen-password-001');
    expect(noCode.status).toBe(401);
    expect(noCode.body.error.code).toBe('TOTP_REQUIRED');
    expect(
      (await c.login('totp.user', 'Chosen-password-001', '000000' === totpAt(start.body.secret) ? '111111' : '000000'))
        .body.error.code,
    ).toBe('TOTP_INVALID');
    // the confirming code is spent: the next one (within the drift window) signs in
    expect(
      (await c.login('totp.user', 'Chosen-password-001', totpAt(start.body.secret, Date.now() + 30_000))).status,
    ).toBe(200);
  });
});

describe('API tokens', () => {
  it('authenticate integrations without a cookie or CSRF, until revoked', async () => {
    const c = await as(t.url, 'qa.engineer');
    const created = await c.post('/api/v1/auth/tokens', { name: 'ERP sync' });
    const bot = new Client(t.url);
    bot.bearer = created.body.token;
    expect((await bot.get('/api/v1/auth/me')).body.user.username).toBe('qa.engineer');
    expect((await c.post(`/api/v1/auth/tokens/${created.body.id}/revoke`)).status).toBe(200);
    expect((await bot.get('/api/v1/auth/me')).status).toBe(401);
  });
});

describe('users administration', () => {
  it('forbids the wrong role and rejects bad input with nothing written', async () => {
    const op = await as(t.url, 'operator');
    const before = await ledgerCount();
    const forbidden = await op.post('/api/v1/users', {
      username: 'x.y',
      fullName: 'X',
      email: 'x@y.example',
      roles: ['operator'],
      password: 'Long-enough-pass',
    });
    expect(forbidden.status).toBe(403);
    const admin = await as(t.url, 'admin');
    const bad = await admin.post('/api/v1/users', {
      username: 'a b',
      fullName: '',
      email: 'nope',
      roles: ['king'],
      password: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details.length).toBeGreaterThan(1);
    const dup = await admin.post('/api/v1/users', {
      username: 'operator',
      fullName: 'Again',
      email: 'o@y.example',
      roles: ['operator'],
      password: 'Long-enough-pass',
    });
    expect(dup.status).toBe(409);
    expect(await ledgerCount()).toBe(before + 1); // the admin's login, nothing else
  });
});

describe('read-only auditors', () => {
  it('can sign in, read and change their own password, and nothing else', async () => {
    const auditor = await as(t.url, 'auditor');
    expect((await auditor.get('/api/v1/auth/me')).status).toBe(200);
    // an auditor reads only what a grant puts in scope, through the portal
    expect((await auditor.get('/api/v1/portal/grants')).status).toBe(200);
    expect((await auditor.get('/api/v1/ledger/verify')).status).toBe(403);
    expect((await auditor.get('/api/v1/documents')).status).toBe(403);
    const before = await ledgerCount();
    const token = await auditor.post('/api/v1/auth/tokens', { name: 'audit script' });
    expect(token.status).toBe(403);
    const sign = await auditor.post(`/api/v1/records/${encodeURIComponent('user:x')}/signatures`, {
      meaning: 'approved',
      password: DEMO_PASSWORD,
      version: 1,
    });
    expect(sign.status).toBe(403);
    expect(await ledgerCount()).toBe(before);
    // their own account is theirs to change
    expect(
      (
        await auditor.post('/api/v1/auth/password', {
          currentPassword: DEMO_PASSWORD,
          newPassword: 'Auditor-chosen-2026',
        })
      ).status,
    ).toBe(200);
    expect((await auditor.post('/api/v1/auth/logout')).status).toBe(200);
  });
});

describe('typed events', () => {
  it('every event on an account, alert or unknown-login stream fits identity/events.ts', async () => {
    // a name that matches no account leaves its failure on security:unknown-logins
    expect((await new Client(t.url).login('nobody.at.all', 'Wrong-password-001')).status).toBe(401);
    const all = await t.services.db
      .collection<LedgerEvent>(EVENTS)
      .find({ stream: { $regex: '^(user|alert|security):' } })
      .toArray();
    expect(all.some((e) => e.type === 'alert.raised') && all.some((e) => e.stream === 'security:unknown-logins')).toBe(
      true,
    );
    const misfits = all.flatMap((e) => {
      const catalog = e.stream.startsWith('security:')
        ? userEvents
        : RECORD_TYPES.find((r) => e.stream.startsWith(`${r.type}:`))?.events;
      const problem = catalog ? catalog.problem({ type: e.type, data: e.data }) : 'no events.ts';
      return problem ? [`${e.stream} v${e.version}: ${problem}`] : [];
    });
    expect(misfits).toEqual([]);
  });
});
