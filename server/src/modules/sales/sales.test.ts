import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { addDays, addMonths, todayUtc } from '../../platform/dates.ts';
import { lots } from '../inventory/service.ts';
import { itemId, orderOf, stockLot, type Order } from './sales.factory.ts';

// Sales orders end to end on the seeded company: FEFO allocation (first expiry first out; equal
// expiry by lot number) that never takes held, quarantined, unreleased or expired stock; serial
// choice; partial shipments through each lot's own ship; the packing list with the UDIs shipped
// (sealed PDF: pdfsig, pdftotext); delivery confirmation; and the forward genealogy from a
// component lot naming the order's customer (ISO 13485:2016 7.5.9.2; 21 CFR 820.160(b)).
let t: TestServer;
let wh: Client, buyer: Client, qa: Client;
let FG: string, PMP: string;
const dir = mkdtempSync(path.join(tmpdir(), 'sales-'));
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
const today = todayUtc();
const yymmdd = (d: string) => d.slice(2, 4) + d.slice(5, 7) + d.slice(8, 10);

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [wh, buyer, qa] = await Promise.all(['warehouse', 'purchaser', 'qa.manager'].map((u) => as(t.url, u)));
  [FG, PMP] = await Promise.all([itemId(wh, 'FG-IFS-20'), itemId(wh, 'FG-PMP-1')]);
});
afterAll(async () => {
  await t?.stop();
});

