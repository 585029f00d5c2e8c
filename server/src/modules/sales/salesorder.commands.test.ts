import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { itemId, orderOf, stockLot, type Order } from './sales.factory.ts';

// Every sales order action runs through the order's one declaration (salesorder.lifecycle.ts) and
// the one command path. A refused action — wrong role, stale version, shipping more than
// allocated, shipping held or quarantined stock, a negative, fractional-serial or operator-object
// quantity, an unknown customer or item — writes nothing: no event, no number, no lot moved.
// The order's actions are unsigned (no separation-of-duties rule, no password): see the lifecycle.
let t: TestServer;
let wh: Client, buyer: Client, rev: Client, qa: Client;
let FG: string, PMP: string;

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [wh, buyer, rev, qa] = await Promise.all(
    ['warehouse', 'purchaser', 'reviewer', 'qa.manager'].map((u) => as(t.url, u)),
  );
  [FG, PMP] = await Promise.all([itemId(wh, 'FG-IFS-20'), itemId(wh, 'FG-PMP-1')]);
});
afterAll(async () => {
  await t?.stop();
});

const refused = async (f: () => Promise<{ status: number; body: any }>, status: number, code: string) => {
  const mark = await markLedger(t.services);
  const r = await f();
  expect([r.status, r.body?.error?.code], JSON.stringify(r.body)).toEqual([status, code]);
  await expectNothingWritten(t.services, mark);
};
const so = async (c: Client, id: string) => (await c.get(`/api/v1/sales-orders/${id}`)).body as Order;
const names = (o: { actions: Array<{ action: string }> }) => [...new Set(o.actions.map((a) => a.action))];
const post = (c: Client, o: { id: string }, action: string, body: Record<string, unknown> = {}) =>
  c.post(`/api/v1/sales-orders/${o.id}/${action}`, body);

