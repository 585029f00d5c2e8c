import type { Services } from '../server/src/platform/services.ts';
import type { SessionUser } from '../server/src/identity/sessionUser.ts';
import { addDays, todayUtc } from '../server/src/platform/dates.ts';
import type { LotDoc } from '../server/src/modules/inventory/lot.record.ts';
import { createMaster, customers } from '../server/src/modules/items/service.ts';
import { createSalesOrder, salesOrderAction, salesOrders } from '../server/src/modules/sales/service.ts';
import { actOnService, createServiceRecord } from '../server/src/modules/service/service.ts';
import { actOnRma, openRma } from '../server/src/modules/returns/service.ts';
import { actOnAudit, planAudit } from '../server/src/modules/audits/service.ts';
import { CreateAuditBody } from '../server/src/modules/audits/schema.ts';
import { sessionUsers } from './sessionUsers.ts';
import { DEMO_PASSWORD } from './demo-users.ts';

// The demo company's commercial and after-sales history (issue 13 item 8), through the same
// commands people use: hospitals and distributors as customers; sales orders of the released
// infusion-set lot and the released pumps, allocated, shipped with their UDIs and (most) delivered;
// a pump serviced under warranty (QMSR 820.35(b)) and exchanged, the service screened as a
// complaint (21 CFR 820.198), the faulty unit returned into quarantine, inspected and scrapped by
// signature. The internal audit (ISO 13485:2016 8.2.4, seedInternalAudit below), the production
// history's sales (sellLot), the mock recall (seed/recallDrill.ts) and the management review
// (seed/managementReview.ts) are part of the simulated past.
//
// Dates: the demo company's past (its masters a year ago, a receipt each month) is written under a
// simulated clock (seed/timeline.ts, seed/year.ts); seedHistory is the present, on the real clock.
// The ledger stamps every event with the time it is written, and a finished lot's
// manufacturing date is the day its labels are printed (production/labels.ts), so the lots sold
// here were made on the day of seeding. Shipments, deliveries and service are dated that day too
// (a shipment dated before its lot was made would be a false record); what is dated back is what a
// person enters as a past date: the orders' requested dates (some already past, so on-time
// delivery is a real figure).
const sign = { password: DEMO_PASSWORD };
const both = (zh: string, en: string) => `${zh}\n${en}`;

const CUSTOMERS = [
  {
    code: 'CUS-WCH',
    name: { zh: '四川大学华西医院', en: 'West China Hospital, Sichuan University' },
    country: 'CN',
    address: '成都市武侯区国学巷37号',
    contact: '设备物资部',
  },
  {
    code: 'CUS-PUMCH',
    name: { zh: '北京协和医院', en: 'Peking Union Medical College Hospital' },
    country: 'CN',
    address: '北京市东城区帅府园1号',
    contact: '医学工程处',
  },
  {
    code: 'CUS-SPH',
    name: { zh: '国药控股上海医疗器械有限公司', en: 'Sinopharm Holding Shanghai Medical Devices Co., Ltd.' },
    country: 'CN',
    address: '上海市普陀区澳门路 (经销商 / distributor)',
    contact: '采购部',
  },
  {
    code: 'CUS-JZT',
    name: { zh: '九州通医疗器械集团有限公司', en: 'Jointown Medical Devices Group Co., Ltd.' },
    country: 'CN',
    address: '武汉市汉阳区龙阳大道 (经销商 / distributor)',
    contact: '质量管理部',
  },
];

/** The hospitals and distributors that are not in the ERP seed, as customers (created early in the demo year: seed/index.ts). */
export async function seedCustomers(s: Services): Promise<void> {
  const purchaser = (await sessionUsers(s)).get('purchaser')!;
  await Promise.all(CUSTOMERS.map(({ code, ...c }) => createMaster(s, purchaser, 'customer', code, c)));
}

