import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { runCommand } from '../../records/command.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';

// Requisitions on the one command path (requisition.lifecycle.ts). A requisition has no signed
// action (it states a need; the PO made from it is what gets approved), so there is no wrong
// password to refuse, and no separation-of-duties rule: a requester who also buys may order their
// own request, as before. What is shown instead: a refused order takes no PO number.
let t: TestServer;
let sup: Client, wh: Client, purchaser: Client, op: Client;
const items = new Map<string, string>();

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [sup, wh, purchaser, op] = await Promise.all(
    ['prod.supervisor', 'warehouse', 'purchaser', 'operator'].map((u) => as(t.url, u)),
  );
  for (const i of (await purchaser.get('/api/v1/items')).body) items.set(i.partNumber, i.id);
});
afterAll(async () => {
  await t?.stop();
});

const request = async () => {
  const r = await sup.post('/api/v1/requisitions', {
    note: 'pouches',
    lines: [{ itemId: items.get('RM-PVC-001'), quantity: 100, needBy: addDays(todayUtc(), 30) }],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; version: number; actions: Array<{ action: string }> };
};
const order = (requisitionId: string) =>
  purchaser.post('/api/v1/purchase-orders', {
    supplier: 'SUP-HUASU',
    requisitionId,
    lines: [{ itemId: items.get('RM-PVC-001'), quantity: 100, unitPrice: 1, dueDate: addDays(todayUtc(), 20) }],
  });

describe('requisition actions', () => {
  it('GET returns the actions this user may take now, and none for a reader', async () => {
    const req = await request();
    expect(req.actions.map((a) => a.action)).toEqual(['cancel']); // the requester
    expect((await purchaser.get(`/api/v1/requisitions/${req.id}`)).body.actions).toEqual([
      { action: 'order', signature: null, needsReason: false, needsDate: false, needsValues: true, scope: null },
      { action: 'cancel', signature: null, needsReason: true, needsDate: false, needsValues: false, scope: null },
    ]);
    expect((await wh.get(`/api/v1/requisitions/${req.id}`)).body.actions).toEqual([]); // may request, not withdraw another's
    expect((await op.get(`/api/v1/requisitions/${req.id}`)).body.actions).toEqual([]);
    // the list's rows carry the same actions (the list page's order and cancel buttons)
    const row = (await purchaser.get('/api/v1/requisitions')).body.find((x: { id: string }) => x.id === req.id);
    expect(row.actions.map((a: { action: string }) => a.action)).toEqual(['order', 'cancel']);
    const po = await order(req.id);
    expect(po.status, JSON.stringify(po.body)).toBe(201);
    const ordered = (await sup.get(`/api/v1/requisitions/${req.id}`)).body;
    expect(ordered).toMatchObject({ status: 'ordered', poId: po.body.id, poNumber: po.body.number, actions: [] });
  });

  it('the wrong role, a stale version and the wrong state are refused with nothing written and no number taken', async () => {
    const req = await request();
    let mark = await markLedger(t.services);
    const other = await wh.post(`/api/v1/requisitions/${req.id}/cancel`, { reason: 'not mine' });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('FORBIDDEN');
    expect((await op.post(`/api/v1/requisitions/${req.id}/cancel`, { reason: 'no role' })).status).toBe(403);
    const stale = await sup.post(`/api/v1/requisitions/${req.id}/cancel`, {
      reason: 'changed plans',
      version: req.version + 1,
    });
    expect(stale.body.error.code).toBe('STALE_VERSION');
    await expectNothingWritten(t.services, mark);

    const cancelled = await sup.post(`/api/v1/requisitions/${req.id}/cancel`, {
      reason: 'changed plans',
      version: req.version,
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', actions: [] });
    mark = await markLedger(t.services);
    const late = await order(req.id);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('REQUISITION_NOT_OPEN');
    await expectNothingWritten(t.services, mark); // no PO-… number consumed
  });

  it('an order is made only by creating the PO from the requisition', async () => {
    const req = await request();
    const po = (await order(req.id)).body; // orders req
    const other = await request();
    // po names `req`, not `other`: the action path refuses to record it as other's order
    // (no route records an order by itself; this is the guard if one ever did)
    const u = {
      id: 'x',
      username: 'purchaser',
      fullName: 'x',
      email: '',
      roles: ['purchaser'],
      via: 'session',
      totpEnrolled: false,
      mustChangePassword: false,
    } as SessionUser;
    await expect(runCommand(t.services, u, `requisition:${other.id}`, 'order', { poId: po.id })).rejects.toMatchObject({
      code: 'REQUISITION_NOT_ORDERED_BY_PO',
    });
    expect((await purchaser.get(`/api/v1/requisitions/${other.id}`)).body.status).toBe('open');
  });
});
