import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { createUser } from '../../identity/userService.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { DEMO_USERS } from '../../../../seed/demo-users.ts';
import { act, cast, effectiveDocument, passRevision, sign, type Cast } from '../documents/documents.factory.ts';

// Training completion on the one command path (training.lifecycle.ts): only the trainee signs
// "read and understood", only on a revision still effective; a refusal writes nothing at all.
let srv: TestServer;
let k: Cast;
let docId = '';
let mine = { id: '', version: 0 };
const refused = async (
  f: () => Promise<{ status: number; body: any }>,
  status: number,
  code: string,
  allowUserEvents = 0,
) => {
  const mark = await markLedger(srv.services);
  const r = await f();
  expect([r.status, r.body?.error?.code]).toEqual([status, code]);
  await expectNothingWritten(srv.services, mark, { allowUserEvents });
};
const complete = (c: Cast['operator'], id: string, body: Record<string, unknown> = sign) =>
  c.post(`/api/v1/training/${id}/complete`, body);

beforeAll(async () => {
  srv = await startTestServer({ seed: false });
  await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    for (const u of DEMO_USERS) await createUser(srv.services, { ...u, password: sign.password, temporary: false });
  });
  k = await cast(srv.url);
  docId = await effectiveDocument(k, { reviewers: [k.ids.reviewer], trainees: { roles: ['operator'], users: [] } });
  const list = (await k.operator.get(`/api/v1/training?document=${docId}`)).body;
  mine = { id: list[0].id, version: list[0].version };
});
afterAll(async () => {
  await srv?.stop();
});

