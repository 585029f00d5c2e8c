import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, Client, DEMO_PASSWORD, startTestServer, type TestServer } from '../../../test/harness.ts';
import { SYSTEM_ACTOR } from '../../platform/context.ts';
import { streamOf } from '../../records/registry.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { createLot } from '../inventory/service.ts';
import type { LotDoc } from '../inventory/lot.record.ts';
import { releasedProducedLot } from '../complaints/complaints.factory.ts';
import { recallCase } from '../recall/recall.factory.ts';
import { forwardStats, traceForward } from './genealogy.ts';

// Genealogy both ways (ISO 13485:2016 7.5.9.1: traceability of the components and materials used;
// 7.5.9.2: for an active device, the name and address of the consignee of each shipment), on a
// case built by hand through the API (work orders released by signature, materials issued by the
// real issue command) with factory-made output lots (completion needs a full DHR, tested elsewhere):
//
//   A (seeded component lot, on a PO) ─10─▶ WO1 ─▶ F1 (20 sets, in stock)
//                                     └─8─▶ WO2 ─▶ F2 (20 sets, held)
//   B (lot of the same item)     ─5─────▶ WO2                         partial consumption, two lots in one order
//   M (motor lot) ─1─▶ WOs ─▶ P1 (PCB serial) ─1─▶ WOp ─▶ U1 (pump serial, shipped to CUS-RJH)
//                                                                sub-assembly, two levels
// The demo company has no DMR for the PCB, so the sub-assembly's order is a pump order standing in
// for it: the trace follows the order that produced a lot (lots.workOrderId), not the item.
let t: TestServer;
let sup: Client, wh: Client, qa: Client;
const sign = { password: DEMO_PASSWORD };
const items = new Map<string, { id: string; partNumber: string; name: object; unit: string; control: string }>();
const today = todayUtc();
/** The infusion set's BOM (seed/dmr.ts): each at least 1 per set, so 20 sets take at least 20. */
const BOM = ['RM-PVC-001', 'CP-DRP-001', 'CP-RCL-001', 'CP-LUER-001', 'CP-NDL-001', 'PK-EOP-001', 'LB-IFS-001'];

async function produced(
  partNumber: string,
  o: {
    workOrderId?: string;
    quantity?: number;
    serial?: string;
    lotNumber?: string;
    received?: Partial<Pick<LotDoc, 'supplier' | 'supplierLot' | 'po' | 'receiptId' | 'inspectionId' | 'coaRef'>>;
  },
) {
  const i = items.get(partNumber)!;
  const id = randomUUID();
  await createLot(
    t.services,
    id,
    o.received ? 'lot.received' : 'lot.produced',
    {
      ...o.received,
      item: { id: i.id, partNumber: i.partNumber, name: i.name, unit: i.unit, control: i.control },
      lotNumber: o.lotNumber ?? `GT-${id.slice(0, 8)}`,
      kind: o.serial ? 'serial' : 'lot',
      serial: o.serial ?? null,
      quantity: o.serial ? 1 : (o.quantity ?? 20),
      location: 'WH1-RAW-01',
      status: 'released',
      expiryDate: o.serial ? null : addDays(today, 300),
      source: 'test-factory',
      workOrderId: o.workOrderId ?? null,
    },
    SYSTEM_ACTOR,
  );
  return id;
}
async function order(partNumber: string, plannedQuantity: number) {
  const r = await sup.post('/api/v1/workorders', {
    itemId: items.get(partNumber)!.id,
    plannedQuantity,
    plannedStart: today,
    plannedEnd: addDays(today, 5),
  });
  expect(r.status).toBe(201);
  const ok = await sup.post(`/api/v1/workorders/${r.body.id}/actions/release`, {
    version: r.body.ledgerVersion,
    ...sign,
  });
  expect(ok.body.state).toBe('released');
  return { id: r.body.id as string, number: r.body.number as string };
}
async function issue(wo: string, lotId: string, quantity: number) {
  const r = await wh.post(`/api/v1/workorders/${wo}/materials`, { lotId, quantity });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}