/**
 * A sales order of `quantity` from a released lot, on today's (simulated) date, through the order
 * desk's and the warehouse's commands: entered, confirmed, allocated, shipped with its UDIs and, unless
 * `deliver` is false, delivered. `requestedIn` is the requested date in days from today (a negative
 * one is shipped late: the on-time delivery KPI).
 */
export async function sellLot(
  s: Services,
  o: { customer: string; po: string; lotId: string; quantity: number; requestedIn: number; deliver?: boolean },
) {
  const users = await sessionUsers(s);
  const [purchaser, wh] = [users.get('purchaser')!, users.get('warehouse')!];
  const today = todayUtc();
  const lot = (await s.db.collection<LotDoc>('lots').findOne({ _id: o.lotId }))!;
  let so = await createSalesOrder(s, purchaser, {
    customer: o.customer,
    customerPo: o.po,
    lines: [{ itemId: lot.item.id, quantity: o.quantity, requestedDate: addDays(today, o.requestedIn) }],
  });
  so = await salesOrderAction(s, purchaser, so._id, 'confirm', {});
  so = await salesOrderAction(s, wh, so._id, 'allocate', {
    lineId: '1',
    picks: [{ lotId: lot._id, quantity: o.quantity }],
  });
  so = await salesOrderAction(s, wh, so._id, 'ship', { carrier: 'SF Express 顺丰速运', reference: `SF${o.po}` });
  if (o.deliver === false) return so;
  return salesOrderAction(s, purchaser, so._id, 'deliver', {
    shipmentId: so.shipments[0].id,
    deliveredOn: today,
    receivedBy: '器械科库房 / device store',
  });
}

