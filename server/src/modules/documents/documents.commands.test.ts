import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { createUser } from '../../identity/userService.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { DEMO_USERS } from '../../../../seed/demo-users.ts';
import { act, cast, effectiveDocument, newDocumentBody, sign, upload, type Cast } from './documents.factory.ts';

// Documents on the one command path (records/command.ts): a refused action — wrong role,
// separation of duties, wrong password, stale version — writes nothing at all, and GET offers
// exactly the actions the declaration (document.lifecycle.ts) allows this user now.
let srv: TestServer;
let k: Cast;
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
  return r;
};

beforeAll(async () => {
  srv = await startTestServer({ seed: false });
  await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    for (const u of DEMO_USERS) await createUser(srv.services, { ...u, password: sign.password, temporary: false });
  });
  k = await cast(srv.url);
});
afterAll(async () => {
  await srv?.stop();
});

describe('document commands', () => {
  let id = '';

  it('GET offers the review to a named reviewer and nothing to someone else', async () => {
    id = (await k.author.post('/api/v1/documents', newDocumentBody(k.ids))).body.id;
    await upload(k.author, id);
    expect((await act(k.author, id, 'submit')).status).toBe(200);
    const mine = (await k.reviewer.get(`/api/v1/documents/${id}`)).body.actions.map(
      (a: { action: string }) => a.action,
    );
    expect(mine).toEqual(['review', 'reject']);
    expect((await k.operator.get(`/api/v1/documents/${id}`)).body.actions).toEqual([]);
  });

  it('refuses a reviewer who is not named (wrong role), writing nothing', async () => {
    await refused(() => act(k.operator, id, 'review', sign), 409, 'NOT_A_REVIEWER');
  });

  it('refuses the author reviewing their own revision (separation of duties), writing nothing', async () => {
    await refused(() => act(k.author, id, 'review', sign), 409, 'SIGNER_IS_AUTHOR');
  });

  it("on a wrong password writes only the failed attempt on the signer's account", async () => {
    await refused(() => act(k.reviewer, id, 'review', { password: 'not-the-password' }), 401, 'INVALID_CREDENTIALS', 1);
  });

  it('refuses an unsigned action on a version the user did not see (stale), writing nothing', async () => {
    const draft = (await k.author.post('/api/v1/documents', newDocumentBody(k.ids))).body;
    await upload(k.author, draft.id);
    await refused(
      () => k.author.post(`/api/v1/documents/${draft.id}/actions/submit`, { version: draft.version }),
      409,
      'STALE_VERSION',
    );
  });

  it('refuses obsoleting without the permission (wrong role), writing nothing', async () => {
    const eff = await effectiveDocument(k);
    await refused(() => act(k.author, eff, 'obsolete', { ...sign, reason: 'no longer used' }), 403, 'FORBIDDEN');
  });

  it('refuses a named approver approving a revision they started (separation of duties: not the author)', async () => {
    const eff = await effectiveDocument(k);
    expect((await act(k.qa, eff, 'new_revision')).status).toBe(200); // the QA manager writes revision B…
    await upload(k.qa, eff);
    expect((await act(k.qa, eff, 'submit')).status).toBe(200);
    for (const c of [k.reviewer, k.reviewer2]) expect((await act(c, eff, 'review', sign)).status).toBe(200);
    const d = (await k.qa.get(`/api/v1/documents/${eff}`)).body;
    expect(d.revisions[1].state).toBe('approval');
    expect(d.actions.map((a: { action: string }) => a.action)).not.toContain('approve'); // …so approving it is not offered to them
    await refused(() => act(k.qa, eff, 'approve', sign), 409, 'SIGNER_IS_AUTHOR');
  });
});

describe('document department', () => {
  it('lists the departments (bilingual) and the roles that may sign; refuses a department not on the list at the field, writing nothing', async () => {
    const list = (await k.author.get('/api/v1/document-departments')).body as { code: string; name: object }[];
    expect(list.find((d) => d.code === 'QA')).toEqual({
      code: 'QA',
      name: { en: 'Quality assurance', zh: '质量保证部' },
    });
    const r = await refused(
      () => k.author.post('/api/v1/documents', newDocumentBody(k.ids, { department: 'QAX' })),
      400,
      'VALIDATION_FAILED',
    );
    expect(r.body.error.details).toEqual([
      { path: 'body.department', message: expect.stringMatching(/unknown department/) },
    ]);
    k.author.locale = 'zh-CN';
    const zh = await refused(
      () => k.author.post('/api/v1/documents', newDocumentBody(k.ids, { department: 'xyz' })),
      400,
      'VALIDATION_FAILED',
    );
    k.author.locale = 'en-US';
    expect(zh.body.error.message).toMatch(/未知部门/);
    // a listed code in lower case is the same department
    // who may be named: the pickers offer only the roles the server accepts (signerRoles.ts)
    const signers = (await k.author.get('/api/v1/document-signer-roles')).body;
    expect(signers.approver.sop).toEqual(['qa_manager', 'qa_engineer']);
    expect(signers.reviewer.sop).toEqual(['reviewer', 'qa_manager', 'qa_engineer']);
    const ok = await k.author.post('/api/v1/documents', newDocumentBody(k.ids, { department: 'lab', type: 'form' }));
    expect([ok.status, ok.body.number]).toEqual([201, expect.stringMatching(/^FRM-LAB-\d{4}$/)]);
  });
});
