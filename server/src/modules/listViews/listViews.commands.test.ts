import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { createUser } from '../../identity/userService.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { DEMO_USERS } from '../../../../seed/demo-users.ts';
import { sign } from '../documents/documents.factory.ts';

// Saved list views (issue 15 item 4, "Done when": saved filters refuse malformed, oversized and
// operator-injected input with a clear 4xx and nothing written) through HTTP on the real engine.
let srv: TestServer;
let author: Client;
let reviewer: Client;
let auditor: Client;
const view = (over: Record<string, unknown> = {}) => ({
  list: 'documents',
  name: { en: 'My SOPs', zh: '我的程序' },
  filters: { type: 'sop', state: 'effective' },
  columns: ['number', 'title', 'state'],
  ...over,
});

beforeAll(async () => {
  srv = await startTestServer({ seed: false });
  await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    for (const u of DEMO_USERS) await createUser(srv.services, { ...u, password: sign.password, temporary: false });
  });
  [author, reviewer, auditor] = await Promise.all(['author', 'reviewer', 'auditor'].map((u) => as(srv.url, u)));
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

describe('list views', () => {
  let id = '';
  let version = 0;

  it('saves, lists (only my own), updates and retires a view through the one command path', async () => {
    const created = await author.post('/api/v1/list-views', view({ default: true }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ list: 'documents', default: true, columns: ['number', 'title', 'state'] });
    expect(created.body.actions.map((a: { action: string }) => a.action).sort()).toEqual(['retire', 'update']);
    id = created.body.id;
    version = created.body.version;
    // another list's view, and another person's view of the same list
    expect(
      (
        await author.post(
          '/api/v1/list-views',
          view({ list: 'lots', filters: { status: 'quarantine' }, columns: ['lotNumber', 'item'] }),
        )
      ).status,
    ).toBe(201);
    expect((await reviewer.post('/api/v1/list-views', view({ name: { en: 'Theirs' } }))).status).toBe(201);

    const mine = await author.get('/api/v1/list-views?list=documents');
    expect(mine.status).toBe(200);
    expect(mine.body.map((v: { id: string }) => v.id)).toEqual([id]);
    expect(
      (await reviewer.get('/api/v1/list-views?list=documents')).body.map((v: { name: { en: string } }) => v.name.en),
    ).toEqual(['Theirs']);
    // a second default of the same list: only the newest stays default (no write on the other)
    const second = await author.post(
      '/api/v1/list-views',
      view({ name: { zh: '草稿' }, filters: { state: 'draft' }, default: true }),
    );
    const listed = (await author.get('/api/v1/list-views?list=documents')).body;
    expect(listed.map((v: { id: string; default: boolean }) => [v.id, v.default])).toEqual([
      [second.body.id, true],
      [id, false],
    ]);

    const updated = await author.post(`/api/v1/list-views/${id}/actions/update`, {
      name: { en: 'SOPs in force' },
      filters: { type: 'sop' },
      columns: ['title', 'number'],
      version,
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body).toMatchObject({
      name: { en: 'SOPs in force' },
      filters: { type: 'sop' },
      columns: ['title', 'number'],
    });
    version = updated.body.version;

    const retired = await author.post(`/api/v1/list-views/${second.body.id}/actions/retire`, {});
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ retired: true, actions: [] });
    expect((await author.get('/api/v1/list-views?list=documents')).body.map((v: { id: string }) => v.id)).toEqual([id]);
    // the ledger keeps it: nothing deleted in place
    const stream = (await author.get(`/api/v1/records/list_view:${second.body.id}/events`)).body;
    if (Array.isArray(stream)) expect(stream.map((e: { type: string }) => e.type)).toContain('list_view.retired');
  });

  it('refuses malformed, oversized and operator-injected views with 4xx, writing nothing', async () => {
    const mark = await markLedger(srv.services);
    const bad: Array<Record<string, unknown>> = [
      {},
      view({ list: 'secrets' }),
      view({ name: { en: '' } }),
      view({ name: {} }),
      view({ name: { en: 'x'.repeat(61) } }), // 61 characters: one over the limit
      view({ name: { en: 'bell\u0007' } }),
      view({ name: 'plain' }),
      view({ columns: Array.from({ length: 31 }, (_, i) => `c${i}`) }), // 31 columns
      view({ columns: ['number', 'password'] }), // not a column of the documents list
      view({ columns: ['lotNumber'] }), // a column of another list
      view({ columns: ['number', 'number'] }),
      view({ filters: { q: 'x'.repeat(201) } }), // a 201-character value
      view({ filters: { q: { $ne: null } } }), // an operator as a value
      view({ filters: { $where: '1' } }), // an operator as a key
      view({ filters: { 'owner.id': 'u1' } }),
      view({ filters: { status: 'open' } }), // a key the documents list does not take
      view({ filters: { type: 'NOT_A_TYPE' } }),
      view({ filters: { page: '2' } }),
      view({ default: 'yes' }),
      view({ extra: 1 }),
      { $ne: null },
    ];
    for (const body of bad) {
      const r = await author.post('/api/v1/list-views', body);
      expect(r.status, JSON.stringify(body).slice(0, 100)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body.error.code).toBeTruthy();
    }
    for (const q of ['', '?list=secrets', '?list[$ne]=x', '?list=documents&owner=x'])
      expect((await author.get(`/api/v1/list-views${q}`)).status).toBe(400);
    // an update judged against the view's own list
    for (const body of [
      { name: { en: 'x' }, filters: { status: 'quarantine' }, columns: ['number'] },
      { name: { en: 'x' }, filters: {}, columns: ['number'], $set: { owner: 'me' } },
      { name: { en: 'x' }, filters: { q: { $ne: null } }, columns: ['number'] },
    ]) {
      const r = await author.post(`/api/v1/list-views/${id}/actions/update`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    await expectNothingWritten(srv.services, mark);
  });

  it("refuses another person's view (403), an auditor, a stale version and a retired view, writing nothing", async () => {
    const mark = await markLedger(srv.services);
    const update = { name: { en: 'Hijacked' }, filters: {}, columns: ['number'] };
    const theirs = await reviewer.post(`/api/v1/list-views/${id}/actions/update`, update);
    expect([theirs.status, theirs.body.error.code]).toEqual([403, 'NOT_YOUR_LIST_VIEW']);
    const retire = await reviewer.post(`/api/v1/list-views/${id}/actions/retire`, {});
    expect([retire.status, retire.body.error.code]).toEqual([403, 'NOT_YOUR_LIST_VIEW']);
    const ro = await auditor.post('/api/v1/list-views', view());
    expect(ro.status).toBe(403);
    const stale = await author.post(`/api/v1/list-views/${id}/actions/update`, { ...update, version: version + 3 });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'STALE_VERSION']);
    expect((await author.post('/api/v1/list-views/nope/actions/retire', {})).status).toBe(404);
    await expectNothingWritten(srv.services, mark);
    expect((await author.post(`/api/v1/list-views/${id}/actions/retire`, { version })).status).toBe(200);
    const after = await markLedger(srv.services);
    const again = await author.post(`/api/v1/list-views/${id}/actions/update`, update);
    expect([again.status, again.body.error.code]).toEqual([409, 'LIST_VIEW_RETIRED']);
    await expectNothingWritten(srv.services, after);
  });
});
