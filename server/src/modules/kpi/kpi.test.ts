import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { SYSTEM_ACTOR } from '../../platform/context.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import type { ItemDoc } from '../items/item.record.ts';
import { createLot } from '../inventory/service.ts';
import { openInspection } from '../inspection/service.ts';
import { orderOf, stockLot, type Order } from '../sales/sales.factory.ts';
import { ncOn } from '../nc/nc.factory.ts';
import { complaintBody } from '../complaints/complaints.factory.ts';
import { capaCast, newCapaBody } from '../capa/capa.factory.ts';
import { usersCollection } from '../../identity/userService.ts';
import { act as recallAct, recallBody, recallCase } from '../recall/recall.factory.ts';

// Issue 13 item 7, done-when "each KPI is computed from a constructed data set with a known
// answer". On the seeded company, a NEW product P is built through the API (and the factories the
// other modules' tests use for stock and receipts); every KPI filtered on P counts only what is
// built here, so each value below is worked out by hand from the data set:
//
//   lot A of P: 100 made (released)       issue 40 to production, scrap 10 (signed)
//   SO1: 25 of A, requested today+14, shipped today            → on time
//   SO2:  5 of A, requested yesterday, shipped today           → late
//   NC on A (1), complaint on A (1), CAPA from that NC (open, 0 days old)
//   3 receipts of P, 50 each, quarantine: R1 (SUP-A) pass + release, R2 (SUP-A) fail (not
//   dispositioned), R3 (SUP-B) pass + release
//
//   incident rate   = (1 NC + 1 complaint) / 30 shipped × 1000             = 66.67 ‰
//   scrap rate      = 10 scrapped / 40 issued                              = 25 %
//   turnover days   = on hand at end / (outflow / days)
//                   = (100 − 40 − 10 − 30 + 3×50) / ((40 + 30) / 30)       = 170 / (70/30) = 72.86 d
//   on-time         = 1 of 2 shipment lines                                = 50 %
//   CAPA ageing     = 1 open, in the 0–30 bucket
//   supplier score  = 2 pass / 3 inspected = 66.67 %; SUP-A 1/2 = 50 %, SUP-B 1/1 = 100 %
//   inspection wait = median and p90 (nearest rank) of R1's and R3's receipt→disposition hours
//   first-pass yield, recall timeliness: nothing of P → null with the reason
let t: TestServer;
let qa: Client, qaEng: Client, op: Client, wh: Client, buyer: Client, rev: Client;
const sign = { password: DEMO_PASSWORD };
const today = todayUtc();
const from = addDays(today, -29);
let P: string;
let partNumber: string;
let lotA: { id: string; lotNumber: string };
let inspections: string[] = [];

const ok = (r: { status: number; body: unknown }, status = 200) => {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body as any;
};

