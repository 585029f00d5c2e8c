import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, as, Client, type TestServer } from '../../test/harness.ts';
import { totpAt } from './totp.ts';
import { EVENTS } from '../ledger/ledger.ts';

// Issue 9 #6: a TOTP code could be used twice within its window, and a session alone could
// enrol a new secret (replacing the second factor). RFC 6238 §5.2: a verified code is not
// accepted again; enrolment needs the password, and the current code when a factor exists.
let t: TestServer;
const ledgerCount = () => t.services.db.collection(EVENTS).countDocuments({});
const eventsOf = (stream: string) => t.services.db.collection(EVENTS).find({ stream }).sort({ version: 1 }).toArray();
const PASSWORD = 'Chosen-password-001';
const STEP = 30_000;
const code = (secret: string, steps = 0) => totpAt(secret, Date.now() + steps * STEP);

beforeAll(async () => {
  t = await startTestServer({ seed: true, env: { LOCKOUT_THRESHOLD: '50' } });
});
afterAll(async () => {
  await t?.stop();
});

async function newUser(admin: Client, username: string) {
  const r = await admin.post('/api/v1/users', {
    username,
    fullName: `Test ${username}`,
    email: `${username}@kangjian.example`,
    roles: ['qa_engineer'],
    password: 'Temporary-pass-001',
  });
  expect(r.status).toBe(200);
  const c = new Client(t.url);
  await c.login(username, 'Temporary-pass-001');
  expect(
    (await c.post('/api/v1/auth/password', { currentPassword: 'Temporary-pass-001', newPassword: PASSWORD })).status,
  ).toBe(200);
  return { id: r.body.id as string, client: c };
}

// The code each secret was confirmed with. Tests replay this exact string: recomputing it later
// can land in the next 30-second step, which is a fresh code the server rightly accepts.
const confirmingCode = new Map<string, string>();

/** Enrols an authenticator; returns its secret (the confirming code is then spent). */
async function enrol(c: Client, password = PASSWORD, current?: string) {
  const start = await c.post('/api/v1/auth/totp/enroll', { password, ...(current ? { code: current } : {}) });
  expect(start.status).toBe(200);
  const spent = code(start.body.secret);
  confirmingCode.set(start.body.secret, spent);
  const confirmed = await c.post('/api/v1/auth/totp/confirm', { code: spent });
  expect(confirmed.body.user.totpEnrolled).toBe(true);
  return start.body.secret as string;
}

