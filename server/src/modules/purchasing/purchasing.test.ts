import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, Client, DEMO_PASSWORD, startTestServer, type TestServer } from '../../../test/harness.ts';
import { withCheckDigit } from '../items/gtin.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';

// Master data, suppliers, purchasing and incoming inspection through HTTP on the real engine.
let t: TestServer;
let purchaser: Client, qa: Client, qaEng: Client, wh: Client, sup: Client, op: Client;
const items = new Map<string, string>();
const sign = { password: DEMO_PASSWORD };
const ledgerCount = () => t.services.ledger.count();

beforeAll(async () => {
  t = await startTestServer({ seed: true }); // the demo company, ERP part included (seed/erp.ts)
  [purchaser, qa, qaEng, wh, sup, op] = await Promise.all(
    ['purchaser', 'qa.manager', 'qa.engineer', 'warehouse', 'prod.supervisor', 'operator'].map((u) => as(t.url, u)),
  );
  for (const i of (await purchaser.get('/api/v1/items')).body) items.set(i.partNumber, i.id);
});
afterAll(async () => {
  await t?.stop();
});

const newItem = (pn: string, extra: Record<string, unknown> = {}) =>
  qaEng.post('/api/v1/items', {
    partNumber: pn,
    name: { zh: '测试件', en: 'Test part' },
    type: 'component',
    unit: 'pcs',
    control: 'lot',
    shelfLifeDays: 365,
    aql: 1,
    characteristics: [{ name: 'Length', unit: 'mm', lower: 9, upper: 11 }],
    ...extra,
  });
async function approvedPo(lines: Array<{ pn: string; quantity: number; unitPrice?: number }>, supplier = 'SUP-JINGMO') {
  const po = await purchaser.post('/api/v1/purchase-orders', {
    supplier,
    lines: lines.map((l) => ({
      itemId: items.get(l.pn),
      quantity: l.quantity,
      unitPrice: l.unitPrice ?? 0.1,
      dueDate: addDays(todayUtc(), 10),
    })),
  });
  expect(po.status).toBe(201);
  const issued = await purchaser.post(`/api/v1/purchase-orders/${po.body.id}/issue`);
  expect(issued.body.status).toBe('approved');
  return issued.body;
}

