import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, as, type TestServer } from '../../test/harness.ts';
import { digest } from './sessions.ts';

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
  const sessions = () => t.services.db.collection<{ _id: string; lastSeenAt: number }>('sessions');
  const idOf = (cookie: string) => digest(cookie.replace(/^provenant_session=/, ''));

  it('does not write lastSeenAt on every request, only when it is a minute old', async () => {
    const c = await as(t.url, 'qa.manager');
    const id = idOf(c.cookie);
    const opened = (await sessions().findOne({ _id: id }))!.lastSeenAt;
    for (let i = 0; i < 3; i++) expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    expect((await sessions().findOne({ _id: id }))!.lastSeenAt).toBe(opened);

    const minuteAgo = Date.now() - 61_000;
    await sessions().updateOne({ _id: id }, { $set: { lastSeenAt: minuteAgo } });
    const before = Date.now();
    expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    expect((await sessions().findOne({ _id: id }))!.lastSeenAt).toBeGreaterThanOrEqual(before);
  });

  it('still ends a session idle for the configured 15 minutes, and keeps one idle for 14', async () => {
    const c = await as(t.url, 'qa.engineer');
    const id = idOf(c.cookie);
    await sessions().updateOne({ _id: id }, { $set: { lastSeenAt: Date.now() - 14 * 60_000 } });
    expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    await sessions().updateOne({ _id: id }, { $set: { lastSeenAt: Date.now() - 15 * 60_000 - 1_000 } });
    const r = await c.get('/api/v1/auth/me');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('SESSION_EXPIRED');
  });
});