const act = async (c: Client, o: { id: string }, action: string, body: Record<string, unknown> = {}) => {
  const r = await c.post(`/api/v1/sales-orders/${o.id}/${action}`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as Order;
};
const lot = async (id: string) => (await lots(t.services).findOne({ _id: id }))!;

async function exportPdf(c: Client, body: Record<string, unknown>) {
  const started = await c.post('/api/v1/exports', body);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  let job = started.body;
  for (let i = 0; i < 300 && job.status === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    job = (await c.get(`/api/v1/exports/${job.id}`)).body;
  }
  expect(job, JSON.stringify(job)).toMatchObject({ status: 'done' });
  return c.bytes(`/api/v1/exports/${job.id}/file`);
}

describe('allocation', () => {
  it('FEFO: earliest expiry first, equal expiry by lot number; held, quarantined and expired lots never taken', async () => {
    const k = randomUUID().slice(0, 6).toUpperCase();
    const later = await stockLot(t, wh, { lotNumber: `F${k}-C`, quantity: 10, expiryInDays: 5 });
    const b = await stockLot(t, wh, { lotNumber: `F${k}-B`, quantity: 10, expiryInDays: 1 });
    const a = await stockLot(t, wh, { lotNumber: `F${k}-A`, quantity: 10, expiryInDays: 1 });
    const expired = await stockLot(t, wh, { lotNumber: `F${k}-0`, quantity: 50, expiryInDays: -1 });
    const held = await stockLot(t, wh, { lotNumber: `F${k}-H`, quantity: 50, expiryInDays: 0, status: 'on_hold' });
    const quarantined = await stockLot(t, wh, {
      lotNumber: `F${k}-Q`,
      quantity: 50,
      expiryInDays: 0,
      status: 'quarantine',
    });
    const o = await orderOf(buyer, [{ itemId: FG, quantity: 25 }]);
    const cands = (await buyer.get(`/api/v1/sales-orders/${o.id}/lines/1/candidates`)).body as Array<{ lotId: string }>;
    expect(cands.slice(0, 3).map((c) => c.lotId)).toEqual([a.id, b.id, later.id]);
    for (const never of [expired, held, quarantined]) expect(cands.map((c) => c.lotId)).not.toContain(never.id);
    const allocated = await act(buyer, o, 'allocate', { lineId: '1' });
    expect(allocated.status).toBe('allocated');
    expect(allocated.lines[0].allocations.map((x) => [x.lotNumber, x.quantity])).toEqual([
      [`F${k}-A`, 10],
      [`F${k}-B`, 10],
      [`F${k}-C`, 5],
    ]);
    // reserved stock is not offered to another order: the next FEFO pick takes the 5 left of C
    const other = await orderOf(buyer, [{ itemId: FG, quantity: 5 }]);
    const next = (await buyer.get(`/api/v1/sales-orders/${other.id}/lines/1/candidates`)).body;
    expect(next[0]).toMatchObject({ lotId: later.id, available: 5 });
    // cancelling releases the reservation
    await act(buyer, o, 'cancel', { reason: 'customer changed the delivery plan' });
    const freed = (await buyer.get(`/api/v1/sales-orders/${other.id}/lines/1/candidates`)).body;
    expect(freed[0]).toMatchObject({ lotId: a.id, available: 10 });
  });

  it('serials: the system proposes in serial order, or the user picks the serial; each unit ships whole', async () => {
    const k = randomUUID().slice(0, 6).toUpperCase();
    const u1 = await stockLot(t, wh, { partNumber: 'FG-PMP-1', serial: `000-${k}-1`, lotNumber: `P${k}` });
    const u2 = await stockLot(t, wh, { partNumber: 'FG-PMP-1', serial: `000-${k}-2`, lotNumber: `P${k}` });
    const o = await orderOf(buyer, [{ itemId: PMP, quantity: 2 }]);
    const proposed = await act(buyer, o, 'allocate', { lineId: '1', quantity: 1 });
    expect(proposed.lines[0].allocations.map((x) => x.serial)).toEqual([`000-${k}-1`]);
    const picked = await act(buyer, o, 'allocate', { lineId: '1', picks: [{ lotId: u2.id, quantity: 1 }] });
    expect(picked.lines[0].allocations.map((x) => x.lotId)).toEqual([u1.id, u2.id]);
    const shipped = await act(wh, o, 'ship', { carrier: 'SF Express', reference: 'SF-P1' });
    expect(shipped.status).toBe('shipped');
    for (const u of [u1, u2])
      expect(await lot(u.id)).toMatchObject({
        status: 'shipped',
        shipment: { customer: 'CUS-RJH', shipDate: today, warrantyEnd: addMonths(today, 24) },
      });
  });
});

describe('shipment, packing list and delivery', () => {
  it('ships part of an allocation, then the rest; the lot gives exactly what left; packing list lists the UDIs; deliveries close the order', async () => {
    const k = randomUUID().slice(0, 6).toUpperCase();
    const l = await stockLot(t, wh, { lotNumber: `S${k}`, quantity: 30, expiryInDays: 200 });
    const o = await orderOf(buyer, [{ itemId: FG, quantity: 20 }], { customer: 'CUS-ZJU1' });
    await act(buyer, o, 'allocate', { lineId: '1', picks: [{ lotId: l.id, quantity: 20 }] });
    // the allocated order is the warehouse's shipment to make, and nobody else's task
    const tasksOn = async (c: Client) =>
      ((await c.get('/api/v1/tasks')).body as Array<{ kind: string; link: { id: string } }>)
        .filter((x) => x.link.id === o.id)
        .map((x) => x.kind);
    expect(await tasksOn(wh)).toEqual(['sales_order_shipment']);
    expect(await tasksOn(qa)).toEqual([]);
    const first = await act(wh, o, 'ship', {
      carrier: 'SF Express',
      reference: 'SF1234567890',
      lines: [{ lineId: '1', lotId: l.id, quantity: 8 }],
    });
    expect(first.status).toBe('partially_shipped');
    expect(first.lines[0]).toMatchObject({ allocated: 12, shipped: 8 });
    expect(await lot(l.id)).toMatchObject({ status: 'released', quantity: 22 });
    const gtin = (await wh.get(`/api/v1/items/${FG}`)).body.gtin as string;
    const udi = `(01)${gtin}(11)${yymmdd(addDays(today, -10))}(17)${yymmdd(addDays(today, 200))}(10)S${k}`;
    expect(first.shipments[0].lines[0]).toMatchObject({ quantity: 8, udi });
    const second = await act(wh, o, 'ship', { carrier: 'SF Express', reference: 'SF1234567891' });
    expect(second.status).toBe('shipped');
    expect(second.lines[0]).toMatchObject({ allocated: 0, shipped: 20 });
    expect(await lot(l.id)).toMatchObject({ status: 'released', quantity: 10 });

    // the packing list of the first shipment: sealed, with its UDI, in Chinese
    const file = await exportPdf(wh, { kind: 'packing-list', id: `${o.id}:${first.shipments[0].id}`, locale: 'zh-CN' });
    expect(file.type).toBe('application/pdf');
    const pdf = path.join(dir, 'packing.pdf');
    writeFileSync(pdf, file.body);
    expect(run('pdfsig', [pdf]).stdout).toContain('Signature Validation: Signature is Valid.');
    const flat = run('pdftotext', [pdf, '-']).stdout.replace(/\s/g, '');
    expect(flat).toContain(udi.replace(/\s/g, ''));
    expect(flat).toContain(first.shipments[0].number);
    expect(flat).toContain('装箱单');
    expect((await qa.post('/api/v1/exports', { kind: 'packing-list', id: `${o.id}:no-such` })).status).toBe(404);

    // delivery: not before the ship date, then each shipment confirmed
    const ship1 = second.shipments[0].id;
    const early = await wh.post(`/api/v1/sales-orders/${o.id}/deliver`, {
      shipmentId: ship1,
      deliveredOn: addDays(today, -1),
      receivedBy: '王护士长',
    });
    expect([early.status, early.body.error.code]).toEqual([400, 'SO_DELIVERY_BEFORE_SHIPMENT']);
    const one = await act(wh, o, 'deliver', { shipmentId: ship1, deliveredOn: today, receivedBy: '王护士长' });
    expect(one.status).toBe('shipped');
    const done = await act(wh, o, 'deliver', {
      shipmentId: second.shipments[1].id,
      deliveredOn: today,
      receivedBy: '设备科 李',
    });
    expect(done.status).toBe('delivered');
    expect(done.actions).toEqual([]);
    expect(await tasksOn(wh)).toEqual([]);
  });

  it('forward genealogy from a component lot of a shipped seeded pump names the order’s customer and ship date', async () => {
    const pump = (await lots(t.services).findOne({
      'item.partNumber': 'FG-PMP-1',
      status: 'released',
      workOrderId: { $ne: null },
    }))!;
    const o = await orderOf(buyer, [{ itemId: PMP, quantity: 1 }], { customer: 'CUS-ZJU1' });
    await act(buyer, o, 'allocate', { lineId: '1', picks: [{ lotId: pump._id, quantity: 1 }] });
    const shipped = await act(wh, o, 'ship', { carrier: 'JD Logistics', reference: 'JD-77' });
    expect(shipped.shipments[0].lines[0].udi).toContain(`(21)${pump.serial}`);
    const wo = (await qa.get(`/api/v1/workorders/${pump.workOrderId}`)).body;
    const component = wo.materials[0].lotId as string;
    const trace = (await qa.get(`/api/v1/trace/forward?lot=${component}`)).body;
    const node = trace.lots.find((x: { id: string }) => x.id === pump._id);
    expect(node).toMatchObject({
      where: { state: 'shipped', customer: 'CUS-ZJU1', shipDate: today },
      customer: { code: 'CUS-ZJU1' },
    });
    expect(node.where.reference).toContain(shipped.number);
    expect(trace.summary.customers.map((c: { code: string }) => c.code)).toContain('CUS-ZJU1');
  });
});