async function received(item: ItemDoc, supplier: string) {
  const lotId = randomUUID();
  const inspectionId = randomUUID();
  const lotNumber = `K-${lotId.slice(0, 8)}`;
  await createLot(
    t.services,
    lotId,
    'lot.received',
    {
      item: { id: item._id, partNumber: item.partNumber, name: item.name, unit: item.unit, control: item.control },
      lotNumber,
      kind: 'lot',
      serial: null,
      quantity: 50,
      location: 'WH1-QA-01',
      expiryDate: addDays(today, 300),
      inspectionId,
      source: 'test-factory',
    },
    SYSTEM_ACTOR,
  );
  await openInspection(t.services, SYSTEM_ACTOR, inspectionId, {
    lotIds: [lotId],
    lotNumber,
    item,
    quantity: 50,
    supplier: { code: supplier, name: { en: supplier, zh: supplier } },
    po: null,
    receiptId: null,
  });
  return inspectionId;
}
async function results(id: string, value: number) {
  const insp = ok(await qaEng.get(`/api/v1/inspections/${id}`));
  const measurements = insp.characteristics.map((x: { name: string }) => ({
    characteristic: x.name,
    values: Array(insp.plan.sampleSize).fill(value),
  }));
  ok(await qaEng.post(`/api/v1/inspections/${id}/results`, { measurements }));
}

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, qaEng, op, wh, buyer, rev] = await Promise.all(
    ['qa.manager', 'qa.engineer', 'operator', 'warehouse', 'purchaser', 'reviewer'].map((u) => as(t.url, u)),
  );
  partNumber = `KPI-${randomUUID().slice(0, 6).toUpperCase()}`;
  P = ok(
    await qaEng.post('/api/v1/items', {
      partNumber,
      name: { en: 'KPI test device', zh: 'KPI 测试器械' },
      type: 'finished',
      unit: 'pcs',
      control: 'lot',
      characteristics: [{ name: 'Length', unit: 'mm', lower: 10, upper: 20 }],
    }),
    201,
  ).id;

  lotA = await stockLot(t, wh, { partNumber, quantity: 100, expiryInDays: 300 });
  ok(await op.post(`/api/v1/lots/${lotA.id}/issue`, { quantity: 40, workOrder: 'WO-KPI' }));
  ok(await qa.post(`/api/v1/lots/${lotA.id}/scrap`, { quantity: 10, reason: 'Dropped in handling', ...sign }));

  const ship = async (o: Order, quantity: number) => {
    ok(
      await buyer.post(`/api/v1/sales-orders/${o.id}/allocate`, { lineId: '1', picks: [{ lotId: lotA.id, quantity }] }),
    );
    ok(await wh.post(`/api/v1/sales-orders/${o.id}/ship`, { carrier: 'SF Express', reference: `SF-${o.number}` }));
  };
  await ship(await orderOf(buyer, [{ itemId: P, quantity: 25 }]), 25); // requested today+14: on time
  const late = ok(
    await buyer.post('/api/v1/sales-orders', {
      customer: 'CUS-RJH',
      customerPo: 'PO-LATE',
      lines: [{ itemId: P, quantity: 5, requestedDate: addDays(today, -1) }],
    }),
    201,
  );
  await ship(ok(await buyer.post(`/api/v1/sales-orders/${late.id}/confirm`, {})) as Order, 5);

  const nc = await ncOn(qa, lotA.id, 5);
  ok(
    await qa.post('/api/v1/complaints', complaintBody(lotA.lotNumber, { receivedDate: today, awarenessDate: today })),
    201,
  );
  const k = await capaCast(t.url);
  ok(await k.owner.post('/api/v1/capas', newCapaBody(k, { source: { type: 'nc', id: nc.id } })), 201);

  const item = (await t.services.db.collection<ItemDoc>('items').findOne({ _id: P }))!;
  inspections = [await received(item, 'SUP-A'), await received(item, 'SUP-A'), await received(item, 'SUP-B')];
  await results(inspections[0], 15);
  await results(inspections[1], 25);
  await results(inspections[2], 15);
  for (const id of [inspections[0], inspections[2]])
    ok(await qa.post(`/api/v1/inspections/${id}/disposition`, { decision: 'release', ...sign }));
}, 240_000);
afterAll(async () => {
  await t?.stop();
});

const filters = () => `from=${from}&to=${today}&productId=${P}`;
async function kpis(c: Client = qa) {
  const list = ok(await c.get(`/api/v1/kpis?${filters()}`)) as Array<Record<string, any>>;
  return Object.fromEntries(list.map((k) => [k.id, k])) as Record<string, Record<string, any>>;
}