describe('enrolment needs the password', () => {
  it('refuses a session alone, and a wrong password counts as a failed attempt', async () => {
    const admin = await as(t.url, 'admin');
    const { id, client } = await newUser(admin, 'totp.first');
    const before = await ledgerCount();
    const none = await client.post('/api/v1/auth/totp/enroll', {});
    expect(none.status).toBe(400);
    expect(await ledgerCount()).toBe(before);
    const wrong = await client.post('/api/v1/auth/totp/enroll', { password: 'not-my-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const last = (await eventsOf(`user:${id}`)).at(-1)!;
    expect(last.type).toBe('auth.signatureFailed');
    expect(last.data).toMatchObject({ reason: 'INVALID_CREDENTIALS', meaning: 'totp_enrolment' });
    expect(await ledgerCount()).toBe(before + 1);
    await enrol(client);
  });
});

describe('a code is accepted once (RFC 6238 §5.2)', () => {
  it('refuses the confirming code, a replayed code, and an older code after a newer one', async () => {
    const admin = await as(t.url, 'admin');
    const { client } = await newUser(admin, 'totp.replay');
    const secret = await enrol(client);
    const c = new Client(t.url);
    const spent = await c.login('totp.replay', PASSWORD, confirmingCode.get(secret));
    expect(spent.status).toBe(401);
    expect(spent.body.error.code).toBe('TOTP_REUSED');
    // five sign-ins race with the same fresh code: exactly one gets in
    const next = code(secret, 1);
    const raced = await Promise.all(
      Array.from({ length: 5 }, () => new Client(t.url).login('totp.replay', PASSWORD, next)),
    );
    expect(raced.filter((r) => r.status === 200)).toHaveLength(1);
    expect(raced.filter((r) => r.body?.error?.code === 'TOTP_REUSED')).toHaveLength(4);
    expect((await c.login('totp.replay', PASSWORD, next)).body.error.code).toBe('TOTP_REUSED');
    // a code from before the last one used (still inside the drift window) is refused too
    expect((await c.login('totp.replay', PASSWORD, code(secret, -1))).body.error.code).toMatch(
      /^TOTP_(REUSED|INVALID)$/,
    );
    c.locale = 'zh-CN';
    expect((await c.login('totp.replay', PASSWORD, next)).body.error.message).toMatch(/动态码已使用过/);
  });
});

describe('re-enrolment', () => {
  it('needs the password and the current code; a session and password alone cannot replace the factor', async () => {
    const admin = await as(t.url, 'admin');
    const { id, client } = await newUser(admin, 'totp.again');
    const first = await enrol(client);
    const before = await ledgerCount();
    const noCode = await client.post('/api/v1/auth/totp/enroll', { password: PASSWORD });
    expect(noCode.status).toBe(401);
    expect(noCode.body.error.code).toBe('TOTP_REQUIRED');
    const wrong = code(first, 1) === '000000' ? '111111' : '000000';
    expect((await client.post('/api/v1/auth/totp/enroll', { password: PASSWORD, code: wrong })).body.error.code).toBe(
      'TOTP_INVALID',
    );
    // the confirming code was spent: replaying it does not open a re-enrolment either
    expect(
      (await client.post('/api/v1/auth/totp/enroll', { password: PASSWORD, code: confirmingCode.get(first) })).body
        .error.code,
    ).toBe('TOTP_REUSED');
    expect(await ledgerCount()).toBe(before + 2); // the two failed attempts, nothing else
    const second = await enrol(client, PASSWORD, code(first, 1));
    expect(second).not.toBe(first);
    const enrolled = (await eventsOf(`user:${id}`)).filter((e) => e.type === 'user.totpEnrolled');
    expect(enrolled.map((e) => e.data.replaced)).toEqual([false, true]);
    // the old secret no longer signs in; the new one does (with a code not yet used)
    const c = new Client(t.url);
    expect((await c.login('totp.again', PASSWORD, code(first, 1))).body.error.code).toMatch(/^TOTP_(REUSED|INVALID)$/);
    expect((await c.login('totp.again', PASSWORD, code(second, 1))).status).toBe(200);
  });
});

describe('administrator reset', () => {
  it("removes another user's factor on the ledger with a reason and ends their sessions", async () => {
    const admin = await as(t.url, 'admin');
    const { id, client: userClient } = await newUser(admin, 'totp.lost');
    const secret = await enrol(userClient);
    const op = await as(t.url, 'operator');
    const before = await ledgerCount();
    expect((await op.post(`/api/v1/users/${id}/totp/reset`, { reason: 'phone lost' })).status).toBe(403);
    expect((await admin.post(`/api/v1/users/${id}/totp/reset`, {})).status).toBe(400);
    const adminId = (await admin.get('/api/v1/auth/me')).body.user.id;
    const self = await admin.post(`/api/v1/users/${adminId}/totp/reset`, { reason: 'mine' });
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('SELF_CHANGE_REFUSED');
    expect(await ledgerCount()).toBe(before);

    const r = await admin.post(`/api/v1/users/${id}/totp/reset`, { reason: 'phone lost' });
    expect(r.status).toBe(200);
    expect(r.body.totpEnrolled).toBe(false);
    const last = (await eventsOf(`user:${id}`)).at(-1)!;
    expect(last).toMatchObject({ type: 'user.totpReset', reason: 'phone lost', data: { sessionsEnded: 1 } });
    expect((await userClient.get('/api/v1/auth/me')).status).toBe(401);
    // nothing to reset any more: refused, nothing written
    const again = await admin.post(`/api/v1/users/${id}/totp/reset`, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('TOTP_NOT_ENROLLED');
    // the password alone signs in now, and the user enrols a new authenticator
    const c = new Client(t.url);
    expect((await c.login('totp.lost', PASSWORD)).status).toBe(200);
    expect(await enrol(c)).not.toBe(secret);
  });
});
