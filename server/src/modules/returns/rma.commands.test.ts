import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestServer } from '../../../test/harness.ts';
import { startTestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { ok, recallCase, sign, type RecallCase } from '../recall/recall.factory.ts';

// Return (RMA) actions on the one command path (rma.lifecycle.ts). Opening refuses a unit never
// shipped to that customer, negative, fractional or more-than-shipped quantities and injected
// operators; the decision is refused for the wrong role, for the inspector deciding their own
// inspection (separation of duties, ISO 13485:2016 8.3 / 4.2.5, 21 CFR 11.10(g)), for a wrong
// password and for a stale version — each time with nothing written (no event, no number).
// The field population (recall.factory.ts): U[0], U[1] shipped to CUS-RJH, U[2] to CUS-ZJU1, U[3] never shipped.
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
const body = (over: Record<string, unknown> = {}) => ({
  lotId: k.U[0],
  customer: 'CUS-RJH',
  quantity: 1,
  customerReason: 'Occlusion alarm sounds without occlusion.',
  ...over,
});
async function act(c: Client, action: string, input: Record<string, unknown> = {}) {
  const v = (await c.get(`/api/v1/returns/${id}`)).body.version;
  return c.post(`/api/v1/returns/${id}/actions/${action}`, { version: v, ...input });
}

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  k = await recallCase(t);
}, 240_000);
afterAll(async () => {
  await t?.stop();
});

describe('opening a return', () => {
  it('refuses a unit never shipped to that customer, bad quantities and injected operators, writing nothing', async () => {
    const post =
      (b: Record<string, unknown>, c: Client = k.wh) =>
      () =>
        c.post('/api/v1/returns', b);
    // U[3] never left the company; U[0] went to CUS-RJH, not to CUS-ZJU1
    await refused(post(body({ lotId: k.U[3] })), 409, 'RMA_NOT_SHIPPED_TO_CUSTOMER');
    await refused(post(body({ customer: 'CUS-ZJU1' })), 409, 'RMA_NOT_SHIPPED_TO_CUSTOMER');
    // the component lot was issued to production, never shipped
    await refused(post(body({ lotId: k.M })), 409, 'RMA_NOT_SHIPPED_TO_CUSTOMER');
    await refused(post(body({ quantity: -1 })), 400, 'VALIDATION_FAILED');
    await refused(post(body({ quantity: 0 })), 400, 'VALIDATION_FAILED');
    await refused(post(body({ quantity: 0.5 })), 400, 'RMA_SERIAL_IS_ONE');
    await refused(post(body({ quantity: 2 })), 400, 'RMA_SERIAL_IS_ONE');
    await refused(post(body({ lotId: 'no-such-lot' })), 404, 'NOT_FOUND');
    await refused(post(body({ lotId: { $ne: null } })), 400, 'VALIDATION_FAILED');
    await refused(post(body({ customer: { $ne: null } })), 400, 'VALIDATION_FAILED');
    await refused(post(body(), k.operator), 403, 'FORBIDDEN');
  });

  it('opens a return of a shipped unit; a second one for the same unit is refused until the first is received', async () => {
    const r = ok(await k.wh.post('/api/v1/returns', body()), 'open');
    id = r.id;
    expect(r).toMatchObject({ state: 'open', customer: 'CUS-RJH', quantity: 1, lot: { id: k.U[0] } });
    expect(r.number).toMatch(/^RMA-\d{4}-\d{5}$/);
    await refused(() => k.wh.post('/api/v1/returns', body()), 409, 'RMA_NOT_SHIPPED_TO_CUSTOMER');
  });
});

describe('return commands', () => {
  it('refuses receiving outside quarantine, writing nothing; receives into quarantine', async () => {
    expect(names(await k.wh.get(`/api/v1/returns/${id}`))).toEqual(['receive']);
    expect(names(await k.operator.get(`/api/v1/returns/${id}`))).toEqual([]);
    await refused(() => act(k.wh, 'receive', { location: 'WH1-RAW-01' }), 409, 'RMA_NOT_QUARANTINE');
    await refused(() => act(k.wh, 'receive', { location: { $ne: null } }), 400, 'VALIDATION_FAILED');
    await refused(() => act(k.operator, 'receive', { location: 'WH1-QA-01' }), 403, 'FORBIDDEN');
    ok(await act(k.wh, 'receive', { location: 'WH1-QA-01' }), 'receive');
    ok(await act(k.eng, 'inspect', { findings: 'No fault found; alarm log clean.', conforming: true }), 'inspect');
  });

  it('offers the decisions to a QA approver who did not inspect, and to nobody else', async () => {
    expect(names(await k.qa.get(`/api/v1/returns/${id}`))).toEqual([
      'restock',
      'rework',
      'scrap',
      'return_to_supplier',
    ]);
    expect(names(await k.eng.get(`/api/v1/returns/${id}`))).toEqual([]);
    expect(names(await k.wh.get(`/api/v1/returns/${id}`))).toEqual([]);
  });

  it('refuses the wrong role, writing nothing', async () => {
    await refused(() => act(k.wh, 'restock', { ...sign, reason: 'ok' }), 403, 'FORBIDDEN');
    await refused(() => act(k.operator, 'scrap', { ...sign, reason: 'x' }), 403, 'FORBIDDEN');
  });

  it('refuses the inspector deciding (separation of duties), writing nothing', async () => {
    await refused(() => act(k.eng, 'restock', { ...sign, reason: 'ok' }), 409, 'RMA_INSPECTOR_CANNOT_DECIDE');
  });

  it("on a wrong password writes only the failed attempt on the signer's account", async () => {
    await refused(
      () => act(k.qa, 'restock', { password: 'not-my-password', reason: 'ok' }),
      401,
      'INVALID_CREDENTIALS',
      1,
    );
  });

  it('refuses a stale version and a missing reason, writing nothing', async () => {
    await refused(
      () => k.qa.post(`/api/v1/returns/${id}/actions/restock`, { ...sign, reason: 'ok', version: 1 }),
      409,
      'STALE_VERSION',
    );
    await refused(() => act(k.qa, 'restock', { ...sign }), 400, 'VALIDATION_FAILED');
  });
});
