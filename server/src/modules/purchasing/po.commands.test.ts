import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';

// Purchase orders on the one command path (po.lifecycle.ts): each refusal writes nothing, takes
// no number, and GET says what this user may do now.
let t: TestServer;
let admin: Client, purchaser: Client, qa: Client, wh: Client, op: Client;
const sign = { password: DEMO_PASSWORD };
const items = new Map<string, string>();

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [admin, purchaser, qa, wh, op] = await Promise.all(
    ['admin', 'purchaser', 'qa.manager', 'warehouse', 'operator'].map((u) => as(t.url, u)),
  );
  for (const i of (await purchaser.get('/api/v1/items')).body) items.set(i.partNumber, i.id);
});
afterAll(async () => {
  await t?.stop();
});

/** A draft PO by `who` for 25 000 CNY (above the 10 000 threshold). */
async function draft(who: Client) {
  const r = await who.post('/api/v1/purchase-orders', {
    supplier: 'SUP-JINGMO',
    lines: [{ itemId: items.get('CP-HSG-100'), quantity: 1000, unitPrice: 25, dueDate: addDays(todayUtc(), 20) }],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; version: number };
}
const names = (actions: Array<{ action: string }>) => actions.map((a) => a.action).sort();

describe('purchase-order actions', () => {
  it('GET returns the actions this user may take now, and none for a reader', async () => {
    const po = await draft(purchaser);
    expect(names((await purchaser.get(`/api/v1/purchase-orders/${po.id}`)).body.actions)).toEqual(['cancel', 'issue']);
    expect((await op.get(`/api/v1/purchase-orders/${po.id}`)).body.actions).toEqual([]);
    const issued = await purchaser.post(`/api/v1/purchase-orders/${po.id}/issue`);
    expect(issued.body.status).toBe('pending_approval');
    expect(issued.body.actions).toEqual([
      { action: 'cancel', signature: null, needsReason: true, needsDate: false, needsValues: false, scope: null },
    ]);
    expect((await qa.get(`/api/v1/purchase-orders/${po.id}`)).body.actions).toEqual([
      {
        action: 'approve',
        signature: 'approved',
        needsReason: false,
        needsDate: false,
        needsValues: false,
        scope: null,
      },
    ]);
    expect((await op.get(`/api/v1/purchase-orders/${po.id}`)).body.actions).toEqual([]);
    const approved = await qa.post(`/api/v1/purchase-orders/${po.id}/approve`, {
      version: issued.body.version,
      ...sign,
    });
    expect(approved.body.status).toBe('approved');
    expect(names((await wh.get(`/api/v1/purchase-orders/${po.id}`)).body.actions)).toEqual(['receive']);
    const approve = (await op.get('/api/v1/lifecycles/po')).body.transitions.find(
      (x: { name: string }) => x.name === 'approve',
    );
    expect(approve).toMatchObject({
      permission: 'purchasing.approve',
      signature: { meaning: 'approved' },
      separation: [{ rule: 'not_author', code: 'SIGNER_IS_AUTHOR' }],
    });
  });

  it('approval: the wrong role, a wrong password and a stale version are refused with nothing written', async () => {
    const po = await draft(purchaser);
    const issued = (await purchaser.post(`/api/v1/purchase-orders/${po.id}/issue`)).body;
    let mark = await markLedger(t.services);
    const forbidden = await wh.post(`/api/v1/purchase-orders/${po.id}/approve`, { version: issued.version, ...sign });
    expect(forbidden.status).toBe(403);
    await expectNothingWritten(t.services, mark);

    const wrong = await qa.post(`/api/v1/purchase-orders/${po.id}/approve`, {
      version: issued.version,
      password: 'not-the-password',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    await expectNothingWritten(t.services, mark, { allowUserEvents: 1 });
    await as(t.url, 'qa.manager'); // a good sign-in clears the failed attempt

    // the version of the draft: the content signed would not be the content seen
    mark = await markLedger(t.services);
    const stale = await qa.post(`/api/v1/purchase-orders/${po.id}/approve`, { version: po.version, ...sign });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('STALE_VERSION');
    await expectNothingWritten(t.services, mark);
    expect(
      (await qa.post(`/api/v1/purchase-orders/${po.id}/approve`, { version: issued.version, ...sign })).body.status,
    ).toBe('approved');
  });

  it('separation of duties: the author of a PO may not approve it, even holding the approver role (not_author)', async () => {
    const u = (await admin.get('/api/v1/users')).body.find((x: { username: string }) => x.username === 'purchaser');
    expect((await admin.patch(`/api/v1/users/${u.id}`, { roles: ['purchaser', 'production_supervisor'] })).status).toBe(
      200,
    );
    try {
      const both = await as(t.url, 'purchaser');
      const po = await draft(both);
      const issued = (await both.post(`/api/v1/purchase-orders/${po.id}/issue`)).body;
      expect(issued.actions.map((a: { action: string }) => a.action)).not.toContain('approve');
      const mark = await markLedger(t.services);
      const own = await both.post(`/api/v1/purchase-orders/${po.id}/approve`, { version: issued.version, ...sign });
      expect(own.status).toBe(409);
      expect(own.body.error.code).toBe('SIGNER_IS_AUTHOR');
      await expectNothingWritten(t.services, mark);
    } finally {
      await admin.patch(`/api/v1/users/${u.id}`, { roles: ['purchaser'] });
    }
  });

  it('the wrong state and a stale version on an unsigned action; a refused receipt takes no lot number', async () => {
    const po = await draft(purchaser);
    let mark = await markLedger(t.services);
    const early = await qa.post(`/api/v1/purchase-orders/${po.id}/approve`, { version: po.version, ...sign });
    expect(early.body.error.code).toBe('PO_NOT_PENDING_APPROVAL');
    const receipt = await wh.post(`/api/v1/purchase-orders/${po.id}/receipts`, {
      lines: [{ lineNo: 1, quantity: 10, supplierLot: 'X' }],
    });
    expect(receipt.body.error.code).toBe('PO_NOT_APPROVED');
    expect(receipt.body.error).toMatchObject({
      message: expect.stringMatching(/^PO PO-.* is draft/),
      details: { status: 'draft' },
    });
    await expectNothingWritten(t.services, mark);

    const issued = (await purchaser.post(`/api/v1/purchase-orders/${po.id}/issue`)).body;
    mark = await markLedger(t.services);
    const stale = await purchaser.post(`/api/v1/purchase-orders/${po.id}/cancel`, {
      reason: 'not needed',
      version: po.version,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('STALE_VERSION');
    await expectNothingWritten(t.services, mark);
    await qa.post(`/api/v1/purchase-orders/${po.id}/approve`, { version: issued.version, ...sign });

    mark = await markLedger(t.services);
    const over = await wh.post(`/api/v1/purchase-orders/${po.id}/receipts`, {
      lines: [
        { lineNo: 1, quantity: 600, supplierLot: 'A' },
        { lineNo: 1, quantity: 401, supplierLot: 'B' },
      ],
    });
    expect(over.body.error).toMatchObject({ code: 'OVER_RECEIPT', details: { open: 1000, requested: 1001 } });
    await expectNothingWritten(t.services, mark);
    const closed = await purchaser.post(`/api/v1/purchase-orders/${po.id}/close`, {
      reason: 'supplier cannot deliver',
    });
    expect(closed.body).toMatchObject({ status: 'closed', closeReason: 'supplier cannot deliver', actions: [] });
    const again = await purchaser.post(`/api/v1/purchase-orders/${po.id}/cancel`, { reason: 'x' });
    expect(again.body.error.code).toBe('ILLEGAL_TRANSITION');
  });
});
