import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { createUser } from '../../identity/userService.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { DEMO_USERS } from '../../../../seed/demo-users.ts';
import { act, capaCast, capaInProgress, newCapaBody, ok, sign, type CapaCast } from './capa.factory.ts';

// CAPA actions on the one command path (capa.lifecycle.ts): the wrong role, the owner closing
// their own CAPA (separation of duties), a wrong password, a stale version and closing with open
// actions (ISO 13485:2016 8.5.2) are refused, each writing nothing at all.
let srv: TestServer;
let k: CapaCast;
let id = '';
const refused = async (f: () => Promise<{ status: number; body: any }>, status: number, code: string, users = 0) => {
  const mark = await markLedger(srv.services);
  const r = await f();
  expect([r.status, r.body?.error?.code]).toEqual([status, code]);
  await expectNothingWritten(srv.services, mark, { allowUserEvents: users });
};
const check = {
  due: addDays(todayUtc(), 90),
  criteria: 'No leak complaint on lots made after the change for 3 months',
};
const verifyBody = {
  safety: 'Tighter limit rejects more units; no effect on patient safety',
  compliance: 'WI revised through document control',
};

beforeAll(async () => {
  srv = await startTestServer({ seed: false });
  await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    for (const u of DEMO_USERS) await createUser(srv.services, { ...u, password: sign.password, temporary: false });
  });
  k = await capaCast(srv.url);
  id = await capaInProgress(k);
});
afterAll(async () => {
  await srv?.stop();
});

describe('CAPA commands', () => {
  it('offers completing an action to its owner only, on that action', async () => {
    const mine = (await k.operator.get(`/api/v1/capas/${id}`)).body.actions;
    expect(mine).toEqual([
      expect.objectContaining({
        action: 'complete_task',
        signature: null,
        needsValues: true,
        target: { taskId: 'A1' },
      }),
    ]);
    const qa = (await k.qa.get(`/api/v1/capas/${id}`)).body.actions.map((a: { action: string }) => a.action);
    expect(qa).not.toContain('complete_task');
    expect(qa).not.toContain('close'); // an action is open
  });

  it('refuses the wrong role: a production supervisor deciding, an operator editing', async () => {
    const open = ok(
      await k.supervisor.post('/api/v1/capas', newCapaBody(k, { owner: k.ids['prod.supervisor'] })),
      'open',
    );
    await refused(
      () =>
        act(k.supervisor, open.id, 'decide', {
          decision: 'no_capa',
          risk: { severity: 1, occurrence: 1 },
          rationale: 'x',
          ...sign,
        }),
      403,
      'FORBIDDEN',
    );
    await refused(() => act(k.operator, id, 'contain', { containment: 'Quarantine lot L2611' }), 403, 'CAPA_NOT_OWNER');
    await refused(() => act(k.qa, id, 'complete_task', { taskId: 'A1', evidence: 'done' }), 403, 'CAPA_NOT_TASK_OWNER');
  });

  it('refuses an owner who could never open the CAPA (an auditor portal account), at the field, writing nothing', async () => {
    // the auditor's only permission is portal.read: the CAPA pages need records.read (ISO 13485:2016 8.5.2)
    const atOwner = async (f: () => Promise<{ status: number; body: any }>) => {
      const mark = await markLedger(srv.services);
      const r = await f();
      expect([r.status, r.body?.error?.code, r.body?.error?.details?.[0]?.path]).toEqual([
        400,
        'VALIDATION_FAILED',
        'body.owner',
      ]);
      await expectNothingWritten(srv.services, mark);
    };
    await atOwner(() => k.owner.post('/api/v1/capas', newCapaBody(k, { owner: k.ids.auditor })));
    await atOwner(() =>
      act(k.owner, id, 'add_task', { description: 'Re-train', owner: k.ids.auditor, due: addDays(todayUtc(), 30) }),
    );
  });

  it('refuses closing while an action is open (409), writing nothing', async () => {
    await refused(() => act(k.qa, id, 'close', { effectiveness: check, ...sign }), 409, 'CAPA_ACTIONS_OPEN');
  });

  it('refuses a stale version, writing nothing', async () => {
    await refused(
      () => k.operator.post(`/api/v1/capas/${id}/actions/complete_task`, { taskId: 'A1', evidence: 'x', version: 1 }),
      409,
      'STALE_VERSION',
    );
  });

  it('refuses the owner closing their own CAPA (separation of duties), writing nothing', async () => {
    ok(
      await act(k.operator, id, 'complete_task', { taskId: 'A1', evidence: 'WI-PRD-014 rev C effective' }),
      'complete',
    );
    ok(await act(k.owner, id, 'verify', { ...verifyBody, ...sign }), 'verify');
    expect(
      (await k.owner.get(`/api/v1/capas/${id}`)).body.actions.map((a: { action: string }) => a.action),
    ).not.toContain('close');
    await refused(() => act(k.owner, id, 'close', { effectiveness: check, ...sign }), 409, 'CAPA_OWNER_CANNOT_APPROVE');
  });

  it("on a wrong password writes only the failed attempt on the signer's account", async () => {
    await refused(
      () => act(k.qa, id, 'close', { effectiveness: check, password: 'not-my-password' }),
      401,
      'INVALID_CREDENTIALS',
      1,
    );
  });

  it('closes for QA (not the owner) at the version they saw, scheduling the effectiveness check', async () => {
    const r = ok(await act(k.qa, id, 'close', { effectiveness: check, ...sign }), 'close');
    expect(r).toMatchObject({
      state: 'effectiveness_check',
      effectiveness: check,
      closure: { byId: k.ids['qa.manager'] },
    });
    expect(r.actions.map((a: { action: string }) => a.action)).toEqual(['record_effectiveness']);
  });
});
