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
  it('GET offers "complete" to the trainee and nothing to someone else', async () => {
    const own = (await k.operator.get(`/api/v1/training/${mine.id}`)).body;
    expect(own.actions).toEqual([
      {
        action: 'complete',
        signature: 'read_and_understood',
        needsReason: false,
        needsDate: false,
        needsValues: false,
        scope: null,
      },
    ]);
    expect((await k.qa.get(`/api/v1/training/${mine.id}`)).body.actions).toEqual([]); // may read it, may not sign it
    expect((await k.operator2.get(`/api/v1/training/${mine.id}`)).status).toBe(404); // another trainee does not see it
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
});
