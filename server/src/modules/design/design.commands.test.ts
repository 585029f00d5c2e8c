import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { createUser } from '../../identity/userService.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { DEMO_USERS } from '../../../../seed/demo-users.ts';
import {
  act,
  approvedProject,
  designCast,
  device,
  element,
  ok,
  plan,
  projectAct,
  sign,
  type DesignCast,
} from './design.factory.ts';

// Design element approval on the one command path (element.lifecycle.ts): the wrong role, the
// element's own author (ISO 13485:2016 4.2.4), a review signed by someone responsible for the
// stage reviewed (7.3.5: "an individual(s) who does not have direct responsibility for the stage
// being reviewed" — QMSR 820.30(e) in its 2024 text defers to 7.3.5), a wrong password and a
// stale version are refused, each writing nothing at all.
let srv: TestServer;
let k: DesignCast;
let projectId = '';
let input = '';
const refused = async (f: () => Promise<{ status: number; body: any }>, status: number, code: string, users = 0) => {
  const mark = await markLedger(srv.services);
  const r = await f();
  expect([r.status, r.body?.error?.code]).toEqual([status, code]);
  await expectNothingWritten(srv.services, mark, { allowUserEvents: users });
};

beforeAll(async () => {
  srv = await startTestServer({ seed: false });
  await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    for (const u of DEMO_USERS) await createUser(srv.services, { ...u, password: sign.password, temporary: false });
  });
  k = await designCast(srv.url);
  projectId = await approvedProject(k, await device(k, 'FG-PUMP-D1'));
  input = await element(k, projectId, 'input', 'DI-001', { riskControls: ['RC-07'] });
});
afterAll(async () => {
  await srv?.stop();
});

describe('design element commands', () => {
  it('offers approve to an approver who did not write it, edit to the writer, nothing to a reader', async () => {
    const actions = async (c: DesignCast['qa']) =>
      (await c.get(`/api/v1/design-elements/${input}`)).body.actions.map((a: { action: string }) => a.action);
    expect(await actions(k.qa)).toEqual(['edit', 'approve']);
    expect(await actions(k.author)).toEqual(['edit']);
    expect(await actions(k.reviewer)).toEqual([]);
  });

  it('refuses a reader approving (wrong role), writing nothing', async () => {
    await refused(() => act(k.reviewer, input, 'approve', sign), 403, 'FORBIDDEN');
  });

  it('refuses the author approving their own element (separation of duties), writing nothing', async () => {
    // the QA engineer may approve, but not what they wrote themselves
    const own = (
      await k.qaEng.post(`/api/v1/design-projects/${projectId}/elements`, {
        kind: 'output',
        code: 'DO-OWN',
        content: { title: { zh: '自己的输出', en: 'Own output' } },
      })
    ).body.id;
    await refused(() => act(k.qaEng, own, 'approve', sign), 409, 'SIGNER_IS_AUTHOR');
  });

  it("on a wrong password writes only the failed attempt on the signer's account", async () => {
    await refused(() => act(k.qa, input, 'approve', { password: 'not-my-password' }), 401, 'INVALID_CREDENTIALS', 1);
  });

  it('refuses a version the record is not at (stale view), writing nothing', async () => {
    const v = (await k.qa.get(`/api/v1/design-elements/${input}`)).body.version;
    await refused(
      () => k.qa.post(`/api/v1/design-elements/${input}/actions/approve`, { ...sign, version: v + 1 }),
      409,
      'STALE_VERSION',
    );
  });

  it('approves, revises into revision B as a draft, and approves B', async () => {
    expect(ok(await act(k.qa, input, 'approve', sign)).body).toMatchObject({ state: 'approved', approved: 'A' });
    const b = ok(await act(k.author, input, 'revise')).body;
    expect(b).toMatchObject({ state: 'draft', current: 'B', approved: 'A' });
    ok(await act(k.author, input, 'edit', { content: { title: { zh: '流速精度 ±5%', en: 'Flow accuracy ±5%' } } }));
    expect(ok(await act(k.qa, input, 'approve', sign)).body).toMatchObject({ state: 'approved', approved: 'B' });
    await refused(() => act(k.qa, input, 'approve', sign), 409, 'DESIGN_NOT_DRAFT');
  });

  it('a verification is not approved before it records its result', async () => {
    const v = await element(k, projectId, 'verification', 'VER-P', { protocol: 'TP-001' });
    await refused(() => act(k.qa, v, 'approve', sign), 409, 'DESIGN_RESULT_MISSING');
  });
});

describe('design review: the independent reviewer (ISO 13485:2016 7.3.5)', () => {
  const review = (reviewer: string) => ({
    kind: 'review',
    code: `DR-${reviewer.slice(0, 6)}`,
    content: {
      title: { zh: '概念阶段评审', en: 'Concept stage review' },
      stage: 'concept',
      attendees: [k.ids.author, k.ids['qa.engineer']],
      independentReviewer: reviewer,
      decisions: ['Proceed to detailed design'],
      actions: [{ text: 'Update the flow-rate input', owner: 'author' }],
    },
  });

  it('refuses naming the person responsible for the stage as its independent reviewer, writing nothing', async () => {
    // qa.engineer is responsible for "concept" in the plan
    await refused(
      () => k.author.post(`/api/v1/design-projects/${projectId}/elements`, review(k.ids['qa.engineer'])),
      403,
      'DESIGN_REVIEWER_NOT_INDEPENDENT',
    );
  });

  it('is signed only by its named independent reviewer, and not once they became responsible for the stage', async () => {
    const r = ok(
      await k.author.post(`/api/v1/design-projects/${projectId}/elements`, review(k.ids.reviewer2)),
      201,
    ).body;
    await refused(() => act(k.qa, r.id, 'approve', sign), 403, 'DESIGN_NOT_THE_REVIEWER');
    // the plan moves on: reviewer2 now leads the concept stage
    ok(await projectAct(k.author, projectId, 'revise_plan'));
    const moved = plan(k).map((s) => (s.key === 'concept' ? { ...s, responsible: k.ids.reviewer2 } : s));
    ok(await projectAct(k.author, projectId, 'edit_plan', { stages: moved }));
    ok(await projectAct(k.qa, projectId, 'approve_plan', sign));
    await refused(() => act(k.reviewer2, r.id, 'approve', sign), 403, 'DESIGN_REVIEWER_NOT_INDEPENDENT');
    // and back: the independent reviewer signs
    ok(await projectAct(k.author, projectId, 'revise_plan'));
    ok(await projectAct(k.author, projectId, 'edit_plan', { stages: plan(k) }));
    ok(await projectAct(k.qa, projectId, 'approve_plan', sign));
    expect(ok(await act(k.reviewer2, r.id, 'approve', sign)).body.state).toBe('approved');
  });

  it('refuses the plan approved by the one who wrote it', async () => {
    ok(await projectAct(k.qaEng, projectId, 'revise_plan'));
    await refused(() => projectAct(k.qaEng, projectId, 'approve_plan', sign), 409, 'SIGNER_IS_AUTHOR');
  });
});
