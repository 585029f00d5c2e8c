import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, as, Client, type TestServer } from '../../test/harness.ts';
import { EVENTS } from '../ledger/ledger.ts';

// Issue 9 #8 (a password change left other sessions and tokens working), #10 (the auditor read
// every account through GET /users) and #15 (an administrator could grant themselves QA manager
// and disable the last active administrator).
let t: TestServer;
const ledgerCount = () => t.services.db.collection(EVENTS).countDocuments({});
const eventsOf = (stream: string) => t.services.db.collection(EVENTS).find({ stream }).sort({ version: 1 }).toArray();

beforeAll(async () => {
  t = await startTestServer({ seed: true });
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
  const c = new Client(t.url);
  await c.login(username, 'Temporary-pass-001');
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
const signedIn = async (username: string, password = 'Chosen-password-001') => {
  const c = new Client(t.url);
  expect((await c.login(username, password)).status).toBe(200);
  return c;
};
const bot = (token: string) => Object.assign(new Client(t.url), { bearer: token });

describe('a password change ends the other ways in (#8)', () => {
  it('ends the other sessions and every API token, keeps the one that changed it, on the ledger', async () => {
    const admin = await as(t.url, 'admin');
    const { id, client: laptop } = await newUser(admin, 'pw.change');
    const phone = await signedIn('pw.change');
    const tokens = [
      await laptop.post('/api/v1/auth/tokens', { name: 'ERP' }),
      await phone.post('/api/v1/auth/tokens', { name: 'script' }),
    ];
    for (const tk of tokens) expect((await bot(tk.body.token).get('/api/v1/auth/me')).status).toBe(200);

    expect(
      (
        await laptop.post('/api/v1/auth/password', {
          currentPassword: 'Chosen-password-001',
          newPassword: 'Chosen-password-002',
        })
      ).status,
    ).toBe(200);
    expect((await laptop.get('/api/v1/auth/me')).status).toBe(200);
    expect((await phone.get('/api/v1/auth/me')).status).toBe(401);
    for (const tk of tokens) expect((await bot(tk.body.token).get('/api/v1/auth/me')).status).toBe(401);
    const listed = (await laptop.get('/api/v1/auth/tokens')).body as { revokedAt: string | null }[];
    expect(listed.every((x) => x.revokedAt)).toBe(true);
    const change = (await eventsOf(`user:${id}`)).filter((e) => e.type === 'user.passwordChanged').at(-1)!;
    expect(change.data.sessionsEnded).toBe(1);
    expect([...change.data.tokensRevoked].sort()).toEqual(tokens.map((tk) => tk.body.id).sort());
  });

  it('a refused change (wrong current password) ends nothing', async () => {
    const admin = await as(t.url, 'admin');
    const { client } = await newUser(admin, 'pw.refused');
    const other = await signedIn('pw.refused');
    const tk = await other.post('/api/v1/auth/tokens', { name: 'keep' });
    const r = await client.post('/api/v1/auth/password', {
      currentPassword: 'wrong-password-here',
      newPassword: 'Chosen-password-009',
    });
    expect(r.status).toBe(401);
    expect((await other.get('/api/v1/auth/me')).status).toBe(200);
    expect((await bot(tk.body.token).get('/api/v1/auth/me')).status).toBe(200);
  });

  it("an administrator's reset ends every session and token of the account, on the ledger", async () => {
    const admin = await as(t.url, 'admin');
    const { id, client } = await newUser(admin, 'pw.reset');
    const tk = await client.post('/api/v1/auth/tokens', { name: 'sync' });
    expect(
      (await admin.post(`/api/v1/users/${id}/reset-password`, { temporaryPassword: 'Temporary-pass-002' })).status,
    ).toBe(200);
    expect((await client.get('/api/v1/auth/me')).status).toBe(401);
    expect((await bot(tk.body.token).get('/api/v1/auth/me')).status).toBe(401);
    const reset = (await eventsOf(`user:${id}`)).at(-1)!;
    expect(reset).toMatchObject({
      type: 'user.passwordChanged',
      data: { temporary: true, sessionsEnded: 1, tokensRevoked: [tk.body.id] },
    });
  });
});

describe('who sees accounts (#10)', () => {
  it('refuses the auditor the user list and every account; the portal is their directory', async () => {
    const auditor = await as(t.url, 'auditor');
    const admin = await as(t.url, 'admin');
    const users = (await admin.get('/api/v1/users')).body as { id: string; username: string }[];
    const r = await auditor.get('/api/v1/users');
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).not.toMatch(/@kangjian/);
    for (const u of users.slice(0, 5)) expect((await auditor.get(`/api/v1/users/${u.id}`)).status).toBe(403);
  });

  it('colleagues see names and roles to pick reviewers, not e-mail, second factor or last sign-in', async () => {
    const op = await as(t.url, 'operator');
    const list = (await op.get('/api/v1/users')).body as Record<string, unknown>[];
    const others = list.filter((u) => u.username !== 'operator');
    expect(others.length).toBeGreaterThan(5);
    for (const u of others) {
      expect(Object.keys(u).sort()).toEqual(['fullName', 'id', 'roles', 'status', 'username']);
    }
    const qa = others.find((u) => u.username === 'qa.manager')!;
    expect(Object.keys((await op.get(`/api/v1/users/${qa.id}`)).body)).not.toContain('email');
    // one's own account in full
    const me = list.find((u) => u.username === 'operator')!;
    expect(me).toHaveProperty('email');
    expect((await op.get(`/api/v1/users/${me.id}`)).body).toHaveProperty('lastLoginAt');
    // administrators manage accounts: they see everything
    const full = (await (await as(t.url, 'admin')).get('/api/v1/users')).body as Record<string, unknown>[];
    expect(full.every((u) => 'email' in u && 'totpEnrolled' in u && 'lastLoginAt' in u)).toBe(true);
  });
});

describe('administrators and their own account (#15)', () => {
  it("refuses changing one's own roles or status, with nothing written; name and e-mail stay one's own", async () => {
    const admin = await as(t.url, 'admin');
    const me = (await admin.get('/api/v1/auth/me')).body.user;
    const before = await ledgerCount();
    for (const patch of [
      { roles: ['administrator', 'qa_manager'] },
      { roles: ['qa_manager'] },
      { status: 'disabled' },
    ]) {
      const r = await admin.patch(`/api/v1/users/${me.id}`, patch);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('SELF_CHANGE_REFUSED');
    }
    const reset = await admin.post(`/api/v1/users/${me.id}/reset-password`, {
      temporaryPassword: 'Temporary-pass-003',
    });
    expect(reset.body.error.code).toBe('SELF_CHANGE_REFUSED');
    expect(await ledgerCount()).toBe(before);
    // the edit dialog sends the unchanged roles and status along with the e-mail
    const ok = await admin.patch(`/api/v1/users/${me.id}`, {
      email: 'it.admin@kangjian.example',
      roles: [...me.roles].reverse(),
      status: 'active',
    });
    expect(ok.status).toBe(200);
    expect(ok.body.email).toBe('it.admin@kangjian.example');
  });

  it('a second administrator grants the role; the last active administrator is never disabled or demoted', async () => {
    const admin = await as(t.url, 'admin');
    const adminId = (await admin.get('/api/v1/auth/me')).body.user.id;
    const a2 = await newUser(admin, 'admin.two', ['administrator']);
    const a3 = await newUser(admin, 'admin.three', ['administrator']);
    // another administrator may grant QA manager
    const granted = await a2.client.patch(`/api/v1/users/${adminId}`, { roles: ['administrator', 'qa_manager'] });
    expect(granted.status).toBe(200);
    // leave exactly two active administrators, then let them disable each other at the same moment
    expect((await a2.client.patch(`/api/v1/users/${adminId}`, { roles: ['qa_manager'] })).status).toBe(200);
    const before = await ledgerCount();
    const [one, two] = await Promise.all([
      a2.client.patch(`/api/v1/users/${a3.id}`, { status: 'disabled' }),
      a3.client.patch(`/api/v1/users/${a2.id}`, { status: 'disabled' }),
    ]);
    // exactly one wins; the other is refused as the last administrator (or, had the winner's
    // change landed before its request was even authenticated, as a disabled account)
    expect([one, two].filter((r) => r.status === 200)).toHaveLength(1);
    const loser = [one, two].find((r) => r.status !== 200)!;
    expect(loser.status === 409 ? loser.body.error.code : loser.status).toBe(
      loser.status === 409 ? 'LAST_ADMINISTRATOR' : 401,
    );
    expect(await ledgerCount()).toBe(before + 1);
    const survivor = one.status === 200 ? a2 : a3;
    const gone = one.status === 200 ? a3 : a2;
    // the survivor is the last one: demoting them is refused too (by themselves it is a self-change)
    const demote = await survivor.client.patch(`/api/v1/users/${survivor.id}`, { roles: ['operator'] });
    expect(demote.body.error.code).toBe('SELF_CHANGE_REFUSED');
    // re-enable the other; now either may be changed again
    expect((await survivor.client.patch(`/api/v1/users/${gone.id}`, { status: 'active' })).status).toBe(200);
    const users = (await survivor.client.get('/api/v1/users')).body as { roles: string[]; status: string }[];
    expect(users.filter((u) => u.roles.includes('administrator') && u.status === 'active')).toHaveLength(2);
  });
});
