import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, Client, type TestServer } from '../../test/harness.ts';
import { EVENTS } from '../ledger/ledger.ts';
import { createUser } from './userService.ts';

// Issue 9 #4: with NODE_ENV=production behind a TLS-terminating proxy, sign-in answered 500
// ("Cannot send secure cookie over unencrypted connection") after writing a session and an
// auth.loggedIn event. Now TRUST_PROXY makes the proxy's X-Forwarded-Proto count, and a sign-in
// that cannot be secure is refused before anything is checked or written.
const PRODUCTION = { NODE_ENV: 'production', PROVENANT_SECRET: 'a-production-secret-for-tests-only' };
const PASSWORD = 'Proxy-test-password-1';

/** A browser behind the proxy: every request arrives with the proxy's forwarding headers. */
class ProxiedClient extends Client {
  constructor(
    base: string,
    private forwarded: Record<string, string>,
  ) {
    super(base);
  }
  override request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    return super.request(method, path, body, { ...this.forwarded, ...headers });
  }
}

async function productionServer(trustProxy: boolean) {
  const t = await startTestServer({ env: { ...PRODUCTION, ...(trustProxy ? { TRUST_PROXY: '1' } : {}) } });
  await createUser(t.services, {
    username: 'site.admin',
    fullName: 'Site Admin',
    email: 'site.admin@kangjian.example',
    roles: ['administrator'],
    password: PASSWORD,
    temporary: false,
  });
  return t;
}

const written = async (t: TestServer) => ({
  events: await t.services.db.collection(EVENTS).countDocuments({}),
  loggedIn: await t.services.db.collection(EVENTS).countDocuments({ type: 'auth.loggedIn' }),
  sessions: await t.services.db.collection('sessions').countDocuments({}),
});

describe('production behind a TLS-terminating proxy (TRUST_PROXY=1)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await productionServer(true);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('signs in over X-Forwarded-Proto: https with a Secure cookie, and the session works', async () => {
    const c = new ProxiedClient(t.url, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' });
    const r = await c.login('site.admin', PASSWORD);
    expect(r.status).toBe(200);
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/provenant_session=pvs_/);
    expect(cookie).toMatch(/;\s*secure/i);
    expect(cookie).toMatch(/httponly/i);
    expect((await c.get('/api/v1/auth/me')).body.user.username).toBe('site.admin');
    // a state change with the CSRF token goes through, and sign-out clears the cookie
    expect((await c.post('/api/v1/auth/tokens', { name: 'behind proxy' })).status).toBe(200);
    expect((await c.post('/api/v1/auth/logout')).status).toBe(200);
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('a wrong password writes its failure and nothing else (no session, no auth.loggedIn)', async () => {
    const c = new ProxiedClient(t.url, { 'x-forwarded-proto': 'https' });
    const before = await written(t);
    const r = await c.login('site.admin', 'not-the-password');
    expect(r.status).toBe(401);
    const after = await written(t);
    expect(after).toEqual({ ...before, events: before.events + 1 }); // the auth.loginFailed only
  });

  it('without the proxy header the request is plain HTTP: refused with 403 and nothing written', async () => {
    for (const headers of [{}, { 'x-forwarded-proto': 'http' }] as Record<string, string>[]) {
      const c = new ProxiedClient(t.url, headers);
      const before = await written(t);
      const r = await c.login('site.admin', PASSWORD);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('HTTPS_REQUIRED');
      expect(r.headers.get('set-cookie')).toBeNull();
      expect(await written(t)).toEqual(before);
    }
  });
});

describe('production without TRUST_PROXY', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await productionServer(false);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('does not believe a client-sent X-Forwarded-Proto: refused cleanly, nothing written, in both languages', async () => {
    const c = new ProxiedClient(t.url, { 'x-forwarded-proto': 'https' });
    const before = await written(t);
    const r = await c.login('site.admin', PASSWORD);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('HTTPS_REQUIRED');
    expect(r.body.error.message).toMatch(/TRUST_PROXY/);
    c.locale = 'zh-CN';
    expect((await c.login('site.admin', PASSWORD)).body.error.message).toMatch(/HTTPS/);
    expect(await written(t)).toEqual(before);
  });
});
