import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestServer } from '../../../test/harness.ts';
import { startTestServer } from '../../../test/harness.ts';
import { ok, recallCase, sign, type RecallCase } from '../recall/recall.factory.ts';

// Returns through HTTP on the real engine: each decision is applied to the stock by the lot's own
// signed decision (ISO 13485:2016 8.3.3, 21 CFR 820.86), and the forward trace from the component
// lot follows the unit back: "returned" while it is held, "in_stock" once restocked.
// The field population (recall.factory.ts): U[0], U[1] shipped to CUS-RJH, U[2] to CUS-ZJU1.
let t: TestServer;
let k: RecallCase;
beforeAll(async () => {
  t = await startTestServer({ seed: true });
  k = await recallCase(t);
}, 240_000);
afterAll(async () => {
  await t?.stop();
});

async function act(c: Client, id: string, action: string, input: Record<string, unknown> = {}) {
  const v = (await c.get(`/api/v1/returns/${id}`)).body.version;
  return c.post(`/api/v1/returns/${id}/actions/${action}`, { version: v, ...input });
}
async function received(lotId: string, customer: string, conforming: boolean) {
  const r = ok(
    await k.wh.post('/api/v1/returns', { lotId, customer, quantity: 1, customerReason: 'Pump stops' }),
    'open',
  );
  ok(await act(k.wh, r.id, 'receive', { location: 'WH1-QA-01' }), 'receive');
  ok(await act(k.eng, r.id, 'inspect', { findings: conforming ? 'NFF' : 'Motor worn', conforming }), 'inspect');
  return r.id as string;
}
const lot = async (id: string) => (await k.qa.get(`/api/v1/lots/${id}`)).body;
const whereIn = async (id: string) => {
  const tr = ok(await k.qa.get(`/api/v1/trace/forward?lot=${k.M}`), 'trace');
  return tr.lots.find((l: { id: string }) => l.id === id).where;
};

describe('returns', () => {
  it('a returned unit is held in quarantine and shows as returned in the forward trace; restock puts it back in stock', async () => {
    expect((await whereIn(k.U[0])).state).toBe('shipped');
    const id = await received(k.U[0], 'CUS-RJH', true);
    expect(await lot(k.U[0])).toMatchObject({ status: 'on_hold', balances: [{ location: 'WH1-QA-01', quantity: 1 }] });
    expect(await whereIn(k.U[0])).toMatchObject({ state: 'returned', customer: 'CUS-RJH' });
    // the inbox of a QA approver who did not inspect shows the decision to take
    const tasks = (await k.qa.get('/api/v1/tasks')).body;
    expect(JSON.stringify(tasks)).toContain(id);

    const r = ok(await act(k.qa, id, 'restock', { ...sign, reason: 'No fault found; unit retested.' }), 'restock');
    expect(r).toMatchObject({ state: 'decided', decision: { decision: 'restock', lotDecision: 'release_hold' } });
    expect(r.decision.signatureId).toBeTruthy();
    expect((await lot(k.U[0])).status).toBe('released');
    expect((await whereIn(k.U[0])).state).toBe('in_stock');
    // nothing of it is in the field any more: a second return of the same unit is refused
    const again = await k.wh.post('/api/v1/returns', {
      lotId: k.U[0],
      customer: 'CUS-RJH',
      quantity: 1,
      customerReason: 'x',
    });
    expect([again.status, again.body.error.code]).toEqual([409, 'RMA_NOT_SHIPPED_TO_CUSTOMER']);
  });

  it('a nonconforming return cannot be restocked; scrap scraps the returned unit on its lot', async () => {
    const id = await received(k.U[1], 'CUS-RJH', false);
    const refused = await act(k.qa, id, 'restock', { ...sign, reason: 'try' });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'RMA_NOT_CONFORMING']);
    ok(await act(k.qa, id, 'scrap', { ...sign, reason: 'Motor worn beyond repair.' }), 'scrap');
    expect(await lot(k.U[1])).toMatchObject({ status: 'scrapped', quantity: 0 });
    expect((await whereIn(k.U[1])).state).toBe('scrapped');
  });

  it('return to supplier rejects the unit on its lot (segregated as nonconforming)', async () => {
    const id = await received(k.U[2], 'CUS-ZJU1', false);
    const r = ok(await act(k.qa, id, 'return_to_supplier', { ...sign, reason: 'Supplier defect' }), 'rts');
    expect(r.decision).toMatchObject({ decision: 'return_to_supplier', lotDecision: 'reject' });
    expect((await lot(k.U[2])).status).toBe('rejected');
  });
});
