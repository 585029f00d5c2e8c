import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, Client, type TestServer } from '../../../test/harness.ts';
import { createUser } from '../../identity/userService.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { DEMO_USERS } from '../../../../seed/demo-users.ts';
import { act, cast, effectiveDocument, passRevision, sign, type Cast } from '../documents/documents.factory.ts';
import { isTrained } from './trainingService.ts';

// Training records through HTTP. This file loads the demo people only (not the document seed),
// so it also shows the documents module working on an empty register.
let srv: TestServer;
let k: Cast;
let docId = '';
const ledgerCount = () => srv.services.ledger.count();

beforeAll(async () => {
  srv = await startTestServer({ seed: false });
  await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    for (const u of DEMO_USERS) await createUser(srv.services, { ...u, password: sign.password, temporary: false });
  });
  k = await cast(srv.url);
  docId = await effectiveDocument(k, {
    reviewers: [k.ids.reviewer],
    trainees: { roles: ['operator'], users: [k.ids.warehouse] },
  });
});
afterAll(async () => {
  await srv?.stop();
});

const trainingOf = async (c: Client) =>
  (await c.get(`/api/v1/training?document=${docId}`)).body as Array<{
    id: string;
    userId: string;
    status: string;
    revision: string;
  }>;

describe('training records', () => {
  it('are created for each named person and each holder of a named role when a revision becomes effective', async () => {
    const all = (await k.qa.get(`/api/v1/training?document=${docId}`)).body;
    expect(all.map((t: { userId: string }) => t.userId).sort()).toEqual(
      [k.ids.operator, k.ids.operator2, k.ids.warehouse].sort(),
    );
    expect(
      all.every(
        (t: { status: string; revision: string; due: string }) =>
          t.status === 'open' && t.revision === 'A' && /^\d{4}-\d{2}-\d{2}$/.test(t.due),
      ),
    ).toBe(true);
  });

  it('are private to their trainee unless one may read all training', async () => {
    const own = await trainingOf(k.operator);
    expect(own.map((t) => t.userId)).toEqual([k.ids.operator]);
    expect((await k.operator.get(`/api/v1/training?user=${k.ids.operator2}`)).status).toBe(403);
    expect((await k.operator.get('/api/v1/training')).body).toHaveLength(1);
    expect((await new Client(srv.url).get('/api/v1/training')).status).toBe(401);
  });

  it("refuses to complete someone else's training, a missing password and a wrong one", async () => {
    const [mine] = await trainingOf(k.operator);
    // the trainee opens the revision first ("read and understood" waits for it: training.commands.test.ts)
    expect((await k.operator.bytes(`/api/v1/documents/${docId}/revisions/${mine.revision}/content`)).status).toBe(200);
    const other = await (async () => {
      const before = await ledgerCount();
      const r = await k.operator2.post(`/api/v1/training/${mine.id}/complete`, sign);
      expect(await ledgerCount()).toBe(before);
      return r;
    })();
    expect([other.status, other.body.error.code]).toEqual([403, 'NOT_YOUR_TRAINING']);
    const before = await ledgerCount();
    expect((await k.operator.post(`/api/v1/training/${mine.id}/complete`, {})).status).toBe(400);
    expect(await ledgerCount()).toBe(before);
    const wrong = await k.operator.post(`/api/v1/training/${mine.id}/complete`, { password: 'not-my-password' });
    expect(wrong.status).toBe(401);
    expect(await ledgerCount()).toBe(before + 1); // the failed attempt, nothing else
    expect((await k.operator.post('/api/v1/training/nope/complete', sign)).status).toBe(404);
  });

  it('completes with the trainee\'s "read and understood" signature, once', async () => {
    const [mine] = await trainingOf(k.operator);
    const r = await k.operator.post(`/api/v1/training/${mine.id}/complete`, sign);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'done', userId: k.ids.operator });
    const sigs = (await k.operator.get(`/api/v1/records/training:${mine.id}/signatures`)).body;
    expect(sigs).toEqual([
      expect.objectContaining({
        meaning: 'read_and_understood',
        valid: true,
        signer: { id: k.ids.operator, name: expect.any(String) },
      }),
    ]);
    const twice = await k.operator.post(`/api/v1/training/${mine.id}/complete`, sign);
    expect([twice.status, twice.body.error.code]).toEqual([409, 'TRAINING_ALREADY_DONE']);
    expect(await isTrained(srv.services, k.ids.operator, docId)).toEqual({ trained: true, revision: 'A' });
    expect(await isTrained(srv.services, k.ids.operator2, docId)).toEqual({ trained: false, revision: 'A' });
    expect((await k.operator.get('/api/v1/tasks')).body.filter((t: { kind: string }) => t.kind === 'training')).toEqual(
      [],
    );
  });

  it('moves to the new revision when it becomes effective; the old one can no longer be completed', async () => {
    const [old] = await trainingOf(k.operator2);
    await act(k.author, docId, 'new_revision');
    await passRevision(k, docId);
    expect(await isTrained(srv.services, k.ids.operator, docId)).toEqual({ trained: false, revision: 'B' });
    const before = await ledgerCount();
    const stale = await k.operator2.post(`/api/v1/training/${old.id}/complete`, sign);
    expect([stale.status, stale.body.error.code]).toEqual([409, 'TRAINING_NOT_CURRENT']);
    expect(await ledgerCount()).toBe(before);
    const tasks = (await k.operator2.get('/api/v1/tasks')).body.filter((t: { kind: string }) => t.kind === 'training');
    expect(tasks.map((t: { revision: string }) => t.revision)).toEqual(['B']);
  });

  it('are listed per document for its owner', async () => {
    const rows = (await k.author.get(`/api/v1/documents/${docId}/training`)).body;
    expect(rows).toHaveLength(6);
    expect(rows.filter((r: { status: string }) => r.status === 'done')).toHaveLength(1);
    const own = (await k.operator.get(`/api/v1/documents/${docId}/training`)).body;
    expect(own.every((r: { userId: string }) => r.userId === k.ids.operator)).toBe(true);
  });
});