describe('KPI dashboard on a constructed data set', () => {
  it('each KPI has its hand-computed value', async () => {
    const k = await kpis();
    expect(Object.keys(k)).toHaveLength(11);
    for (const x of Object.values(k)) {
      expect(x.name.en && x.name.zh && x.definition.en && x.definition.zh).toBeTruthy();
    }
    expect(k.incident_rate).toMatchObject({ value: 66.67, extra: { ncs: 1, complaints: 1, unitsShipped: 30 } });
    expect(k.scrap_rate).toMatchObject({ value: 25, extra: { scrapped: 10, issued: 40 } });
    expect(k.inventory_turnover).toMatchObject({ value: 72.86, extra: { onHandAtEnd: 170, outflow: 70, days: 30 } });
    expect(k.on_time_delivery).toMatchObject({ value: 50, extra: { lines: 2, onTime: 1 } });
    expect(k.capa_ageing).toMatchObject({ value: 1, extra: { '0-30': 1, '31-60': 0, '61-90': 0, '>90': 0 } });
    expect(k.supplier_scorecard.value).toBe(66.67);
    expect(k.supplier_scorecard.series).toEqual([
      { label: 'SUP-A', name: { en: 'SUP-A', zh: 'SUP-A' }, value: 50 },
      { label: 'SUP-B', name: { en: 'SUP-B', zh: 'SUP-B' }, value: 100 },
    ]);
    expect(k.first_pass_yield).toMatchObject({ value: null, note: { en: 'no routing step performed in the period' } });
    expect(k.recall_timeliness).toMatchObject({ value: null, note: { en: 'no recalls in the period' } });

    // incoming inspection waiting time: median and p90 of the two dispositioned receipts' hours
    const waits = await Promise.all(
      [inspections[0], inspections[2]].map(async (id) => {
        const i = ok(await qa.get(`/api/v1/inspections/${id}`));
        return Math.round(((Date.parse(i.disposition.at) - Date.parse(i.createdAt)) / 3_600_000) * 100) / 100;
      }),
    );
    const median = Math.round(((waits[0] + waits[1]) / 2) * 100) / 100;
    expect(k.inspection_wait).toMatchObject({ value: median, extra: { median, p90: Math.max(...waits) } });

    // trace speed: a forward trace of the product's lot issued most recently (lot A), in ms
    expect(k.trace_speed.value).toBeGreaterThanOrEqual(0);
    expect(k.trace_speed.series[0].label).toBe(lotA.lotNumber);

    // audits are another module's: "no audits" until it holds one in the period
    const audits = await t.services.db.collection('audits').countDocuments({ state: 'closed' });
    if (audits === 0) expect(k.audit_pass_rate).toMatchObject({ value: null, note: { en: 'no audits' } });

    // the monthly series: everything of P happened this month
    expect(k.scrap_rate.series.find((p: { label: string }) => p.label === today.slice(0, 7)).value).toBe(25);
  });

  it('has a year of monthly history on the demo company (issue 13 item 8)', async () => {
    // the demo's receipts are spread over the last year (seed/year.ts, a simulated clock): the
    // incoming-inspection waiting time has a value in at least 10 of the last 12 months
    const list = ok(await qa.get(`/api/v1/kpis?from=${addDays(today, -364)}&to=${today}`)) as Array<
      Record<string, any>
    >;
    const wait = list.find((x) => x.id === 'inspection_wait')!;
    const months = (wait.series as Array<{ label: string; value: number | null }>).filter((p) => p.value !== null);
    expect(months.length).toBeGreaterThanOrEqual(10);
    // a trend, not a flat line: the receipts waited one to six days for QA (seed/year.ts)
    expect(new Set(months.map((p) => Math.round(p.value! / 24))).size).toBeGreaterThanOrEqual(3);
    expect(Math.max(...months.map((p) => p.value!))).toBeGreaterThanOrEqual(4 * 24);
    // the internal audit of the summer (closed, a minor finding only: passed) and its CAPA, open and ageing over 90 days
    const k = Object.fromEntries(list.map((x) => [x.id, x]));
    expect(k.audit_pass_rate).toMatchObject({ value: 100 });
    expect(k.audit_pass_rate.extra.audits).toBeGreaterThanOrEqual(1);
    expect(k.capa_ageing.extra['>90']).toBeGreaterThanOrEqual(1);
  });

  it('drills down to the records counted, by month or by bar, with links', async () => {
    const scrap = ok(await qa.get(`/api/v1/kpis/scrap_rate/records?${filters()}&month=${today.slice(0, 7)}`));
    expect(scrap.map((r: any) => [r.type, r.quantity, r.link])).toEqual(
      expect.arrayContaining([
        ['lot', 40, `/lots/${lotA.id}`],
        ['lot', 10, `/lots/${lotA.id}`],
      ]),
    );
    expect(scrap).toHaveLength(2);
    const incidents = ok(await qa.get(`/api/v1/kpis/incident_rate/records?${filters()}`));
    expect(incidents.map((r: any) => r.type).sort()).toEqual(['complaint', 'lot', 'lot', 'nc']);
    const supA = ok(await qa.get(`/api/v1/kpis/supplier_scorecard/records?${filters()}&label=SUP-A`));
    expect(supA.map((r: any) => r.id).sort()).toEqual([inspections[0], inspections[1]].sort());
    const capa = ok(await qa.get(`/api/v1/kpis/capa_ageing/records?${filters()}&label=0-30`));
    expect(capa).toHaveLength(1);
    expect(capa[0].link).toMatch(/^\/capas\//);
  });

  it('exports the drill-down to Excel through the list-export registry', async () => {
    const r = await qa.bytes(`/api/v1/lists/kpi-records/export.xlsx?kpi=on_time_delivery&${filters()}`);
    expect(r.status).toBe(200);
    expect(r.type).toContain('spreadsheetml');
    expect(r.body.subarray(0, 2).toString()).toBe('PK');
    const bad = await qa.get(`/api/v1/lists/kpi-records/export.xlsx?kpi=on_time_delivery&from=${today}&to=${from}`);
    expect(bad.status).toBe(400);
  });

  it("gives each role's home page its own KPIs, valued as the dashboard values them", async () => {
    const all = await kpis();
    const home = async (c: Client) => ok(await c.get(`/api/v1/kpis/home?${filters()}`)) as Array<Record<string, any>>;
    const mine = await home(qa);
    expect(mine.map((k) => k.id)).toEqual(['incident_rate', 'capa_ageing', 'audit_pass_rate', 'recall_timeliness']);
    expect(mine[0]).toMatchObject({ value: all.incident_rate.value, extra: all.incident_rate.extra });
    expect(mine[1].value).toBe(all.capa_ageing.value);
    const eng = await home(qaEng);
    expect(eng.map((k) => k.id)).toEqual(['inspection_wait', 'supplier_scorecard', 'incident_rate', 'capa_ageing']);
    expect(eng[1].value).toBe(66.67);
    const sup = await home(await as(t.url, 'prod.supervisor'));
    expect(sup.map((k) => k.id)).toEqual(['first_pass_yield', 'scrap_rate', 'on_time_delivery', 'inventory_turnover']);
    expect(sup[1]).toMatchObject({ value: 25, extra: { scrapped: 10, issued: 40 } });
    // an operator has no dashboard (no kpi.read); bad filters are refused as on /kpis
    expect((await op.get(`/api/v1/kpis/home?${filters()}`)).status).toBe(403);
    expect((await qa.get(`/api/v1/kpis/home?from=${today}&to=${from}`)).status).toBe(400);
    expect((await qa.get(`/api/v1/kpis/home?${filters()}&productId[$ne]=x`)).status).toBe(400);
  });

  it('refuses bad filters and readers without the permission', async () => {
    const bad = [
      `from=${today}&to=${from}`, // from after to
      `from=2020-01-01&to=2026-12-01`, // longer than 1096 days
      `from=2026-02-30&to=2026-03-01`, // not a calendar date
      `from=${from}`, // no "to"
      `from=${from}&to=${today}&productId[$ne]=x`, // an operator in a key
      `from=${from}&to=${today}&extra=1`, // an unknown filter
      `from=0000-01-01&to=0000-01-01`, // a year no record can have (was a 500, found by schemathesis)
      `from=2100-01-01&to=2100-01-02`,
    ];
    for (const q of bad) expect((await qa.get(`/api/v1/kpis?${q}`)).status, q).toBe(400);
    expect((await qa.get(`/api/v1/kpis/nope/records?${filters()}`)).status).toBe(400);
    expect((await qa.get(`/api/v1/kpis/scrap_rate/records?${filters()}&month=2026-13`)).status).toBe(400);
    expect((await op.get(`/api/v1/kpis?${filters()}`)).status).toBe(403);
    expect((await rev.get(`/api/v1/kpis/scrap_rate/records?${filters()}`)).status).toBe(403);
  });
});

const done = (r: { status: number; body: unknown }) => {
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body as any;
};

describe('audit pass rate on constructed audits', () => {
  // ISO 13485:2016 8.2.4: audits closed by the approval signature; "passed" = no major finding.
  // Three audits built here: A1 clean, A2 with a minor finding, A3 with a major one → 2 of 3 pass,
  // added to whatever the demo company already closed in the period (read before, from the KPI).
  it('counts audits closed without a major finding over audits closed', async () => {
    const before = await kpis();
    const base = before.audit_pass_rate.extra.audits ?? 0;
    const basePassed =
      base === 0
        ? 0
        : (done(await qa.get(`/api/v1/kpis/audit_pass_rate/records?${filters()}`)) as Array<{ detail: string }>).filter(
            (r) => r.detail === 'passed',
          ).length;
    const idOf = async (u: string) => (await usersCollection(t.services).findOne({ username: u }))!._id;
    const [eng, sup] = [await idOf('qa.engineer'), await idOf('prod.supervisor')];
    const year = Number(today.slice(0, 4));
    const programme = done(
      await qaEng.post('/api/v1/audit-programmes', {
        title: 'KPI audit programme',
        fromYear: year,
        toYear: year + 1,
        entries: [{ year, clauses: ['7.5.1', '8.3.1'], processes: ['Production'] }],
      }),
    ).id;
    const audit = async (finding: 'none' | 'minor' | 'major') => {
      const a = done(
        await qaEng.post('/api/v1/audits', {
          kind: 'internal',
          programmeId: programme,
          title: `KPI audit (${finding})`,
          scope: 'Assembly line 1',
          clauses: ['7.5.1', '8.3.1'],
          processes: ['Production'],
          auditees: [sup],
          auditors: [eng],
          lead: eng,
          start: today,
          end: addDays(today, 1),
        }),
      ).id as string;
      const act = (c: Client, action: string, body: object) => c.post(`/api/v1/audits/${a}/actions/${action}`, body);
      for (const clause of ['7.5.1', '8.3.1'])
        done(
          await act(qaEng, 'check', {
            clause,
            result: finding !== 'none' && clause === '8.3.1' ? 'nonconforming' : 'conforming',
            evidence: 'Sampled 5 records',
          }),
        );
      if (finding !== 'none')
        done(
          await act(qaEng, 'add_finding', {
            clause: '8.3.1',
            grade: finding,
            statement: 'NC records incomplete',
            evidence: 'NC sample',
            capaOwner: sup,
            capaDue: addDays(today, 30),
          }),
        );
      done(await act(qaEng, 'submit_report', { summary: `Finding: ${finding}` }));
      expect(done(await act(qa, 'approve_report', sign)).state).toBe('closed');
    };
    await audit('none');
    await audit('minor');
    await audit('major');
    const k = await kpis();
    const expected = Math.round(((basePassed + 2) / (base + 3)) * 10000) / 100;
    expect(k.audit_pass_rate).toMatchObject({ value: expected, extra: { audits: base + 3 } });
    if (base === 0) expect(k.audit_pass_rate.value).toBe(66.67);
  });
});

describe('first-pass yield per routing step on constructed work orders', () => {
  // ISO 13485:2016 8.2.6 (monitoring and measurement of product at the stages planned) and 8.2.5:
  // a step passes first time when its recorded values are within the DMR limits, i.e. it opened no
  // deviation. Four work orders of the demo infusion set FG-IFS-20 (routing 10 cut/bond, limits
  // tubing 1495–1505 mm; 20 leak test, decay ≤ 0.5 kPa): WO1 step 10 at 1510 mm (a deviation),
  // the others in limits; step 20 in limits on all four → step 10: 3 of 4, step 20: 4 of 4, added
  // to what the demo company already performed in the period (read first from the drill-down).
  it('is the steps without a deviation over the steps performed, per step', async () => {
    const sup = await as(t.url, 'prod.supervisor');
    const ifs = (done(await sup.get('/api/v1/items')) as Array<{ id: string; partNumber: string }>).find(
      (i) => i.partNumber === 'FG-IFS-20',
    )!.id;
    const q = `from=${from}&to=${today}&productId=${ifs}`;
    const baseOf = async (label: string) => {
      const rs = done(await qa.get(`/api/v1/kpis/first_pass_yield/records?${q}${label}`)) as Array<{
        quantity: number;
      }>;
      return { n: rs.length, pass: rs.filter((r) => r.quantity === 1).length };
    };
    const [b10, b20, all] = [await baseOf('&label=10'), await baseOf('&label=20'), await baseOf('')];
    const equipment = async (type: string) =>
      done(
        await sup.post('/api/v1/equipment', {
          code: `K-${randomUUID().slice(0, 6).toUpperCase()}`,
          name: { zh: `设备 ${type}`, en: `Equipment ${type}` },
          type,
          location: 'PROD-1',
          calibrationIntervalDays: 365,
          lastCalibratedOn: addDays(today, -10),
        }),
      ).id as string;
    const cutter = await equipment('Tube cutter / UV bonding station');
    const leak = await equipment('Leak tester');
    const wos: string[] = [];
    for (const length of [1510, 1500, 1500, 1500]) {
      const w = done(
        await sup.post('/api/v1/workorders', {
          itemId: ifs,
          plannedQuantity: 10,
          plannedStart: today,
          plannedEnd: addDays(today, 5),
        }),
      );
      done(await sup.post(`/api/v1/workorders/${w.id}/actions/release`, { version: w.ledgerVersion, ...sign }));
      const s10 = done(
        await op.post(`/api/v1/workorders/${w.id}/steps/10/perform`, {
          values: { 'Tubing length': length, 'UV cure time': 10 },
          equipmentIds: [cutter],
          ...sign,
        }),
      );
      expect(s10.deviations.length).toBe(length === 1510 ? 1 : 0);
      const s20 = done(
        await op.post(`/api/v1/workorders/${w.id}/steps/20/perform`, {
          values: { 'Test pressure': 50, 'Pressure decay': 0.1 },
          equipmentIds: [leak],
          ...sign,
        }),
      );
      expect(s20.deviations.length).toBe(length === 1510 ? 1 : 0);
      wos.push(w.id);
    }
    const pct = (pass: number, n: number) => Math.round((pass / n) * 10000) / 100;
    const k = (done(await qa.get(`/api/v1/kpis?${q}`)) as Array<Record<string, any>>).find(
      (x) => x.id === 'first_pass_yield',
    )!;
    const series = Object.fromEntries(k.series.map((p: { label: string; value: number }) => [p.label, p.value]));
    expect(series['10']).toBe(pct(b10.pass + 3, b10.n + 4));
    expect(series['20']).toBe(pct(b20.pass + 4, b20.n + 4));
    if (b10.n === 0) expect(series['10']).toBe(75);
    if (b20.n === 0) expect(series['20']).toBe(100);
    expect(k.value).toBe(pct(all.pass + 7, all.n + 8)); // over every step (the demo's step 30 too)
    // the drill-down of step 10 lists exactly our four orders' step, WO1's as the deviation
    const mine = (
      done(await qa.get(`/api/v1/kpis/first_pass_yield/records?${q}&label=10`)) as Array<{
        id: string;
        quantity: number;
      }>
    ).filter((r) => wos.includes(r.id));
    expect(mine.map((r) => [wos.indexOf(r.id), r.quantity]).sort()).toEqual([
      [0, 0],
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
  }, 120_000);
});

describe('recall timeliness on constructed recalls', () => {
  // Issue 13 item 7: days from initiation to 100% of the shipped units accounted for, and the
  // regulatory clocks met. The recall factory's field population: pumps U1, U2 (CUS-RJH), U3
  // (CUS-ZJU1) shipped, U4 in stock (not in the field). Both recalls of FG-PMP-1 initiated in
  // the period; the demo's recalls of the product (if any) are read first and added.
  //
  //   R1 initiated today−8, level II, US+EU+CN: U1 returned −7, U2 corrected −5, U3 "not found" −2,
  //      then U3 reported destroyed on −4 → 100% on today−4 → 4 days (not 6: "not found" is no
  //      accounting, 21 CFR 7.59). Clocks: FDA 806 due +10 US working days, reported −6 → met
  //      (21 CFR 806.10(b)); NMPA level II due +3 calendar days = −5, reported −3 → late
  //      (召回管理办法 第十六条); EU FSCA due on initiation, never reported → overdue. 1 met of 3.
  //   R2 initiated today, level III, CN only: U1 returned today → 1 of 3 units: not accounted
  //      (days null, not in the mean); NMPA III due today+7, not reported → running, not judged.
  it('is the days to 100% accounted for, and the clocks met of those judged', async () => {
    const pump = (done(await qa.get('/api/v1/items')) as Array<{ id: string; partNumber: string }>).find(
      (i) => i.partNumber === 'FG-PMP-1',
    )!.id;
    const q = `from=${from}&to=${today}&productId=${pump}`;
    const read = async () =>
      (done(await qa.get(`/api/v1/kpis?${q}`)) as Array<Record<string, any>>).find(
        (x) => x.id === 'recall_timeliness',
      )!;
    const before = await read();
    const records = async () =>
      done(await qa.get(`/api/v1/kpis/recall_timeliness/records?${q}`)) as Array<{
        id: string;
        quantity: number | null;
        detail: string;
      }>;
    const baseDays = (await records()).map((r) => r.quantity).filter((x): x is number => x !== null);
    const k = await recallCase(t);
    const [U1, U2, U3] = k.U;
    const start = addDays(today, -8);
    const r1 = done(await k.eng.post('/api/v1/recalls', recallBody(k, { initiatedOn: start })));
    done(await recallAct(k.qa, r1.id, 'approve', sign));
    const dispose = (id: string, lotId: string, disposition: string, days: number) =>
      recallAct(k.eng, id, 'disposition', { lotId, disposition, date: addDays(today, days) }).then(done);
    await dispose(r1.id, U1, 'returned', -7);
    await dispose(r1.id, U2, 'corrected', -5);
    await dispose(r1.id, U3, 'not_found', -2);
    const last = await dispose(r1.id, U3, 'destroyed', -4);
    expect(last.effectiveness).toMatchObject({ total: 3, accounted: 3, completeOn: addDays(today, -4) });
    const report = (clock: string, days: number) =>
      recallAct(k.eng, r1.id, 'report', { clock, date: addDays(today, days), reference: `RPT-${clock}` }).then(done);
    await report('FDA_806', -6);
    const reported = await report('NMPA_RECALL_II', -3);
    expect(
      Object.fromEntries(reported.clocks.map((c: { code: string; status: string }) => [c.code, c.status])),
    ).toEqual({ FDA_806: 'met', EU_FSCA: 'overdue', NMPA_RECALL_II: 'late' });

    const r2 = done(
      await k.eng.post('/api/v1/recalls', recallBody(k, { level: 'III', jurisdictions: ['CN'], initiatedOn: today })),
    );
    done(await recallAct(k.qa, r2.id, 'approve', sign));
    await dispose(r2.id, U1, 'returned', 0);

    const after = await read();
    const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
    expect(after.value).toBe(mean([...baseDays, 4]));
    if (!baseDays.length) expect(after.value).toBe(4);
    expect(after.extra).toMatchObject({
      recalls: before.extra.recalls + 2,
      accounted: before.extra.accounted + 1,
      clocksMet: before.extra.clocksMet + 1,
      clocksJudged: before.extra.clocksJudged + 3,
    });
    const listed = await records();
    const rec = (id: string) => listed.find((r) => r.id === id);
    expect(rec(r1.id)).toMatchObject({ quantity: 4, detail: '100% accounted in 4 day(s)' });
    expect(rec(r2.id)).toMatchObject({ quantity: null, detail: '2 unit(s) not accounted for' });
  }, 180_000);
});