describe('sales order commands', () => {
  it('GET names the actions each role may take now: order desk, warehouse, nobody else', async () => {
    const draft = await orderOf(buyer, [{ itemId: FG, quantity: 5 }], { draft: true });
    expect(names(draft)).toEqual(['confirm', 'cancel']);
    expect(names(await so(rev, draft.id))).toEqual([]);
    const lot = await stockLot(t, wh, { quantity: 5, expiryInDays: 400 });
    const o = await orderOf(buyer, [{ itemId: FG, quantity: 5 }]);
    const allocated = (await post(buyer, o, 'allocate', { lineId: '1', picks: [{ lotId: lot.id, quantity: 5 }] }))
      .body as Order;
    expect(allocated.status).toBe('allocated');
    expect(names(allocated)).toEqual(['deallocate', 'cancel']); // the order desk does not ship
    expect(names(await so(wh, o.id))).toEqual(['deallocate', 'ship', 'cancel']);
    expect(names(await so(qa, o.id))).toEqual([]);
    expect((await rev.get('/api/v1/lifecycles/salesorder')).body.record).toBe('salesorder');
  });

  it('refuses the wrong role: entering, confirming, allocating, shipping; writing nothing', async () => {
    await refused(
      () =>
        rev.post('/api/v1/sales-orders', {
          customer: 'CUS-RJH',
          lines: [{ itemId: FG, quantity: 1, requestedDate: '2027-01-04' }],
        }),
      403,
      'FORBIDDEN',
    );
    const draft = await orderOf(buyer, [{ itemId: FG, quantity: 2 }], { draft: true });
    await refused(() => post(qa, draft, 'confirm'), 403, 'FORBIDDEN');
    const lot = await stockLot(t, wh, { quantity: 2, expiryInDays: 401 });
    const o = await orderOf(buyer, [{ itemId: FG, quantity: 2 }]);
    await refused(() => post(rev, o, 'allocate', { lineId: '1' }), 403, 'FORBIDDEN');
    await post(buyer, o, 'allocate', { lineId: '1', picks: [{ lotId: lot.id, quantity: 2 }] });
    await refused(() => post(buyer, o, 'ship', { carrier: 'SF Express', reference: 'SF1' }), 403, 'FORBIDDEN');
  });

  it('refuses a stale version (the order moved since the user saw it); writing nothing', async () => {
    const o = await orderOf(buyer, [{ itemId: FG, quantity: 3 }], { draft: true });
    await post(buyer, o, 'confirm', { version: o.version });
    await refused(
      () => post(buyer, o, 'cancel', { reason: 'customer withdrew', version: o.version }),
      409,
      'STALE_VERSION',
    );
  });

  it('refuses shipping more than allocated, and a lot not allocated to the line; nothing written, no lot moved', async () => {
    const lot = await stockLot(t, wh, { quantity: 10, expiryInDays: 402 });
    const o = await orderOf(buyer, [{ itemId: FG, quantity: 10 }]);
    await post(buyer, o, 'allocate', { lineId: '1', picks: [{ lotId: lot.id, quantity: 6 }] });
    const ship = (quantity: number, lotId = lot.id) =>
      post(wh, o, 'ship', { carrier: 'SF Express', reference: 'SF2', lines: [{ lineId: '1', lotId, quantity }] });
    await refused(() => ship(7), 409, 'SO_OVER_SHIPPED');
    const other = await stockLot(t, wh, { quantity: 10, expiryInDays: 402 });
    await refused(() => ship(1, other.id), 409, 'SO_OVER_SHIPPED');
    expect((await so(wh, o.id)).lines[0]).toMatchObject({ allocated: 6, shipped: 0 });
  });

  it('refuses shipping stock held or quarantined after it was allocated: the lot’s own rule; nothing written', async () => {
    const lot = await stockLot(t, wh, { quantity: 4, expiryInDays: 403 });
    const o = await orderOf(buyer, [{ itemId: FG, quantity: 4 }]);
    await post(buyer, o, 'allocate', { lineId: '1', picks: [{ lotId: lot.id, quantity: 4 }] });
    const held = await wh.post(`/api/v1/lots/${lot.id}/hold`, { reason: 'suspected seal leak' });
    expect(held.status).toBe(200);
    await refused(() => post(wh, o, 'ship', { carrier: 'SF Express', reference: 'SF3' }), 409, 'LOT_NOT_RELEASED');
    // never allocatable in the first place: held and quarantined lots are no candidates, nor named picks
    const q = await stockLot(t, wh, { quantity: 4, status: 'quarantine', expiryInDays: 403 });
    const o2 = await orderOf(buyer, [{ itemId: FG, quantity: 4 }]);
    for (const lotId of [lot.id, q.id])
      await refused(
        () => post(buyer, o2, 'allocate', { lineId: '1', picks: [{ lotId, quantity: 1 }] }),
        409,
        'SO_LOT_NOT_ALLOCATABLE',
      );
    await expect(
      (await buyer.get(`/api/v1/sales-orders/${o2.id}/lines/1/candidates`)).body.map((c: { lotId: string }) => c.lotId),
    ).not.toEqual(expect.arrayContaining([lot.id]));
  });

  it('refuses bad quantities and references with a 400/404, writing nothing', async () => {
    const line = (x: Record<string, unknown>) => ({
      customer: 'CUS-RJH',
      lines: [{ itemId: FG, quantity: 1, requestedDate: '2027-01-04', ...x }],
    });
    for (const bad of [
      { quantity: -1 },
      { quantity: 0 },
      { quantity: 1.0005 },
      { quantity: { $ne: null } },
      { itemId: { $ne: null } },
    ])
      await refused(() => buyer.post('/api/v1/sales-orders', line(bad)), 400, 'VALIDATION_FAILED');
    await refused(
      () => buyer.post('/api/v1/sales-orders', { ...line({}), customer: { $ne: null } }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(() => buyer.post('/api/v1/sales-orders', { ...line({}), customer: 'CUS-NOBODY' }), 404, 'NOT_FOUND');
    await refused(() => buyer.post('/api/v1/sales-orders', line({ itemId: 'no-such-item' })), 404, 'NOT_FOUND');
    // a serialized device is ordered, allocated and shipped whole
    await refused(
      () =>
        buyer.post('/api/v1/sales-orders', {
          customer: 'CUS-RJH',
          lines: [{ itemId: PMP, quantity: 1.5, requestedDate: '2027-01-04' }],
        }),
      400,
      'VALIDATION_FAILED',
    );
    const o = await orderOf(buyer, [{ itemId: PMP, quantity: 2 }]);
    await refused(() => post(buyer, o, 'allocate', { lineId: '1', quantity: 1.5 }), 400, 'SO_SERIAL_WHOLE');
    await refused(() => post(buyer, o, 'allocate', { lineId: '1', quantity: -1 }), 400, 'VALIDATION_FAILED');
    await refused(() => post(buyer, o, 'allocate', { lineId: { $ne: null } }), 400, 'VALIDATION_FAILED');
    await refused(() => post(buyer, o, 'allocate', { lineId: '9' }), 404, 'SO_LINE_UNKNOWN');
    await refused(() => post(buyer, o, 'allocate', { lineId: '1', quantity: 3 }), 409, 'SO_OVER_ORDERED');
    await refused(
      () => post(wh, o, 'ship', { carrier: 'x', reference: 'y', lines: [{ lineId: '1', lotId: 'a', quantity: -2 }] }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(() => post(buyer, o, 'cancel', {}), 400, 'VALIDATION_FAILED');
    await refused(() => buyer.get('/api/v1/sales-orders?status[$ne]=x'), 400, 'VALIDATION_FAILED');
  });

  it('refuses allocating more than is available; nothing written', async () => {
    const o = await orderOf(buyer, [{ itemId: FG, quantity: 9_000_000 }]);
    await refused(() => post(buyer, o, 'allocate', { lineId: '1' }), 409, 'SO_NOT_AVAILABLE');
    const lot = await stockLot(t, wh, { quantity: 3, expiryInDays: 404 });
    await refused(
      () => post(buyer, o, 'allocate', { lineId: '1', picks: [{ lotId: lot.id, quantity: 4 }] }),
      409,
      'SO_NOT_AVAILABLE',
    );
  });
});
