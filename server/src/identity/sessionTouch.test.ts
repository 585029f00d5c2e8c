import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, as, Client, type TestServer } from '../../test/harness.ts';
import { digest, type SessionRow } from './sessions.ts';
import { sessionKey } from './authCache.ts';

// lastSeenAt is written at most once a minute per session (issue 14 item 6), and the idle timeout
// (SESSION_IDLE_MINUTES, 15 in this test server) still ends a session after at most that long.
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ seed: true, env: { SESSION_IDLE_MINUTES: '15' } });
});
afterAll(async () => {
  await t?.stop();
});

describe('session lastSeenAt write granularity', () => {
  const sessions = () => t.services.db.collection<SessionRow>('sessions');
  const idOf = (cookie: string) => digest(cookie.replace(/^provenant_session=/, ''));
  // the tests move lastSeenAt back in the database to simulate elapsed time; the server caches
  // session rows (authCache.ts), so the edit is announced as any other server's change would be
  const setLastSeen = async (id: string, lastSeenAt: number) => {
    await sessions().updateOne({ _id: id }, { $set: { lastSeenAt } });
    await t.services.sessions.cache.changed(sessionKey(id));
  };

  it('does not write lastSeenAt on every request, only when it is a minute old', async () => {
    const c = await as(t.url, 'qa.manager');
    const id = idOf(c.cookie);
    const opened = (await sessions().findOne({ _id: id }))!.lastSeenAt;
    for (let i = 0; i < 3; i++) expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    expect((await sessions().findOne({ _id: id }))!.lastSeenAt).toBe(opened);

    const minuteAgo = Date.now() - 61_000;
    await setLastSeen(id, minuteAgo);
    const before = Date.now();
    expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    expect((await sessions().findOne({ _id: id }))!.lastSeenAt).toBeGreaterThanOrEqual(before);
  });

  it('still ends a session idle for the configured 15 minutes, and keeps one idle for 14', async () => {
    const c = await as(t.url, 'qa.engineer');
    const id = idOf(c.cookie);
    await setLastSeen(id, Date.now() - 14 * 60_000);
    expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    await setLastSeen(id, Date.now() - 15 * 60_000 - 1_000);
    const r = await c.get('/api/v1/auth/me');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('SESSION_EXPIRED');
  });

  it('serves a repeated check from the cache, and re-reads the row before ending a session for idleness', async () => {
    const c = await as(t.url, 'reviewer');
    const id = idOf(c.cookie);
    expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    const hits = t.services.sessions.cache.stats.hits;
    expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    expect(t.services.sessions.cache.stats.hits).toBeGreaterThan(hits);
    // this server's cached row says idle for 16 minutes, while another server has kept the session
    // alive (the stored lastSeenAt is recent): it is not ended
    const stored = (await sessions().findOne({ _id: id }))!;
    t.services.sessions.cache.putSession({ ...stored, lastSeenAt: Date.now() - 16 * 60_000 });
    expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    expect((await sessions().findOne({ _id: id }))!).not.toHaveProperty('endedAt');
  });
});

// Issue 14 item 6: the session check is served from an in-process cache (authCache.ts); every
// change that ends or narrows access must still take effect on the very next request on this
// server (21 CFR 11.10(d) limiting access; 11.300 token controls).
describe('session cache: access changes take effect on the next request', () => {
  const warmed = async (c: Client) => {
    for (let i = 0; i < 2; i++) expect((await c.get('/api/v1/auth/me')).status).toBe(200);
  };

  it('a logout refuses the same cookie on the very next request', async () => {
    const c = await as(t.url, 'reviewer2');
    const copy = new Client(t.url);
    copy.cookie = c.cookie;
    await warmed(copy);
    expect((await c.post('/api/v1/auth/logout')).status).toBe(200);
    expect((await copy.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('a revoked API token is refused on the very next request', async () => {
    const c = await as(t.url, 'author');
    const tk = await c.post('/api/v1/auth/tokens', { name: 'cache check' });
    expect(tk.status).toBe(200);
    const bot = new Client(t.url);
    bot.bearer = tk.body.token;
    await warmed(bot);
    expect((await c.post(`/api/v1/auth/tokens/${tk.body.id}/revoke`)).status).toBe(200);
    expect((await bot.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('a role change shows on the next request, a deactivation refuses session and token at once', async () => {
    const admin = await as(t.url, 'admin');
    const clerk = await as(t.url, 'warehouse');
    const tk = await clerk.post('/api/v1/auth/tokens', { name: 'scanner' });
    const bot = new Client(t.url);
    bot.bearer = tk.body.token;
    await warmed(clerk);
    await warmed(bot);
    const me = (await clerk.get('/api/v1/auth/me')).body.user as { id: string; roles: string[] };
    const roles = [...me.roles, 'auditor'];
    expect((await admin.patch(`/api/v1/users/${me.id}`, { roles })).status).toBe(200);
    expect((await clerk.get('/api/v1/auth/me')).body.user.roles).toEqual(roles);
    expect((await bot.get('/api/v1/auth/me')).body.user.roles).toEqual(roles);
    expect((await admin.patch(`/api/v1/users/${me.id}`, { status: 'disabled' })).status).toBe(200);
    expect((await clerk.get('/api/v1/auth/me')).status).toBe(401);
    expect((await bot.get('/api/v1/auth/me')).status).toBe(401);
  });
});
