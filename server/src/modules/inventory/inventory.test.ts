import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, Client, DEMO_PASSWORD, startTestServer, type TestServer } from '../../../test/harness.ts';
import { SYSTEM_ACTOR } from '../../platform/context.ts';
import { addDays, addMonths, todayUtc } from '../../platform/dates.ts';
import { createLot } from './service.ts';

// Inventory rules through HTTP on the real engine: statuses, quantities under concurrency,
// holds, scrap, FEFO, expiry, shipping and alerts.
let t: TestServer;
let wh: Client, qa: Client, qaEng: Client, op: Client, auditor: Client, rev: Client;
const items = new Map<string, any>();
const sign = { password: DEMO_PASSWORD };
const ledgerCount = () => t.services.ledger.count();

beforeAll(async () => {
  t = await startTestServer({ seed: true }); // the demo company, ERP part included (seed/erp.ts)
  [wh, qa, qaEng, op, auditor, rev] = await Promise.all(
    ['warehouse', 'qa.manager', 'qa.engineer', 'operator', 'auditor', 'reviewer'].map((u) => as(t.url, u)),
  );
  for (const i of (await wh.get('/api/v1/items')).body) items.set(i.partNumber, i);
});
afterAll(async () => {
  await t?.stop();
});

/** A lot as a factory makes it (status and dates chosen by the test), version 1 of its stream. */
async function lot(
  pn: string,
  o: { quantity?: number; status?: string; expiryDate?: string | null; location?: string; serial?: string } = {},
) {
  const it = items.get(pn);
  const id = randomUUID();
  await createLot(
    t.services,
    id,
    'lot.produced',
    {
      item: { id: it.id, partNumber: it.partNumber, name: it.name, unit: it.unit, control: it.control },
      lotNumber: `T-${id.slice(0, 8)}`,
      kind: o.serial ? 'serial' : 'lot',
      serial: o.serial ?? null,
      quantity: o.serial ? 1 : (o.quantity ?? 100),
      location: o.location ?? 'WH1-RAW-01',
      status: o.status ?? 'released',
      expiryDate: o.expiryDate === undefined ? addDays(todayUtc(), 300) : o.expiryDate,
      source: 'test-factory',
    },
    SYSTEM_ACTOR,
  );
  return id;
}
const get = async (id: string) => (await wh.get(`/api/v1/lots/${id}`)).body;