describe('training commands', () => {
  const content = (c: Cast['operator']) => c.bytes(`/api/v1/documents/${docId}/revisions/A/content`);
  const sign_ = {
    action: 'complete',
    signature: 'read_and_understood',
    needsReason: false,
    needsDate: false,
    needsValues: false,
    scope: null,
  };

  it('GET offers "complete" to the trainee, disabled until they opened the revision, and nothing to someone else', async () => {
    const own = (await k.operator.get(`/api/v1/training/${mine.id}`)).body;
    expect(own.openedAt).toBeNull();
    expect(own.actions).toEqual([
      {
        ...sign_,
        blockedBy: expect.objectContaining({ code: 'DOCUMENT_NOT_OPENED', link: { route: 'document', id: docId } }),
      },
    ]);
    expect(own.actions[0].blockedBy.zh).toMatch(/请先打开/);
    const task = (await k.operator.get('/api/v1/tasks')).body.find((x: { id: string }) => x.id === mine.id);
    expect(task.blockedBy).toMatchObject({ code: 'DOCUMENT_NOT_OPENED' }); // the inbox says why, not a dead button
    expect((await k.qa.get(`/api/v1/training/${mine.id}`)).body.actions).toEqual([]); // may read it, may not sign it
    expect((await k.operator2.get(`/api/v1/training/${mine.id}`)).status).toBe(404); // another trainee does not see it
  });

  it('refuses "read and understood" before the revision was opened (409, bilingual), writing nothing', async () => {
    await refused(() => complete(k.operator, mine.id), 409, 'DOCUMENT_NOT_OPENED');
    const r = await complete(k.operator, mine.id);
    expect(r.body.error.message).toMatch(/Open the document revision first/);
    const zh = await k.operator.request('POST', `/api/v1/training/${mine.id}/complete`, sign, {
      'accept-language': 'zh-CN',
    });
    expect(JSON.stringify(zh.body)).toContain('请先打开该文件版本');
  });

  it("records the trainee's opening of the file on the ledger (once); someone else's download records nothing on it", async () => {
    const mark = await markLedger(srv.services);
    expect((await content(k.qa)).status).toBe(200);
    await expectNothingWritten(srv.services, mark);
    expect((await content(k.operator)).status).toBe(200);
    const events = await srv.services.ledger.read(`training:${mine.id}`);
    expect(events.map((e) => e.type)).toEqual(['training.assigned', 'training.document_opened']);
    expect(events[1]).toMatchObject({
      data: { revision: 'A' },
      actor: expect.objectContaining({ id: k.ids.operator }),
    });
    expect((await content(k.operator)).status).toBe(200); // a second opening writes nothing more
    expect((await srv.services.ledger.read(`training:${mine.id}`)).length).toBe(2);
    const own = (await k.operator.get(`/api/v1/training/${mine.id}`)).body;
    expect(own.openedAt).toEqual(expect.any(String));
    expect(own.actions).toEqual([sign_]);
    mine.version = own.version;
  });

  it('refuses someone else completing it (wrong role: not the trainee), writing nothing', async () => {
    await refused(() => complete(k.qa, mine.id), 403, 'NOT_YOUR_TRAINING');
  });

  it("refuses another trainee of the same document signing on the trainee's behalf (separation of duties)", async () => {
    await refused(() => complete(k.operator2, mine.id), 403, 'NOT_YOUR_TRAINING');
  });

  it("on a wrong password writes only the failed attempt on the trainee's account", async () => {
    await refused(() => complete(k.operator, mine.id, { password: 'not-my-password' }), 401, 'INVALID_CREDENTIALS', 1);
  });

  it('refuses a version the record is not at (stale view), writing nothing', async () => {
    await refused(() => complete(k.operator, mine.id, { ...sign, version: mine.version + 1 }), 409, 'STALE_VERSION');
  });

  it('completes for the trainee at the version they saw, and then offers nothing more', async () => {
    const r = await complete(k.operator, mine.id, { ...sign, version: mine.version });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'done', actions: [] });
    await refused(() => complete(k.operator, mine.id), 409, 'TRAINING_ALREADY_DONE');
  });

  it('no longer offers or accepts training on a revision that was superseded', async () => {
    const [old] = (await k.operator2.get(`/api/v1/training?document=${docId}`)).body;
    await act(k.author, docId, 'new_revision');
    await passRevision(k, docId);
    expect((await k.operator2.get(`/api/v1/training/${old.id}`)).body.actions).toEqual([]);
    await refused(() => complete(k.operator2, old.id), 409, 'TRAINING_NOT_CURRENT');
  });

  it('assigns the effective revision to many people at once, all or nothing; people already assigned are skipped', async () => {
    const url = `/api/v1/documents/${docId}/training`;
    const doc = (await k.author.get(`/api/v1/documents/${docId}`)).body;
    const many = [k.ids.operator, k.ids.reviewer2, k.ids.author];
    // one unknown person refuses the whole request: nobody is assigned
    await refused(() => k.qa.post(url, { userIds: [...many, 'no-such-user'] }), 422, 'TRAINEES_NOT_ACTIVE');
    // neither the document's owner nor a training coordinator
    await refused(() => k.operator.post(url, { userIds: many }), 403, 'FORBIDDEN');
    const mark = await markLedger(srv.services);
    for (const body of [
      {},
      { userIds: [] },
      { userIds: Array.from({ length: 201 }, (_, i) => `u${i}`) },
      { userIds: [{ $ne: null }] },
      { userIds: { $ne: null } },
      { userIds: many, extra: 1 },
    ])
      expect((await k.qa.post(url, body)).status, JSON.stringify(body).slice(0, 60)).toBe(400);
    await expectNothingWritten(srv.services, mark);

    const r = await k.qa.post(url, { userIds: [...many, k.ids.reviewer2] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.revision).toBe(doc.effective ?? r.body.revision);
    // the operators were assigned when the revision became effective: skipped, not duplicated
    expect(r.body.skipped).toEqual([{ userId: k.ids.operator, status: 'open' }]);
    expect([...r.body.assigned].sort()).toEqual([k.ids.reviewer2, k.ids.author].sort());
    const list = (await k.qa.get(`/api/v1/training?document=${docId}`)).body as Array<{
      userId?: string;
      user?: { id: string };
      revision: string;
    }>;
    const onRev = list.filter((t) => t.revision === r.body.revision);
    const who = onRev.map((t) => t.userId ?? t.user?.id);
    expect(who.filter((x) => x === k.ids.reviewer2)).toHaveLength(1);
    expect(who.filter((x) => x === k.ids.operator)).toHaveLength(1);
    // a second request assigns nothing more
    const again = await k.qa.post(url, { userIds: many });
    expect(again.body.assigned).toEqual([]);
    expect(again.body.skipped).toHaveLength(3);
  });
});