describe('master data', () => {
  it('creates items with a validated GTIN and unique part numbers; refuses bad input without writing', async () => {
    const before = await ledgerCount();
    const bad = await qaEng.post('/api/v1/items', {
      partNumber: 'FG-X1',
      name: { zh: '成品', en: 'Device' },
      type: 'finished',
      unit: 'pcs',
      control: 'serial',
      gtin: '06971234500019',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bad.body.error.message).toMatch(/gtin/);
    expect(await ledgerCount()).toBe(before);
    const good = await qaEng.post('/api/v1/items', {
      partNumber: 'FG-X1',
      name: { zh: '成品', en: 'Device' },
      type: 'finished',
      unit: 'pcs',
      control: 'serial',
      gtin: withCheckDigit('0697123450099'),
      warrantyMonths: 12,
      safetyStock: 5,
    });
    expect(good.status).toBe(201);
    expect(good.body).toMatchObject({ partNumber: 'FG-X1', revision: 'A', active: true });
    const dup = await newItem('fg-x1');
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('DUPLICATE');
    const rev = await qaEng.post(`/api/v1/items/${good.body.id}/revisions`, {
      version: good.body.version,
      reason: 'Warranty extended',
      changes: { warrantyMonths: 24 },
    });
    expect(rev.body).toMatchObject({ revision: 'B', warrantyMonths: 24, safetyStock: 5, gtin: good.body.gtin });
    const off = await qaEng.post(`/api/v1/items/${good.body.id}/active`, {
      active: false,
      reason: 'Replaced by FG-X2',
    });
    expect(off.body.active).toBe(false);
  });

  it('requires auth, the right role, and valid input', async () => {
    expect((await new Client(t.url).get('/api/v1/items')).status).toBe(401);
    expect((await new Client(t.url).post('/api/v1/purchase-orders', {})).status).toBe(401);
    expect((await op.post('/api/v1/items', {})).status).toBe(403);
    expect((await op.post('/api/v1/suppliers', { code: 'X', name: { zh: 'x', en: 'x' } })).status).toBe(403);
    expect((await wh.post('/api/v1/purchase-orders', { supplier: 'SUP-JINGMO', lines: [] })).status).toBe(403);
    const before = await ledgerCount();
    const r = await purchaser.post('/api/v1/purchase-orders', {
      supplier: 'SUP-JINGMO',
      lines: [{ itemId: items.get('CP-DRP-001'), quantity: -5, unitPrice: 1, dueDate: '2026-02-30' }],
    });
    expect(r.status).toBe(400);
    expect(await ledgerCount()).toBe(before);
  });
});

describe('suppliers', () => {
  it('changes qualification only with a QA e-signature and a reason', async () => {
    const c = await purchaser.post('/api/v1/suppliers', {
      code: 'SUP-NEW',
      name: { zh: '新供应商', en: 'New supplier' },
    });
    expect(c.body.status).toBe('pending');
    expect(
      (await purchaser.post('/api/v1/suppliers/SUP-NEW/qualification', { status: 'approved', reason: 'ok', ...sign }))
        .status,
    ).toBe(403);
    const wrong = await qa.post('/api/v1/suppliers/SUP-NEW/qualification', {
      status: 'approved',
      reason: 'Audit passed',
      password: 'not-the-password',
    });
    expect(wrong.status).toBe(401);
    expect((await qa.get('/api/v1/suppliers/SUP-NEW')).body.status).toBe('pending');
    const ok = await qa.post('/api/v1/suppliers/SUP-NEW/qualification', {
      status: 'approved',
      reason: 'Audit passed',
      ...sign,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('approved');
    expect(ok.body.statusHistory[0]).toMatchObject({ status: 'approved', reason: 'Audit passed', by: '李伟 Li Wei' });
    const sigs = await qa.get('/api/v1/records/supplier%3ASUP-NEW/signatures');
    expect(sigs.body[0]).toMatchObject({ meaning: 'approved', valid: true });
  });

  it('lists expiring and expired certificates', async () => {
    const alerts = (await purchaser.get('/api/v1/supplier-alerts')).body;
    expect(alerts.find((a: any) => a.supplier.code === 'SUP-HUASU')).toMatchObject({
      kind: 'certificate_expiring',
      daysLeft: 20,
    });
    expect(alerts.find((a: any) => a.supplier.code === 'SUP-ANPACK')).toMatchObject({ kind: 'certificate_expired' });
    expect(alerts.find((a: any) => a.supplier.code === 'SUP-JINGMO')).toBeUndefined();
  });
});

describe('purchase orders', () => {
  it('refuses lines to unqualified, disqualified or unlisted suppliers', async () => {
    const line = (pn: string) => [
      { itemId: items.get(pn), quantity: 10, unitPrice: 1, dueDate: addDays(todayUtc(), 5) },
    ];
    const before = await ledgerCount();
    const dis = await purchaser.post('/api/v1/purchase-orders', { supplier: 'SUP-ANPACK', lines: line('PK-EOP-001') });
    expect(dis.status).toBe(409);
    expect(dis.body.error.code).toBe('SUPPLIER_DISQUALIFIED');
    const unlisted = await purchaser.post('/api/v1/purchase-orders', {
      supplier: 'SUP-JINGMO',
      lines: line('CP-NDL-001'),
    });
    expect(unlisted.body.error.code).toBe('SUPPLIER_NOT_APPROVED_FOR_ITEM');
    await purchaser.post('/api/v1/suppliers', {
      code: 'SUP-PENDING',
      name: { zh: '待审供应商', en: 'Pending supplier' },
    });
    const pending = await purchaser.post('/api/v1/purchase-orders', {
      supplier: 'SUP-PENDING',
      lines: line('CP-NDL-001'),
    });
    expect(pending.body.error.code).toBe('SUPPLIER_NOT_APPROVED');
    expect(await ledgerCount()).toBe(before + 1); // only the new supplier
  });

  it('needs an approval signature above the threshold, and receives nothing before it', async () => {
    const po = await purchaser.post('/api/v1/purchase-orders', {
      supplier: 'SUP-JINGMO',
      lines: [{ itemId: items.get('CP-HSG-100'), quantity: 1000, unitPrice: 25, dueDate: addDays(todayUtc(), 20) }],
    });
    const issued = await purchaser.post(`/api/v1/purchase-orders/${po.body.id}/issue`);
    expect(issued.body).toMatchObject({
      status: 'pending_approval',
      total: 25_000,
      needsApproval: true,
      threshold: 10_000,
    });
    const early = await wh.post(`/api/v1/purchase-orders/${po.body.id}/receipts`, {
      lines: [{ lineNo: 1, quantity: 10, supplierLot: 'X1' }],
    });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('PO_NOT_APPROVED');
    expect(
      (await purchaser.post(`/api/v1/purchase-orders/${po.body.id}/approve`, { version: issued.body.version, ...sign }))
        .status,
    ).toBe(403);
    const ok = await sup.post(`/api/v1/purchase-orders/${po.body.id}/approve`, {
      version: issued.body.version,
      ...sign,
    });
    expect(ok.body.status).toBe('approved');
    expect(ok.body.approval).toMatchObject({ by: '周强 Zhou Qiang', automatic: false });
  });

  it('receives partially and more than once into quarantine, and refuses over-receipt', async () => {
    const po = await approvedPo([{ pn: 'CP-DRP-001', quantity: 1000 }]);
    const r1 = await wh.post(`/api/v1/purchase-orders/${po.id}/receipts`, {
      lines: [{ lineNo: 1, quantity: 600, supplierLot: 'S-1', mfgDate: addDays(todayUtc(), -10), coaRef: 'COA-1' }],
    });
    expect(r1.status).toBe(201);
    expect(r1.body.po).toMatchObject({ status: 'partially_received' });
    const lot = (await wh.get(`/api/v1/lots/${r1.body.lots[0]}`)).body;
    expect(lot).toMatchObject({
      status: 'quarantine',
      quantity: 600,
      supplierLot: 'S-1',
      coaRef: 'COA-1',
      expiryDate: addDays(addDays(todayUtc(), -10), 1825),
      balances: [{ location: 'WH1-QA-01', quantity: 600 }],
    });
    const before = await ledgerCount();
    const over = await wh.post(`/api/v1/purchase-orders/${po.id}/receipts`, {
      lines: [{ lineNo: 1, quantity: 401, supplierLot: 'S-2' }],
    });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'OVER_RECEIPT', details: { open: 400, requested: 401 } });
    expect(await ledgerCount()).toBe(before);
    // two receipts of 300 at once against 400 open: exactly one lands
    const both = await Promise.all(
      [1, 2].map((i) =>
        wh.post(`/api/v1/purchase-orders/${po.id}/receipts`, {
          lines: [{ lineNo: 1, quantity: 300, supplierLot: `S-P${i}` }],
        }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const final = (await wh.get(`/api/v1/purchase-orders/${po.id}`)).body;
    expect(final.lines[0].received).toBe(900);
    expect(final.receipts).toHaveLength(2);
    const last = await wh.post(`/api/v1/purchase-orders/${po.id}/receipts`, {
      lines: [{ lineNo: 1, quantity: 100, supplierLot: 'S-3' }],
    });
    expect(last.body.po.status).toBe('received');
  });

  it('receives nothing from a supplier disqualified after the order', async () => {
    await purchaser.post('/api/v1/suppliers', {
      code: 'SUP-LATE',
      name: { zh: '后取消供应商', en: 'Later disqualified' },
    });
    await qa.post('/api/v1/suppliers/SUP-LATE/qualification', { status: 'approved', reason: 'Audit passed', ...sign });
    expect((await qa.post('/api/v1/suppliers/SUP-LATE/items', { itemId: items.get('CP-DSP-100') })).status).toBe(201);
    const po = await approvedPo([{ pn: 'CP-DSP-100', quantity: 10 }], 'SUP-LATE');
    await qa.post('/api/v1/suppliers/SUP-LATE/qualification', {
      status: 'disqualified',
      reason: 'Counterfeit displays found',
      ...sign,
    });
    const r = await wh.post(`/api/v1/purchase-orders/${po.id}/receipts`, {
      lines: [{ lineNo: 1, quantity: 10, supplierLot: 'D1' }],
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('SUPPLIER_DISQUALIFIED');
  });

  it('refuses a receipt into a storage location', async () => {
    const po = await approvedPo([{ pn: 'CP-DRP-001', quantity: 10 }]);
    const r = await wh.post(`/api/v1/purchase-orders/${po.id}/receipts`, {
      location: 'WH1-RAW-01',
      lines: [{ lineNo: 1, quantity: 10, supplierLot: 'S' }],
    });
    expect(r.body.error.code).toBe('LOCATION_NOT_ALLOWED');
  });
});

describe('incoming inspection', () => {
  it('computes the ISO 2859-1 plan', async () => {
    expect((await wh.get('/api/v1/sampling-plan?lotSize=1200&aql=1')).body).toMatchObject({
      letter: 'J',
      sampleSize: 80,
      ac: 2,
      re: 3,
    });
    expect((await wh.get('/api/v1/sampling-plan?lotSize=1200&aql=0.65')).body).toMatchObject({
      letter: 'J',
      sampleSize: 80,
      ac: 1,
      re: 2,
    });
    expect((await wh.get('/api/v1/sampling-plan?lotSize=50&aql=1')).body).toMatchObject({
      letter: 'D',
      sampleSize: 13,
      ac: 0,
      re: 1,
    });
    expect((await wh.get('/api/v1/sampling-plan?lotSize=50&aql=0.3')).status).toBe(400);
  });

  async function receivedLot(pn: string, quantity: number) {
    const po = await approvedPo([{ pn, quantity }]);
    const r = await wh.post(`/api/v1/purchase-orders/${po.id}/receipts`, {
      lines: [{ lineNo: 1, quantity, supplierLot: `SL-${pn}` }],
    });
    return {
      lotId: r.body.lots[0] as string,
      inspection: (await wh.get(`/api/v1/inspections/${r.body.inspections[0]}`)).body,
    };
  }
  const values = (n: number, good: number, bad = 0, badValue = 0) =>
    Array.from({ length: n }, (_, i) => (i < bad ? badValue : good));

  it('refuses release without a result, releases on a pass by a QA signature, never by the inspector', async () => {
    const { lotId, inspection } = await receivedLot('CP-DRP-001', 1200);
    expect(inspection.plan).toMatchObject({ letter: 'J', sampleSize: 80, ac: 1, re: 2, aql: 0.65 });
    const early = await qaEng.post(`/api/v1/inspections/${inspection.id}/disposition`, {
      decision: 'release',
      ...sign,
    });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('INSPECTION_NOT_COMPLETE');
    const short = await wh.post(`/api/v1/inspections/${inspection.id}/results`, {
      measurements: [{ characteristic: 'Chamber length', values: [55, 55] }],
    });
    expect(short.status).toBe(400);
    const res = await qaEng.post(`/api/v1/inspections/${inspection.id}/results`, {
      measurements: [{ characteristic: 'Chamber length', values: values(80, 55, 1, 60) }],
    });
    expect(res.body).toMatchObject({ status: 'completed', result: 'pass', defectives: 1 });
    const own = await qaEng.post(`/api/v1/inspections/${inspection.id}/disposition`, { decision: 'release', ...sign });
    expect(own.body.error.code).toBe('SIGNER_IS_AUTHOR');
    expect(
      (await wh.post(`/api/v1/inspections/${inspection.id}/disposition`, { decision: 'release', ...sign })).status,
    ).toBe(403);
    const ok = await qa.post(`/api/v1/inspections/${inspection.id}/disposition`, { decision: 'release', ...sign });
    expect(ok.body).toMatchObject({ status: 'dispositioned', disposition: { decision: 'release' } });
    const lot = (await qa.get(`/api/v1/lots/${lotId}`)).body;
    expect(lot).toMatchObject({
      status: 'released',
      disposition: { decision: 'release', by: '李伟 Li Wei' },
      ledger: { valid: true },
    });
    expect(lot.signatures[0]).toMatchObject({ meaning: 'released', valid: true });
    expect(lot.signatures[0].manifestation).toMatch(/^李伟 Li Wei — Released — /);
    expect(lot.inspectionRecord).toMatchObject({ result: 'pass' });
    expect(lot.receipt.line).toMatchObject({ supplierLot: 'SL-CP-DRP-001' });
  });

  it('rejects a failed lot with an NC; conditional use needs the QA manager', async () => {
    const { lotId, inspection } = await receivedLot('CP-RCL-001', 1200);
    const res = await wh.post(`/api/v1/inspections/${inspection.id}/results`, {
      measurements: [{ characteristic: 'Closing force', values: values(80, 11, 3, 5) }],
    });
    expect(res.body).toMatchObject({ result: 'fail', defectives: 3 });
    const rel = await qaEng.post(`/api/v1/inspections/${inspection.id}/disposition`, { decision: 'release', ...sign });
    expect(rel.body.error.code).toBe('INSPECTION_FAILED');
    const cond = await qaEng.post(`/api/v1/inspections/${inspection.id}/disposition`, {
      decision: 'conditional',
      reason: 'Use for non-critical line',
      ...sign,
    });
    expect(cond.status).toBe(403);
    const rej = await qaEng.post(`/api/v1/inspections/${inspection.id}/disposition`, {
      decision: 'reject',
      reason: 'Closing force too low',
      ...sign,
    });
    expect(rej.body.disposition.ncId).toBeTruthy();
    const nc = (await qa.get(`/api/v1/nonconformances/${rej.body.disposition.ncId}`)).body;
    expect(nc).toMatchObject({ status: 'open', source: { lotId, inspectionId: inspection.id } });
    expect((await qa.get(`/api/v1/lots/${lotId}`)).body).toMatchObject({
      status: 'rejected',
      nonconformance: { status: 'open' },
    });

    const other = await receivedLot('CP-RCL-001', 1200);
    await wh.post(`/api/v1/inspections/${other.inspection.id}/results`, {
      measurements: [{ characteristic: 'Closing force', values: values(80, 11, 3, 5) }],
    });
    const ok = await qa.post(`/api/v1/inspections/${other.inspection.id}/disposition`, {
      decision: 'conditional',
      reason: 'Deviation DEV-12: usable on the 100 mL line',
      ...sign,
    });
    expect(ok.body.disposition.decision).toBe('conditional');
    expect((await qa.get(`/api/v1/lots/${other.lotId}`)).body).toMatchObject({
      status: 'released',
      disposition: { decision: 'conditional' },
    });
  });
});