export async function seedHistory(s: Services): Promise<number> {
  // the present's orders (the production history's lots were sold in the past)
  if (await salesOrders(s).countDocuments({ customerPo: '7300118' }, { limit: 1 })) return 0;
  const lots = s.db.collection<LotDoc>('lots');
  // the present's lot of infusion sets (the smaller lots of the production history are sold in the past)
  const sets = (
    await lots.find({ 'item.partNumber': 'FG-IFS-20', status: 'released', workOrderId: { $ne: null } }).toArray()
  ).find((l) => l.quantity >= 400);
  const pumps = await lots
    .find({ 'item.partNumber': 'FG-PMP-1', status: 'released', serial: { $ne: null } })
    .sort({ serial: 1 })
    .toArray();
  if (!sets || sets.quantity < 400 || pumps.length < 3) return 0; // not the demo company
  const users = await sessionUsers(s);
  const who = (n: string): SessionUser => {
    const u = users.get(n);
    if (!u) throw new Error(`seed: no user ${n}`);
    return u;
  };
  const [purchaser, wh, qaEng, qaMgr] = ['purchaser', 'warehouse', 'qa.engineer', 'qa.manager'].map(who);
  const today = todayUtc();

  // 1. customers: two more hospitals and two distributors (two hospitals are in the ERP seed), unless
  // created in the past (seed/index.ts)
  if (!(await customers(s).countDocuments({ _id: CUSTOMERS[0].code }, { limit: 1 }))) await seedCustomers(s);

  // 2. sales orders: entered and confirmed by the order desk, allocated, shipped and delivered by the warehouse
  // one released pump stays in stock (pumps[1]): sold one, exchanged one
  const [pumpA, , pumpC] = pumps;
  type Line = { lot: LotDoc; quantity: number; requestedIn: number };
  async function sell(customer: string, po: string, lines: Line[], o: { ship?: boolean; deliver?: boolean } = {}) {
    let so = await createSalesOrder(s, purchaser, {
      customer,
      customerPo: po,
      lines: lines.map((l) => ({
        itemId: l.lot.item.id,
        quantity: l.quantity,
        requestedDate: addDays(today, l.requestedIn),
      })),
    });
    so = await salesOrderAction(s, purchaser, so._id, 'confirm', {});
    for (const [i, l] of lines.entries())
      so = await salesOrderAction(s, wh, so._id, 'allocate', {
        lineId: String(i + 1),
        picks: [{ lotId: l.lot._id, quantity: l.quantity }],
      });
    if (o.ship === false) return so;
    so = await salesOrderAction(s, wh, so._id, 'ship', { carrier: 'SF Express 顺丰速运', reference: `SF${po}` });
    if (o.deliver === false) return so;
    return salesOrderAction(s, purchaser, so._id, 'deliver', {
      shipmentId: so.shipments[0].id,
      deliveredOn: today,
      receivedBy: '器械科库房 / device store',
    });
  }
  // requested dates: some already past when shipped (late), most ahead (on time)
  const sales = async () => {
    await sell('CUS-ZJU1', '7300118', [{ lot: sets, quantity: 80, requestedIn: -6 }]);
    await sell('CUS-RJH', 'RJH-2611-042', [
      { lot: sets, quantity: 40, requestedIn: 5 },
      { lot: pumpA, quantity: 1, requestedIn: 5 },
    ]);
    await sell('CUS-SPH', 'SPH-PO-88213', [{ lot: sets, quantity: 120, requestedIn: 10 }]);
    await sell('CUS-WCH', 'WCH-EQ-2611-7', [{ lot: sets, quantity: 30, requestedIn: -2 }]);
    await sell('CUS-JZT', 'JZT-5520931', [{ lot: sets, quantity: 60, requestedIn: 14 }], { deliver: false });
    await sell('CUS-PUMCH', 'PUMCH-0087', [{ lot: sets, quantity: 20, requestedIn: 21 }], { ship: false });
  };

  const afterSales = async () => {
    // 3. the pump at Ruijin fails its occlusion alarm test: serviced under warranty, exchanged, screened as a complaint
    let srv = await createServiceRecord(s, wh, {
      lotId: pumpA._id,
      serviceDate: today,
      technician: '王磊 / Wang Lei, field service engineer',
      performed: both(
        '现场检查:下游阻塞报警在 120 kPa 时未触发(规格 ≤ 80 kPa);压力传感器读数漂移。整机按保修更换。',
        'On site: the downstream occlusion alarm did not sound at 120 kPa (spec ≤ 80 kPa); the pressure sensor reading drifts. Unit exchanged under warranty.',
      ),
      testData: both(
        '阻塞报警压力 120 kPa(规格 ≤ 80 kPa)不合格;流量精度 1.8 %(规格 ±5 %)合格;漏电流 110 µA 合格。',
        'Occlusion alarm pressure 120 kPa (spec ≤ 80 kPa) FAIL; flow accuracy 1.8 % (spec ±5 %) pass; earth leakage 110 µA pass.',
      ),
    });
    srv = await actOnService(s, wh, srv._id, 'exchange', { replacementLotId: pumpC._id });
    srv = await actOnService(s, qaEng, srv._id, 'screen', {
      possibleComplaint: true,
      complaint: {
        complainant: {
          name: '上海交通大学医学院附属瑞金医院 器械科 陈静 / Chen Jing, Device dept., Ruijin Hospital',
          address: '上海市瑞金二路197号 / 197 Ruijin 2nd Road, Shanghai',
          phone: '+86 21 6437 0045',
        },
        nature: both(
          '输液泵下游阻塞报警未在规定压力内触发;维修工程师现场复现,未发生患者伤害。',
          'The pump’s downstream occlusion alarm did not sound within its specified pressure; reproduced by the service engineer on site, no patient harm.',
        ),
        country: 'CN',
        failedSpecifications: 'yes',
        usedForTreatmentOrDiagnosis: 'no',
        relationship: 'related',
        codes: { A: ['A0201'], E: ['E2403'], F: ['F26'] },
      },
    });
    await actOnService(s, qaEng, srv._id, 'complete', {
      summary: 'Faulty unit exchanged under warranty; the replacement passed its acceptance test on site.',
      ...sign,
    });

    // 4. the faulty pump comes back: into quarantine, inspected, scrapped by signature (not the inspector)
    let rma = await openRma(s, wh, {
      lotId: pumpA._id,
      customer: 'CUS-RJH',
      quantity: 1,
      customerReason: both(
        '保修更换后退回的故障泵(阻塞报警失效)。',
        'Faulty pump returned after its warranty exchange (occlusion alarm failure).',
      ),
    });
    rma = await actOnRma(s, wh, rma._id, 'receive', { location: 'WH1-QA-01' });
    rma = await actOnRma(s, qaEng, rma._id, 'inspect', {
      findings: 'Pressure sensor offset +38 kPa; sensor bonded to the PCB, not repairable economically.',
      conforming: false,
    });
    await actOnRma(s, qaMgr, rma._id, 'scrap', {
      reason: 'Non-conforming pressure sensor, repair not economical; scrapped after failure analysis.',
      ...sign,
    });
  };
  await sales();
  await afterSales();
  return 6;
}