describe('issue and quantities', () => {
  it('issues released stock and refuses quarantined, held, rejected and expired lots', async () => {
    const ok = await lot('CP-LUER-001');
    const r = await op.post(`/api/v1/lots/${ok}/issue`, { quantity: 30, workOrder: 'WO-1' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ quantity: 70, status: 'released' });
    for (const status of ['quarantine', 'on_hold', 'rejected']) {
      const id = await lot('CP-LUER-001', { status, location: status === 'rejected' ? 'WH1-REJ-01' : 'WH1-QA-01' });
      const refused = await op.post(`/api/v1/lots/${id}/issue`, { quantity: 1, workOrder: 'WO-1' });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('LOT_NOT_RELEASED');
    }
    const old = await lot('CP-LUER-001', { expiryDate: addDays(todayUtc(), -1) });
    const before = await ledgerCount();
    const refused = await op.post(`/api/v1/lots/${old}/issue`, { quantity: 1, workOrder: 'WO-1' });
    expect(refused.body.error.code).toBe('LOT_EXPIRED');
    // the read made it expired, as a system event; nothing was issued
    expect(await ledgerCount()).toBe(before + 1);
    const l = await get(old);
    expect(l).toMatchObject({ status: 'expired', quantity: 100 });
    expect(l.ledger.valid).toBe(true);
  });

  it('never goes negative', async () => {
    const id = await lot('CP-LUER-001', { quantity: 10 });
    const before = await ledgerCount();
    const over = await op.post(`/api/v1/lots/${id}/issue`, { quantity: 11, workOrder: 'WO-2' });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'INSUFFICIENT_QUANTITY', details: { available: 10, requested: 11 } });
    const adj = await wh.post(`/api/v1/lots/${id}/adjust`, { location: 'WH1-RAW-01', delta: -10.5, reason: 'damaged' });
    expect(adj.body.error.code).toBe('INSUFFICIENT_QUANTITY');
    const mv = await wh.post(`/api/v1/lots/${id}/move`, { from: 'WH1-RAW-01', to: 'WH2-FG-01', quantity: 12 });
    expect(mv.body.error.code).toBe('INSUFFICIENT_QUANTITY');
    expect(await ledgerCount()).toBe(before);
    const all = await op.post(`/api/v1/lots/${id}/issue`, { quantity: 10, workOrder: 'WO-2' });
    expect(all.body).toMatchObject({ quantity: 0, status: 'consumed' });
  });

  it('keeps the total through 20 concurrent moves and issues of one lot', async () => {
    const id = await lot('CP-LUER-001', { quantity: 100 });
    const moves = Array.from({ length: 10 }, () =>
      wh.post(`/api/v1/lots/${id}/move`, { from: 'WH1-RAW-01', to: 'WH2-FG-01', quantity: 7 }),
    );
    const issues = Array.from({ length: 10 }, (_, i) =>
      op.post(`/api/v1/lots/${id}/issue`, { quantity: 8, location: 'WH1-RAW-01', workOrder: `WO-C${i}` }),
    );
    const results = await Promise.all([...moves, ...issues]);
    for (const r of results) {
      expect([200, 409]).toContain(r.status);
      if (r.status === 409) expect(r.body.error.code).toBe('INSUFFICIENT_QUANTITY');
    }
    const moved = results.slice(0, 10).filter((r) => r.status === 200).length * 7;
    const issued = results.slice(10).filter((r) => r.status === 200).length * 8;
    expect(moved + issued).toBeLessThanOrEqual(100);
    expect(moved + issued).toBeGreaterThan(100 - 8); // refused only when the stock really ran short
    const l = await get(id);
    const at = (loc: string) => l.balances.find((b: any) => b.location === loc)?.quantity ?? 0;
    expect(at('WH1-RAW-01')).toBe(100 - moved - issued);
    expect(at('WH2-FG-01')).toBe(moved);
    expect(l.quantity).toBe(100 - issued);
    expect(l.balances.every((b: any) => b.quantity > 0)).toBe(true);
    expect(l.ledger).toMatchObject({ valid: true, events: 1 + results.filter((r) => r.status === 200).length });
    // the projection equals the fold of the ledger
    const replayed = await t.services.projector.stateAt<any>(`lot:${id}`);
    expect(replayed.balances).toEqual(l.balances);
  });

  it('moves only to locations that fit the status, counts and adjusts with a reason', async () => {
    const q = await lot('CP-LUER-001', { status: 'quarantine', location: 'WH1-QA-01' });
    const bad = await wh.post(`/api/v1/lots/${q}/move`, { from: 'WH1-QA-01', to: 'WH1-RAW-01', quantity: 10 });
    expect(bad.body.error.code).toBe('LOCATION_NOT_ALLOWED');
    const id = await lot('CP-LUER-001', { quantity: 50 });
    const count = await wh.post(`/api/v1/lots/${id}/count`, { location: 'WH1-RAW-01', counted: 47 });
    expect(count.body.quantity).toBe(47);
    const l = await get(id);
    expect(l.movements.at(-1)).toMatchObject({
      type: 'adjusted',
      from: 'WH1-RAW-01',
      quantity: 3,
      source: 'stock-count',
      reason: 'stock count difference',
    });
    const noReason = await wh.post(`/api/v1/lots/${id}/adjust`, { location: 'WH1-RAW-01', delta: 2 });
    expect(noReason.status).toBe(400);
  });
});

describe('holds and scrap', () => {
  it('holds a lot, and only QA releases it from hold with a signature', async () => {
    const id = await lot('CP-DRP-001');
    expect((await op.post(`/api/v1/lots/${id}/hold`, { reason: 'x' })).status).toBe(403);
    const held = await wh.post(`/api/v1/lots/${id}/hold`, { reason: 'Customer complaint CC-7 under investigation' });
    expect(held.body).toMatchObject({
      status: 'on_hold',
      hold: { reason: 'Customer complaint CC-7 under investigation' },
    });
    expect((await op.post(`/api/v1/lots/${id}/issue`, { quantity: 1, workOrder: 'WO-3' })).body.error.code).toBe(
      'LOT_NOT_RELEASED',
    );
    expect((await wh.post(`/api/v1/lots/${id}/release-hold`, { reason: 'ok', ...sign })).status).toBe(403);
    const wrong = await qaEng.post(`/api/v1/lots/${id}/release-hold`, { reason: 'ok', password: 'wrong-password-1' });
    expect(wrong.status).toBe(401);
    expect((await get(id)).status).toBe('on_hold');
    const ok = await qaEng.post(`/api/v1/lots/${id}/release-hold`, { reason: 'Complaint not lot-related', ...sign });
    expect(ok.body).toMatchObject({ status: 'released', hold: null });
    const l = await get(id);
    expect(l.signatures.map((s: any) => s.meaning)).toEqual(['released']);
  });

  it('scraps a quantity with a disposition signature', async () => {
    const id = await lot('CP-DRP-001', { quantity: 40 });
    const r = await qa.post(`/api/v1/lots/${id}/scrap`, { quantity: 15, reason: 'Cracked in handling', ...sign });
    expect(r.body).toMatchObject({ quantity: 25, status: 'released' });
    const all = await qa.post(`/api/v1/lots/${id}/scrap`, { reason: 'Obsolete design', ...sign });
    expect(all.body).toMatchObject({ quantity: 0, status: 'scrapped' });
    const l = await get(id);
    expect(l.signatures).toHaveLength(2);
    expect(l.signatures.every((s: any) => s.meaning === 'approved' && s.valid)).toBe(true);
  });
});

