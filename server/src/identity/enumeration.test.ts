import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, as, Client, type TestServer } from '../../test/harness.ts';

// Issue 9 #11: user names could be told apart by timing (unknown 24–145 ms, wrong password
// 250–765 ms) and by status (locked 423, disabled 403 even with a wrong password). Unknown
// names now cost the same scrypt work, and every account answers like a wrong password until
// the password is right. Run at the production hash cost (2^15) so the hash dominates, as it
// does in production.
let t: TestServer;
const THRESHOLD = 30;
const PASSWORD = 'Chosen-password-001';

beforeAll(async () => {
  t = await startTestServer({ seed: true, env: { PASSWORD_HASH_COST: '15', LOCKOUT_THRESHOLD: String(THRESHOLD) } });
});
afterAll(async () => {
  await t?.stop();
});

async function newUser(admin: Client, username: string) {
  const r = await admin.post('/api/v1/users', {
    username,
    fullName: `Test ${username}`,
    email: `${username}@kangjian.example`,
    roles: ['operator'],
    password: 'Temporary-pass-001',
  });
  expect(r.status).toBe(200);
  const c = new Client(t.url);
  await c.login(username, 'Temporary-pass-001');
  expect(
    (await c.post('/api/v1/auth/password', { currentPassword: 'Temporary-pass-001', newPassword: PASSWORD })).status,
  ).toBe(200);
  return r.body.id as string;
}

async function timed(username: string, password: string) {
  const started = performance.now();
  const r = await new Client(t.url).login(username, password);
  return { ms: performance.now() - started, status: r.status, body: r.body };
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};
const figures = (xs: number[]) =>
  `median ${median(xs).toFixed(0)} ms, range ${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} ms`;

describe('no user enumeration', () => {
  it('an unknown user name costs the same as a wrong password (20 attempts each)', async () => {
    const admin = await as(t.url, 'admin');
    await newUser(admin, 'timing.user');
    for (let i = 0; i < 3; i++) {
      await timed(`warm.up.${i}`, 'wrong-password');
      await timed('timing.user', 'wrong-password');
    }
    expect((await new Client(t.url).login('timing.user', PASSWORD)).status).toBe(200); // resets the failure count
    const unknown: number[] = [],
      wrong: number[] = [];
    for (let i = 0; i < 20; i++) {
      // interleaved, so load on the machine hits both alike
      const u = await timed(`nobody.${i}.${Date.now()}`, `wrong-password-${i}`);
      const w = await timed('timing.user', `wrong-password-${i}`);
      expect([u.status, w.status]).toEqual([401, 401]);
      unknown.push(u.ms);
      wrong.push(w.ms);
    }
    console.log(
      `[issue 9 #11] unknown user: ${figures(unknown)}; wrong password: ${figures(wrong)}; ratio of medians ${(median(wrong) / median(unknown)).toFixed(2)}`,
    );
    const ratio = median(wrong) / median(unknown);
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.6);
  });

  it('locked and disabled accounts answer exactly like a wrong password until the password is right', async () => {
    const admin = await as(t.url, 'admin');
    const lockedId = await newUser(admin, 'enum.locked');
    const disabledId = await newUser(admin, 'enum.disabled');
    for (let i = 0; i < THRESHOLD; i++)
      expect((await new Client(t.url).login('enum.locked', `guess-${i}`)).status).toBe(401);
    expect((await admin.get(`/api/v1/users/${lockedId}`)).body.status).toBe('locked');
    expect((await admin.patch(`/api/v1/users/${disabledId}`, { status: 'disabled' })).status).toBe(200);

    const answers = await Promise.all([
      timed('nobody.at.all', 'guess-x'),
      timed('operator', 'guess-x'),
      timed('enum.locked', 'guess-x'),
      timed('enum.disabled', 'guess-x'),
    ]);
    for (const a of answers) {
      expect(a.status).toBe(401);
      expect(a.body).toEqual(answers[0].body);
    }
    expect(answers[0].body.error.code).toBe('INVALID_CREDENTIALS');
    // the right password learns the state (and still does not get in)
    const locked = await new Client(t.url).login('enum.locked', PASSWORD);
    expect([locked.status, locked.body.error.code]).toEqual([423, 'ACCOUNT_LOCKED']);
    const disabled = await new Client(t.url).login('enum.disabled', PASSWORD);
    expect([disabled.status, disabled.body.error.code]).toEqual([403, 'ACCOUNT_DISABLED']);
    expect(
      (await admin.get('/api/v1/alerts')).body.some(
        (a: { kind: string; payload: { subject: { username: string } } }) =>
          a.kind === 'account_locked' && a.payload.subject.username === 'enum.locked',
      ),
    ).toBe(true);
  });
});
