import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { act, ok, recallBody, recallCase, sign, type RecallCase } from './recall.factory.ts';

// Recall actions on the one command path (recall.lifecycle.ts): the wrong role, the initiator
// approving or closing their own recall (separation of duties, ISO 13485:2016 4.2.5, 21 CFR
// 11.10(g)), a wrong password and a stale version are refused; so are a recall naming nothing,
// unknown lots, a disposition for a unit not in the recall and an injected `{"$ne": null}` —
// each writing nothing at all (no event, no number).
let t: TestServer;
let k: RecallCase;
let id = '';
const refused = async (f: () => Promise<{ status: number; body: any }>, status: number, code: string, users = 0) => {
  const mark = await markLedger(t.services);
  const r = await f();
  expect([r.status, r.body?.error?.code], JSON.stringify(r.body)).toEqual([status, code]);
  await expectNothingWritten(t.services, mark, { allowUserEvents: users });
};
const names = (r: { body: { actions: Array<{ action: string }> } }) => r.body.actions.map((a) => a.action);

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  k = await recallCase(t);
  id = ok(await k.eng.post('/api/v1/recalls', recallBody(k)), 'open').id;
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

describe('opening a recall', () => {
  it('refuses a recall naming nothing, unknown lots and injected operators, writing nothing', async () => {
    const { fromLot: _none, ...nothing } = recallBody(k);
    await refused(() => k.eng.post('/api/v1/recalls', nothing), 400, 'VALIDATION_FAILED');
    await refused(() => k.eng.post('/api/v1/recalls', { ...nothing, lots: [] }), 400, 'VALIDATION_FAILED');
    await refused(() => k.eng.post('/api/v1/recalls', recallBody(k, { fromLot: 'NO-SUCH-LOT' })), 404, 'NOT_FOUND');
    await refused(() => k.eng.post('/api/v1/recalls', { ...nothing, lots: [k.U[0], 'no-such-lot'] }), 404, 'NOT_FOUND');
    await refused(
      () => k.eng.post('/api/v1/recalls', recallBody(k, { fromLot: { $ne: null } })),
      400,
      'VALIDATION_FAILED',
    );
    await refused(() => k.eng.post('/api/v1/recalls', { ...nothing, lots: [{ $ne: null }] }), 400, 'VALIDATION_FAILED');
    await refused(() => k.eng.post('/api/v1/recalls', recallBody(k, { level: 'IV' })), 400, 'VALIDATION_FAILED');
    // a unit never shipped: nobody to notify
    await refused(() => k.eng.post('/api/v1/recalls', { ...nothing, lots: [k.U[3]] }), 409, 'RECALL_NOTHING_SHIPPED');
    await refused(() => k.operator.post('/api/v1/recalls', recallBody(k)), 403, 'FORBIDDEN');
  });
});

describe('recall commands', () => {
  it('offers approval to a QA approver who did not initiate it, and to nobody else', async () => {
    expect(names(await k.qa.get(`/api/v1/recalls/${id}`))).toEqual(['approve']);
    expect(names(await k.eng.get(`/api/v1/recalls/${id}`))).toEqual([]);
    expect(names(await k.operator.get(`/api/v1/recalls/${id}`))).toEqual([]);
  });

  it("puts the approval in the approver's inbox and nobody else's (a task exactly when the page offers it)", async () => {
    const inbox = async (c: typeof k.qa) =>
      ((await c.get('/api/v1/tasks')).body as Array<{ kind: string; link: { id: string } }>).filter(
        (x) => x.link.id === id,
      );
    expect((await inbox(k.qa)).map((x) => x.kind)).toEqual(['recall_approval']);
    expect(await inbox(k.eng)).toEqual([]);
    expect(await inbox(k.operator)).toEqual([]);
  });

  it('refuses the wrong role, writing nothing', async () => {
    await refused(() => act(k.operator, id, 'approve', sign), 403, 'FORBIDDEN');
    await refused(() => act(k.wh, id, 'approve', sign), 403, 'FORBIDDEN');
  });

  it('refuses the initiator approving their own recall (separation of duties), writing nothing', async () => {
    await refused(() => act(k.eng, id, 'approve', sign), 409, 'RECALL_INITIATOR_CANNOT_SIGN');
  });

  it("on a wrong password writes only the failed attempt on the signer's account", async () => {
    await refused(() => act(k.qa, id, 'approve', { password: 'not-my-password' }), 401, 'INVALID_CREDENTIALS', 1);
  });

  it('refuses a stale version, writing nothing', async () => {
    ok(await act(k.qa, id, 'approve', sign), 'approve');
    await refused(
      () =>
        k.eng.post(`/api/v1/recalls/${id}/actions/notify`, {
          customer: 'CUS-RJH',
          date: k.today,
          method: 'letter',
          reference: 'FSN-1',
          version: 1,
        }),
      409,
      'STALE_VERSION',
    );
  });

  it('refuses a disposition for a unit not in the recall, too many units, and an injected operator', async () => {
    await refused(
      () => act(k.eng, id, 'disposition', { lotId: k.M, disposition: 'returned', date: k.today }),
      404,
      'RECALL_UNIT_NOT_IN_RECALL',
    );
    await refused(
      () => act(k.eng, id, 'disposition', { lotId: k.U[3], disposition: 'returned', date: k.today }),
      409,
      'RECALL_QUANTITY_EXCEEDS',
    );
    await refused(
      () => act(k.eng, id, 'disposition', { lotId: { $ne: null }, disposition: 'returned', date: k.today }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      () => act(k.eng, id, 'notify', { customer: { $ne: null }, date: k.today, method: 'letter', reference: 'x' }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      () => act(k.eng, id, 'notify', { customer: 'CUS-NOBODY', date: k.today, method: 'letter', reference: 'x' }),
      404,
      'RECALL_NOT_A_CUSTOMER',
    );
    await refused(
      () => act(k.operator, id, 'notify', { customer: 'CUS-RJH', date: k.today, method: 'letter', reference: 'x' }),
      403,
      'FORBIDDEN',
    );
  });

  it('refuses closure by the initiator (separation of duties); closes for QA once every customer is notified', async () => {
    for (const customer of ['CUS-RJH', 'CUS-ZJU1'])
      ok(
        await act(k.eng, id, 'notify', { customer, date: k.today, method: 'email', reference: `FSN-${customer}` }),
        customer,
      );
    await refused(() => act(k.operator, id, 'close', { summary: 'done', ...sign }), 403, 'FORBIDDEN');
    await refused(() => act(k.eng, id, 'close', { summary: 'done', ...sign }), 409, 'RECALL_INITIATOR_CANNOT_SIGN');
    const closed = ok(
      await act(k.qa, id, 'close', { summary: 'All consignees notified; units returned', ...sign }),
      'close',
    );
    expect(closed).toMatchObject({ state: 'closed', closure: { by: expect.any(String) }, actions: [] });
  });
});