describe('FEFO, expiry, shipping and alerts', () => {
  it('suggests released, unexpired lots in expiry order', async () => {
    const pn = 'CP-MTR-100';
    const late = await lot(pn, { quantity: 10, expiryDate: addDays(todayUtc(), 200) });
    const soon = await lot(pn, { quantity: 10, expiryDate: addDays(todayUtc(), 20) });
    await lot(pn, { quantity: 10, expiryDate: addDays(todayUtc(), 5), status: 'quarantine', location: 'WH1-QA-01' });
    await lot(pn, { quantity: 10, expiryDate: addDays(todayUtc(), -3) });
    const r = await wh.get(`/api/v1/inventory/fefo?item=${items.get(pn).id}&qty=15`);
    expect(r.body.picks.map((p: any) => [p.lotId, p.take])).toEqual([
      [soon, 10],
      [late, 5],
    ]);
    expect(r.body.shortfall).toBe(0);
    expect((await wh.get(`/api/v1/inventory/fefo?item=${items.get(pn).id}&qty=0`)).status).toBe(400);
  });

  it('ships a released serial with its warranty end; not a quarantined one', async () => {
    const pump = await lot('FG-PMP-1', { serial: `IP1-T${Date.now()}`, location: 'WH2-FG-01', expiryDate: null });
    const r = await wh.post(`/api/v1/lots/${pump}/ship`, {
      customer: 'CUS-RJH',
      shipDate: '2026-03-31',
      reference: 'DN-2026-0007',
    });
    expect(r.body).toMatchObject({
      status: 'shipped',
      quantity: 0,
      shipment: { customer: 'CUS-RJH', shipDate: '2026-03-31', warrantyEnd: addMonths('2026-03-31', 24) },
    });
    expect(r.body.shipment.warrantyEnd).toBe('2028-03-31');
    const q = await lot('FG-PMP-1', {
      serial: `IP1-Q${Date.now()}`,
      status: 'quarantine',
      location: 'WH1-QA-01',
      expiryDate: null,
    });
    expect((await wh.post(`/api/v1/lots/${q}/ship`, { customer: 'CUS-RJH', reference: 'DN-8' })).body.error.code).toBe(
      'LOT_NOT_RELEASED',
    );
  });

  it('lists lots with filters and raises expiry and stock alerts', async () => {
    const rel = (await rev.get(`/api/v1/inventory?status=released&item=${items.get('RM-PVC-001').id}`)).body;
    expect(rel.length).toBeGreaterThan(0);
    expect(rel.every((l: any) => l.status === 'released' && l.item.partNumber === 'RM-PVC-001')).toBe(true);
    const atQa = (await rev.get('/api/v1/inventory?location=WH1-QA-01')).body;
    expect(atQa.every((l: any) => l.balances.some((b: any) => b.location === 'WH1-QA-01'))).toBe(true);
    expect((await rev.get('/api/v1/inventory?status=lost')).status).toBe(400);
    const alerts = (await rev.get('/api/v1/inventory/alerts')).body;
    expect(
      alerts.some((a: any) => a.kind === 'lot_expiring' && a.item.partNumber === 'CP-DRP-001' && a.daysLeft === 25),
    ).toBe(true);
    expect(alerts.some((a: any) => a.kind === 'below_safety_stock' && a.item.partNumber === 'CP-NDL-001')).toBe(true);
    expect(alerts.some((a: any) => a.kind === 'lot_expired')).toBe(true);
  });

  it('requires auth and the right role; bad input writes nothing', async () => {
    const id = await lot('CP-LUER-001');
    expect((await new Client(t.url).get(`/api/v1/lots/${id}`)).status).toBe(401);
    expect((await new Client(t.url).get('/api/v1/inventory')).status).toBe(401);
    // an auditor sees no inventory outside the portal, and may never write
    expect((await auditor.get('/api/v1/inventory')).status).toBe(403);
    expect(
      (await auditor.post(`/api/v1/lots/${id}/move`, { from: 'WH1-RAW-01', to: 'WH2-FG-01', quantity: 1 })).status,
    ).toBe(403);
    expect((await op.post(`/api/v1/lots/${id}/ship`, { customer: 'CUS-RJH', reference: 'x' })).status).toBe(403);
    const before = await ledgerCount();
    for (const body of [
      { quantity: -1, workOrder: 'W' },
      { quantity: 1 },
      { quantity: 1, workOrder: 'W', extra: true },
    ]) {
      expect((await op.post(`/api/v1/lots/${id}/issue`, body)).status).toBe(400);
    }
    expect((await wh.post(`/api/v1/lots/${id}/move`, { from: 'WH1-RAW-01', to: 'WH1.RAW', quantity: 1 })).status).toBe(
      400,
    );
    expect(await ledgerCount()).toBe(before);
    expect((await wh.get('/api/v1/lots/nope')).status).toBe(404);
  });
});