/**
 * The internal audit of purchasing, incoming inspection and traceability (ISO 13485:2016 8.2.4),
 * run on its own day of the simulated past (seed/index.ts): a minor finding (its CAPA opened, still
 * open and ageing today, ISO 13485:2016 8.5.2) and an observation, the report approved by signature.
 */
export async function seedInternalAudit(s: Services): Promise<number> {
  const users = await sessionUsers(s);
  const who = (n: string): SessionUser => {
    const u = users.get(n);
    if (!u) throw new Error(`seed: no user ${n}`);
    return u;
  };
  const [purchaser, wh, qaEng, qaMgr, reviewer2] = [
    'purchaser',
    'warehouse',
    'qa.engineer',
    'qa.manager',
    'reviewer2',
  ].map(who);
  const today = todayUtc(); // the audit's (simulated) day
  let aud = await planAudit(
    s,
    qaMgr,
    CreateAuditBody.parse({
      kind: 'internal',
      title: 'Internal audit: purchasing, incoming inspection and traceability',
      scope: 'Purchasing from approved suppliers, incoming inspection and release, component lot traceability.',
      clauses: ['7.4.3', '7.5.1', '7.5.9'],
      processes: ['Purchasing', 'Incoming inspection and warehouse'],
      auditees: [purchaser.id, wh.id],
      auditors: [qaEng.id, reviewer2.id],
      lead: qaEng.id,
      start: addDays(today, -2),
      end: addDays(today, -1),
    }),
  );
  const check = (clause: string, result: string, evidence: string) =>
    actOnAudit(s, qaEng, aud._id, 'check', { clause, result, evidence });
  await check('7.4.3', 'nonconforming', 'Two of five sampled inspections do not name the sampling plan revision used.');
  await check('7.5.1', 'conforming', 'Receiving work instruction in use and current; quarantine locations labelled.');
  await check('7.5.9', 'conforming', 'Five component lots traced from the PO to the receipt, CoA and release.');
  await actOnAudit(s, qaEng, aud._id, 'add_finding', {
    clause: '7.4.3',
    grade: 'minor',
    statement: 'Incoming inspection records do not name the sampling plan revision used (2 of 5 receipts sampled).',
    evidence: 'Receipts of the last quarter sampled at the warehouse; two inspection records lack the plan revision.',
    capaOwner: wh.id,
    capaDue: addDays(today, 150),
  });
  await actOnAudit(s, qaEng, aud._id, 'add_finding', {
    clause: '7.5.1',
    grade: 'observation',
    statement: 'The clean-room gowning poster is an uncontrolled copy.',
    evidence: 'Poster at the CR1 entrance without document number or revision.',
  });
  aud = await actOnAudit(s, qaEng, aud._id, 'submit_report', {
    summary:
      'Purchasing and incoming inspection effective; one minor finding on inspection records (CAPA opened), one observation.',
  });
  await actOnAudit(s, qaMgr, aud._id, 'approve_report', sign);
  return 1;
}
