import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { createUser } from '../../identity/userService.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { DEMO_USERS } from '../../../../seed/demo-users.ts';
import { act, cast, newDocumentBody, sign, upload, type Cast } from '../documents/documents.factory.ts';

// Review comments on the one command path (reviewComment.lifecycle.ts) and the approval they
// hold (documents/reviewGate.ts): every refusal — wrong role, separation of duties, wrong
// password, stale version, bad input, a revision not under review — writes nothing at all.
let srv: TestServer;
let k: Cast;
let docId = '';
let c1 = { id: '', version: 0 };
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
const post = (c: Cast['author'], body: unknown, id = docId) => c.post(`/api/v1/documents/${id}/comments`, body);

beforeAll(async () => {
  srv = await startTestServer({ seed: false });
  await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    for (const u of DEMO_USERS) await createUser(srv.services, { ...u, password: sign.password, temporary: false });
  });
  k = await cast(srv.url);
  docId = (await k.author.post('/api/v1/documents', newDocumentBody(k.ids))).body.id;
  await upload(k.author, docId);
  expect((await act(k.author, docId, 'submit')).status).toBe(200);
  const r = await post(k.reviewer, { revision: 'A', text: 'Step 4 does not say which detergent.' });
  expect(r.status).toBe(201);
  c1 = { id: r.body.id, version: r.body.version };
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

describe('review comment commands', () => {
  it('offers "resolve" to the commenter and the revision author, and nothing to another reviewer', async () => {
    const own = (await k.reviewer.get(`/api/v1/review-comments/${c1.id}`)).body;
    expect(own.actions.map((a: { action: string }) => a.action)).toEqual(['resolve']);
    expect((await k.author.get(`/api/v1/review-comments/${c1.id}`)).body.actions.map((a: any) => a.action)).toEqual([
      'resolve',
    ]);
    expect((await k.reviewer2.get(`/api/v1/review-comments/${c1.id}`)).body.actions).toEqual([]);
    expect((await k.operator.get(`/api/v1/review-comments/${c1.id}`)).status).toBe(404); // not of the review
  });

  it('refuses the wrong role: another reviewer resolving, someone outside the review posting, writing nothing', async () => {
    await refused(() => k.reviewer2.post(`/api/v1/review-comments/${c1.id}/resolve`, {}), 403, 'NOT_YOURS_TO_RESOLVE');
    await refused(() => post(k.operator, { revision: 'A', text: 'hello' }), 403, 'NOT_A_REVIEW_PARTICIPANT');
    await refused(() => k.operator.get(`/api/v1/documents/${docId}/comments`), 403, 'NOT_A_REVIEW_PARTICIPANT');
  });

  it('refuses a version the comment is not at (stale view), writing nothing', async () => {
    await refused(
      () => k.reviewer.post(`/api/v1/review-comments/${c1.id}/resolve`, { version: c1.version + 1 }),
      409,
      'STALE_VERSION',
    );
  });

  it('refuses bad input and a revision not under review, writing nothing', async () => {
    await refused(() => post(k.reviewer, { revision: 'A', text: { $ne: null } }), 400, 'VALIDATION_FAILED');
    await refused(() => post(k.reviewer, { revision: { $ne: null }, text: 'x' }), 400, 'VALIDATION_FAILED');
    await refused(() => post(k.reviewer, { revision: 'A', text: '   ' }), 400, 'VALIDATION_FAILED');
    await refused(() => post(k.reviewer, { revision: 'A', text: 'x'.repeat(4001) }), 400, 'VALIDATION_FAILED');
    await refused(() => post(k.reviewer, { revision: 'B', text: 'x' }), 409, 'REVISION_NOT_UNDER_REVIEW');
    await refused(
      () => k.reviewer.get(`/api/v1/documents/${docId}/comments?revision=${encodeURIComponent('{"$ne":null}')}`),
      400,
      'VALIDATION_FAILED',
    );
    const draft = (await k.author.post('/api/v1/documents', newDocumentBody(k.ids))).body.id;
    await refused(
      () => post(k.reviewer, { revision: 'A', text: 'too early' }, draft),
      409,
      'REVISION_NOT_UNDER_REVIEW',
    );
    expect((await post(k.reviewer, { revision: 'A', text: 'x'.repeat(4000) })).status).toBe(201); // the bound itself
  });

  it('on the approval it holds: the author may not approve (separation of duties), a wrong password writes only its failed attempt', async () => {
    for (const c of [k.reviewer, k.reviewer2]) expect((await act(c, docId, 'review', sign)).status).toBe(200);
    const over = { ...sign, overrideComments: 'Detergent named in the change record CR-1.' };
    await refused(() => act(k.author, docId, 'approve', over), 409, 'SIGNER_IS_AUTHOR');
    await refused(
      () => act(k.qa, docId, 'approve', { ...over, password: 'not-my-password' }),
      401,
      'INVALID_CREDENTIALS',
      1,
    );
    await refused(() => act(k.qa, docId, 'approve', sign), 409, 'COMMENTS_UNRESOLVED');
  });

  it('resolves for the commenter at the version they saw, then offers "reopen"', async () => {
    const r = await k.reviewer.post(`/api/v1/review-comments/${c1.id}/resolve`, { version: c1.version, note: 'fixed' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'resolved', resolvedBy: { id: k.ids.reviewer }, note: 'fixed' });
    expect(r.body.actions.map((a: { action: string }) => a.action)).toEqual(['reopen']);
    await refused(
      () => k.reviewer.post(`/api/v1/review-comments/${c1.id}/resolve`, {}),
      409,
      'COMMENT_ALREADY_RESOLVED',
    );
  });
});