const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id).sort();
const sorted = (xs: string[]) => [...xs].sort();

let A: LotDoc, B: string, M: string, F1: string, F2: string, P1: string, U1: string;
let WO1: { id: string; number: string }, WO2: typeof WO1, WOs: typeof WO1, WOp: typeof WO1;
const PUMP_SERIAL = `PMP-GT-${randomUUID().slice(0, 6)}`;
const PCB_SERIAL = `PCB-GT-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [sup, wh, qa] = await Promise.all(['prod.supervisor', 'warehouse', 'qa.manager'].map((u) => as(t.url, u)));
  for (const i of (await sup.get('/api/v1/items')).body) items.set(i.partNumber, i);
  // A: a received lot on a seeded PO (the factory copies a seeded receipt's PO, receipt, supplier
  // and inspection onto a fresh lot, so that nothing the seed built has taken from it)
  const seeded = (await t.services.db
    .collection<LotDoc>('lots')
    .findOne({ 'item.partNumber': 'CP-LUER-001', po: { $ne: null } }))!;
  const aId = await produced('CP-LUER-001', {
    quantity: 40,
    received: {
      supplier: seeded.supplier,
      supplierLot: 'SUP-GT-0001',
      po: seeded.po,
      receiptId: seeded.receiptId,
      inspectionId: seeded.inspectionId,
      coaRef: 'CoA SUP-GT-0001',
    },
  });
  A = (await t.services.db.collection<LotDoc>('lots').findOne({ _id: aId }))!;
  B = await produced(A.item.partNumber, { quantity: 10 });
  M = await produced('CP-MTR-100', { quantity: 5 });

  WO1 = await order('FG-IFS-20', 20);
  WO2 = await order('FG-IFS-20', 20);
  await issue(WO1.id, A._id, 10);
  await issue(WO2.id, A._id, 8);
  await issue(WO2.id, B, 5);
  F1 = await produced('FG-IFS-20', { workOrderId: WO1.id });
  F2 = await produced('FG-IFS-20', { workOrderId: WO2.id });
  expect((await wh.post(`/api/v1/lots/${F2}/hold`, { reason: 'Complaint under investigation' })).status).toBe(200);

  WOs = await order('FG-PMP-1', 1);
  await issue(WOs.id, M, 1);
  P1 = await produced('SA-PCB-100', { workOrderId: WOs.id, serial: PCB_SERIAL });
  WOp = await order('FG-PMP-1', 1);
  await issue(WOp.id, P1, 1);
  U1 = await produced('FG-PMP-1', { workOrderId: WOp.id, serial: PUMP_SERIAL });
  const shipped = await wh.post(`/api/v1/lots/${U1}/ship`, {
    customer: 'CUS-RJH',
    shipDate: today,
    reference: 'DN-GT-1',
  });
  expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

describe('forward trace', () => {
  it('from a lot partly issued to two orders: both orders, both finished lots, and where each is', async () => {
    const r = await qa.get(`/api/v1/trace/forward?lot=${A._id}`);
    expect(r.status).toBe(200);
    expect(r.body.start).toEqual([A._id]);
    expect(ids(r.body.workOrders)).toEqual(sorted([WO1.id, WO2.id]));
    expect(ids(r.body.lots)).toEqual(sorted([A._id, F1, F2]));
    const byId = new Map(r.body.lots.map((l: { id: string }) => [l.id, l]));
    expect(byId.get(F1)).toMatchObject({
      where: { state: 'in_stock', locations: [{ location: 'WH1-RAW-01', quantity: 20 }] },
    });
    expect(byId.get(F2)).toMatchObject({ where: { state: 'held', status: 'on_hold' } });
    // what A still holds: its quantity before the test less the 50 issued
    expect(byId.get(A._id)).toMatchObject({ where: { state: 'in_stock', quantity: A.quantity - 18 } });
    expect(r.body.workOrders.find((w: { id: string }) => w.id === WO1.id).consumed).toEqual([
      { lotId: A._id, lotNumber: A.lotNumber, quantity: 10 },
    ]);
    expect(r.body.workOrders.find((w: { id: string }) => w.id === WO2.id).consumed).toEqual([
      { lotId: A._id, lotNumber: A.lotNumber, quantity: 8 },
    ]);
    expect(r.body.summary).toEqual({ finished: 2, states: { in_stock: 1, held: 1 }, customers: [] });
    expect(
      r.body.rows.map((x: { type: string; id: string; depth: number; quantity: number }) => [
        x.depth,
        x.id,
        x.quantity,
      ]),
    ).toEqual([
      [0, A._id, A.initialQuantity],
      [1, WO1.id, 10],
      [2, F1, 20],
      [1, WO2.id, 8],
      [2, F2, 20],
    ]);
  });

  it('from a second lot of the same order: only that order and its output', async () => {
    const r = await qa.get(`/api/v1/trace/forward?lot=${B}`);
    expect(ids(r.body.workOrders)).toEqual([WO2.id]);
    expect(ids(r.body.lots)).toEqual(sorted([B, F2]));
  });

  it('through a sub-assembly to the shipped device and its customer', async () => {
    const r = await qa.get(`/api/v1/trace/forward?lot=${M}`);
    expect(ids(r.body.workOrders)).toEqual(sorted([WOs.id, WOp.id]));
    expect(ids(r.body.lots)).toEqual(sorted([M, P1, U1]));
    const u = r.body.lots.find((l: { id: string }) => l.id === U1);
    expect(u).toMatchObject({
      serial: PUMP_SERIAL,
      where: { state: 'shipped', customer: 'CUS-RJH', shipDate: today, reference: 'DN-GT-1' },
      customer: { code: 'CUS-RJH' },
    });
    expect(r.body.lots.find((l: { id: string }) => l.id === P1).where.state).toBe('consumed');
    expect(r.body.summary).toMatchObject({ finished: 1, states: { shipped: 1 } });
    expect(r.body.summary.customers).toEqual([expect.objectContaining({ code: 'CUS-RJH', units: 1 })]);
    expect(r.body.rows.map((x: { depth: number; id: string }) => [x.depth, x.id])).toEqual([
      [0, M],
      [1, WOs.id],
      [2, P1],
      [3, WOp.id],
      [4, U1],
    ]);
  });

  it('from a lot partly shipped: the shipped units with customer and date, and the units still in stock', async () => {
    // recall.factory: motor lot M ─▶ pump order ─▶ U1, U2 shipped to CUS-RJH (today−20), U3 to
    // CUS-ZJU1 (today−10), U4 in stock (ISO 13485:2016 7.5.9.2: the consignee of each shipment)
    const k = await recallCase(t);
    const r = await qa.get(`/api/v1/trace/forward?lot=${k.M}`);
    expect(r.status).toBe(200);
    const byId = new Map<string, any>(r.body.lots.map((l: { id: string }) => [l.id, l]));
    expect(ids(r.body.lots)).toEqual(sorted([k.M, ...k.U]));
    const shipped = (customer: string, shipDate: string) => ({
      where: { state: 'shipped', customer, shipDate },
      customer: { code: customer },
    });
    expect(byId.get(k.U[0])).toMatchObject(shipped('CUS-RJH', addDays(today, -20)));
    expect(byId.get(k.U[1])).toMatchObject(shipped('CUS-RJH', addDays(today, -20)));
    expect(byId.get(k.U[2])).toMatchObject(shipped('CUS-ZJU1', addDays(today, -10)));
    expect(byId.get(k.U[3])).toMatchObject({ where: { state: 'in_stock', quantity: 1 }, customer: null });
    expect(r.body.summary).toMatchObject({ finished: 4, states: { shipped: 3, in_stock: 1 } });
    expect(r.body.summary.customers.map((c: { code: string; units: number }) => [c.code, c.units])).toEqual([
      ['CUS-RJH', 2],
      ['CUS-ZJU1', 1],
    ]);
    // the rows say the same: customer and date on a shipped unit, the location on the one in stock
    const row = (id: string) => r.body.rows.find((x: { id: string }) => x.id === id);
    expect(row(k.U[0])).toMatchObject({ state: 'shipped', detail: `CUS-RJH ${addDays(today, -20)}` });
    expect(row(k.U[3])).toMatchObject({ state: 'in_stock', detail: 'WH1-RAW-01: 1' });
  });

  it('pages the rows (summary over all), and a change to a unit or a customer shows in the next trace', async () => {
    const k = await recallCase(t);
    const all = (await qa.get(`/api/v1/trace/forward?lot=${k.M}`)).body;
    expect(all.page).toEqual({ offset: 0, limit: 200, total: 6 }); // M, the order, U1-U4
    const r = await qa.get(`/api/v1/trace/forward?lot=${k.M}&offset=2&limit=2`);
    expect(r.status).toBe(200);
    expect(r.body.rows).toEqual(all.rows.slice(2, 4));
    expect(r.body.page).toEqual({ offset: 2, limit: 2, total: 6 });
    // the lots the page's rows name, and the start lot; the summary still counts every unit
    const onPage = all.rows.slice(2, 4).map((x: { id: string }) => x.id);
    expect(ids(r.body.lots)).toEqual(sorted([k.M, ...onPage]));
    expect(r.body.workOrders).toEqual([]);
    expect(r.body.summary).toEqual(all.summary);
    expect(all.workOrders.map((w: { output: string[]; produced: number }) => [sorted(w.output), w.produced])).toEqual([
      [sorted(k.U), 4],
    ]);
    for (const bad of ['limit=0', 'limit=5001', 'offset=-1', 'limit=2.5', 'offset=x'])
      expect((await qa.get(`/api/v1/trace/forward?lot=${k.M}&${bad}`)).status, bad).toBe(400);

    // the unit in stock ships; the customer is renamed: both in the next read (no stale answer kept)
    await t.services.ledger.append(
      streamOf('lot', k.U[3]),
      'lot.shipped',
      { customer: 'CUS-ZJU1', shipDate: today, warrantyEnd: null, reference: 'DN-GT-PAGE' },
      { actor: SYSTEM_ACTOR },
    );
    const after = (await qa.get(`/api/v1/trace/forward?lot=${k.M}`)).body;
    expect(after.summary.customers.map((c: { code: string; units: number }) => [c.code, c.units])).toEqual([
      ['CUS-RJH', 2],
      ['CUS-ZJU1', 2],
    ]);
    const name = { en: 'Renamed hospital', zh: '改名医院' };
    await t.services.ledger.append(
      streamOf('customer', 'CUS-ZJU1'),
      'customer.updated',
      { name },
      { actor: SYSTEM_ACTOR },
    );
    const renamed = (await qa.get(`/api/v1/trace/forward?lot=${k.M}`)).body;
    expect(renamed.summary.customers.find((c: { code: string }) => c.code === 'CUS-ZJU1').name).toEqual(name);
  });
});

describe('forward trace kept current', () => {
  it('read on another server: a traced unit shipped on A shows its new place on B within 1 s, a new consumption adds its output', async () => {
    const k = await recallCase(t);
    const b = await startTestServer({ sharedWith: t });
    try {
      const qaB = new Client(b.url);
      qaB.cookie = qa.cookie;
      qaB.csrf = qa.csrf;
      const url = `/api/v1/trace/forward?lot=${k.M}`;
      const first = await qaB.get(url);
      expect(first.status).toBe(200);
      const unit = (body: any, id: string) => body.lots.find((l: { id: string }) => l.id === id);
      expect(unit(first.body, k.U[3]).where.state).toBe('in_stock');
      const until = async (ok: (body: any) => boolean) => {
        const t0 = Date.now();
        let body: any;
        do {
          body = (await qaB.get(url)).body;
          if (ok(body)) return { body, ms: Date.now() - t0 };
          await new Promise((r) => setTimeout(r, 50));
        } while (Date.now() - t0 < 1000);
        return { body, ms: Date.now() - t0 };
      };
      // a unit of the traced subgraph shipped on A (only that unit's place changes: the trace is patched)
      expect(
        (await wh.post(`/api/v1/lots/${k.U[3]}/ship`, { customer: 'CUS-ZJU1', shipDate: today, reference: 'DN-GT-B' }))
          .status,
      ).toBe(200);
      const shipped = await until((x) => unit(x, k.U[3])?.where.state === 'shipped');
      expect(unit(shipped.body, k.U[3])).toMatchObject({
        where: { state: 'shipped', customer: 'CUS-ZJU1', shipDate: today, reference: 'DN-GT-B' },
        customer: { code: 'CUS-ZJU1' },
      });
      expect(shipped.ms).toBeLessThan(1000);
      expect(shipped.body.rows.find((x: { id: string }) => x.id === k.U[3])).toMatchObject({
        state: 'shipped',
        detail: `CUS-ZJU1 ${today}`,
      });
      expect(shipped.body.summary).toMatchObject({ finished: 4, states: { shipped: 4 } });
      expect(shipped.body.summary.customers.map((c: { code: string; units: number }) => [c.code, c.units])).toEqual([
        ['CUS-RJH', 2],
        ['CUS-ZJU1', 2],
      ]);
      // a new consumption of the traced lot on A: the new order and its output lot join the trace on B
      const wo = await order('FG-PMP-1', 1);
      await issue(wo.id, k.M, 1);
      const serial = `PMP-GT-B-${randomUUID().slice(0, 6)}`;
      const out = await produced('FG-PMP-1', { workOrderId: wo.id, serial });
      const grown = await until((x) => !!unit(x, out));
      expect(grown.ms).toBeLessThan(1000);
      expect(ids(grown.body.lots)).toEqual(sorted([k.M, ...k.U, out]));
      expect(ids(grown.body.workOrders)).toContain(wo.id);
      expect(grown.body.summary).toMatchObject({ finished: 5, states: { shipped: 4, in_stock: 1 } });
      expect(grown.body.rows.slice(-2).map((x: { id: string; depth: number }) => [x.depth, x.id])).toEqual([
        [1, wo.id],
        [2, out],
      ]);
    } finally {
      await b.stop();
    }
  }, 120_000);

  it('a change outside the trace leaves it as it was; a unit moved inside it shows its new location', async () => {
    const k = await recallCase(t);
    const url = `/api/v1/trace/forward?lot=${k.M}`;
    const before = (await qa.get(url)).body;
    // an unrelated receipt: nothing of the trace changes
    await produced('CP-MTR-100', { quantity: 3 });
    expect((await qa.get(url)).body).toEqual(before);
    // a unit in stock moved: its row's location, nothing else
    await t.services.ledger.append(
      streamOf('lot', k.U[3]),
      'lot.moved',
      { from: 'WH1-RAW-01', to: 'WH1-FG-01', quantity: 1, source: 'test' },
      { actor: SYSTEM_ACTOR },
    );
    const after = (await qa.get(url)).body;
    expect(after.rows.find((x: { id: string }) => x.id === k.U[3])).toMatchObject({
      state: 'in_stock',
      detail: 'WH1-FG-01: 1',
    });
    expect(after.summary).toEqual(before.summary);
    expect(after.rows.filter((x: { id: string }) => x.id !== k.U[3])).toEqual(
      before.rows.filter((x: { id: string }) => x.id !== k.U[3]),
    );
  });
});

describe('forward trace patched', () => {
  it('after moves, shipments, a return and a hold, the patched summary equals a fresh trace; an earlier answer is unchanged', async () => {
    const k = await recallCase(t);
    const url = `/api/v1/trace/forward?lot=${k.M}`;
    const first = await traceForward(t.services, { lot: k.M });
    const firstJson = JSON.stringify({ lots: first.lots, rows: first.rows, summary: first.summary });
    const patchedBefore = forwardStats.patched;
    const lot = (id: string) => streamOf('lot', id);
    // each change read on A before the next: the cached trace is patched step by step
    const steps: Array<[string, string, Record<string, unknown>, string?]> = [
      [k.U[3], 'lot.moved', { from: 'WH1-RAW-01', to: 'WH1-FG-01', quantity: 1, source: 'test' }],
      [k.U[3], 'lot.shipped', { customer: 'CUS-ZJU1', shipDate: today, warrantyEnd: null, reference: 'DN-GT-P1' }],
      [
        k.U[0],
        'lot.returned',
        { rmaId: 'rma-gt', rma: 'RMA-GT-1', customer: 'CUS-RJH', quantity: 1, location: 'WH1-QUA-01' },
        'return',
      ],
      [k.U[1], 'lot.held', { source: null }, 'Field complaint'],
      [k.U[0], 'lot.shipped', { customer: 'CUS-ZJU1', shipDate: today, warrantyEnd: null, reference: 'DN-GT-P2' }],
    ];
    for (const [id, type, data, reason] of steps) {
      await t.services.ledger.append(lot(id), type, data, { actor: SYSTEM_ACTOR, ...(reason ? { reason } : {}) });
      expect((await qa.get(url)).status).toBe(200);
    }
    expect(forwardStats.patched - patchedBefore).toBeGreaterThanOrEqual(steps.length);
    const patched = (await qa.get(url)).body;
    // a second server computes the trace afresh from the same database
    const b = await startTestServer({ sharedWith: t });
    try {
      const qaB = new Client(b.url);
      qaB.cookie = qa.cookie;
      qaB.csrf = qa.csrf;
      const fresh = (await qaB.get(url)).body;
      expect(patched.summary).toEqual(fresh.summary);
      expect(patched.rows).toEqual(fresh.rows);
      // (the order of the lots is the walk's over each server's own index)
      const byId = (xs: Array<{ id: string }>) => [...xs].sort((x, y) => x.id.localeCompare(y.id));
      expect(byId(patched.lots)).toEqual(byId(fresh.lots));
    } finally {
      await b.stop();
    }
    expect(patched.summary.states).not.toEqual(first.summary.states);
    // the trace handed out before the changes is as it was
    expect(JSON.stringify({ lots: first.lots, rows: first.rows, summary: first.summary })).toBe(firstJson);
  }, 120_000);
});

describe('backward trace', () => {
  it('from a finished lot: both component lots with their quantities, supplier, PO and inspection', async () => {
    const r = await qa.get(`/api/v1/trace/backward?lot=${F2}`);
    expect(r.status).toBe(200);
    expect(ids(r.body.lots)).toEqual(sorted([F2, A._id, B]));
    expect(ids(r.body.workOrders)).toEqual([WO2.id]);
    expect(r.body.edges).toEqual([
      { lotId: A._id, workOrderId: WO2.id, quantity: 8 },
      { lotId: B, workOrderId: WO2.id, quantity: 5 },
    ]);
    const a = r.body.lots.find((l: { id: string }) => l.id === A._id);
    expect(a).toMatchObject({
      supplier: { code: A.supplier!.code },
      supplierLot: A.supplierLot,
      coaRef: A.coaRef,
      po: { id: A.po!.id, number: A.po!.number, link: { route: 'purchase-order', id: A.po!.id } },
      receipt: { id: A.receiptId },
      supplierLink: { route: 'supplier', id: A.supplier!.code },
    });
    if (A.inspectionId) expect(a.inspection).toMatchObject({ id: A.inspectionId, link: { route: 'inspection' } });
    expect(r.body.rows.map((x: { depth: number; id: string }) => [x.depth, x.id])).toEqual([
      [0, F2],
      [1, WO2.id],
      [2, A._id],
      [2, B],
    ]);
  });

  it('from a serial through the sub-assembly to the motor lot', async () => {
    const r = await qa.get(`/api/v1/trace/backward?serial=${PUMP_SERIAL}`);
    expect(r.body.start).toEqual([U1]);
    expect(ids(r.body.lots)).toEqual(sorted([U1, P1, M]));
    expect(ids(r.body.workOrders)).toEqual(sorted([WOp.id, WOs.id]));
    expect(r.body.rows.map((x: { depth: number; id: string }) => [x.depth, x.id])).toEqual([
      [0, U1],
      [1, WOp.id],
      [2, P1],
      [3, WOs.id],
      [4, M],
    ]);
  });

  it('from a seeded released lot: operators trained and equipment calibrated at the time of each step', async () => {
    const { lot } = await releasedProducedLot(t);
    const r = await qa.get(`/api/v1/trace/backward?lot=${lot.lotNumber}`);
    expect(r.status).toBe(200);
    const w = r.body.workOrders.find((x: { id: string }) => x.id === lot.workOrderId);
    type Step = {
      operator: { name: string };
      training: { required: boolean; trained: boolean | null };
      equipment: Array<{ code: string; calibratedAtTime: boolean }>;
    };
    const steps: Step[] = w.steps;
    // the demo DHR's equipment (seed/production.ts READINGS for FG-IFS-20)
    expect(sorted(steps.flatMap((s) => s.equipment.map((e) => e.code)))).toEqual([
      'EQ-EOS-01',
      'EQ-LKT-01',
      'EQ-UVB-01',
    ]);
    expect(steps.every((s) => s.equipment.every((e) => e.calibratedAtTime))).toBe(true);
    expect(steps.filter((s) => s.training.required).every((s) => s.training.trained === true)).toBe(true);
    expect(steps.every((s) => s.operator.name.length > 0)).toBe(true);
    // the components of the DHR: one lot per BOM line of the infusion set (seed/dmr.ts)
    const components = r.body.lots.filter((l: { id: string }) => l.id !== lot._id);
    expect(
      sorted([...new Set<string>(components.map((l: { item: { partNumber: string } }) => l.item.partNumber))]),
    ).toEqual(sorted(BOM));
  });
});

describe('refusals', () => {
  it('needs a session; unknown lot → 404; injected or malformed query → 400', async () => {
    expect((await new Client(t.url).get(`/api/v1/trace/forward?lot=${A._id}`)).status).toBe(401);
    expect((await qa.get('/api/v1/trace/forward?lot=NO-SUCH-LOT')).status).toBe(404);
    expect((await qa.get('/api/v1/trace/backward?serial=NO-SUCH-SERIAL')).status).toBe(404);
    expect((await qa.get('/api/v1/trace/forward?lot[$ne]=null')).status).toBe(400);
    expect((await qa.get(`/api/v1/trace/forward?lot=${encodeURIComponent('{"$ne":null}')}`)).status).toBe(400);
    expect((await qa.get('/api/v1/trace/forward')).status).toBe(400);
    expect((await qa.get(`/api/v1/trace/backward?lot=${F1}&serial=${PUMP_SERIAL}`)).status).toBe(400);
    expect((await qa.get('/api/v1/trace/backward')).status).toBe(400);
  });
});

describe('sealed PDF', () => {
  it('exports a forward trace as kind genealogy, on the ledger; a bad id is 400, an unknown lot 404', async () => {
    expect((await qa.post('/api/v1/exports', { kind: 'genealogy', id: 'sideways:lot:x' })).status).toBe(400);
    expect((await qa.post('/api/v1/exports', { kind: 'genealogy', id: 'forward:lot:NO-SUCH-LOT' })).status).toBe(404);
    const r = await qa.post('/api/v1/exports', { kind: 'genealogy', id: `forward:lot:${M}`, locale: 'zh-CN' });
    expect(r.status).toBe(202);
    let job = r.body;
    for (let i = 0; i < 200 && job.status === 'running'; i++) {
      await new Promise((ok) => setTimeout(ok, 100));
      job = (await qa.get(`/api/v1/exports/${job.id}`)).body;
    }
    expect(job.status, JSON.stringify(job)).toBe('done');
    const file = await qa.bytes(`/api/v1/exports/${job.id}/file`);
    expect([file.status, file.type]).toEqual([200, 'application/pdf']);
    expect(file.body.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
