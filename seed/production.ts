import type { Services } from '../server/src/platform/services.ts';
import { sessionUsers } from './sessionUsers.ts';
import { addDays, todayUtc } from '../server/src/platform/dates.ts';
import { items } from '../server/src/modules/items/service.ts';
import { equipment, recordCalibration, registerEquipment } from '../server/src/modules/equipment/service.ts';
import { getWorkOrder, workOrderAction as act, workOrders } from '../server/src/modules/production/service.ts';
import { createWorkOrder } from '../server/src/modules/production/createWorkOrder.ts';
import { materialSuggestions } from '../server/src/modules/production/materials.ts';
import type { WorkOrderDoc } from '../server/src/modules/production/workorder.model.ts';
import { DEMO_PASSWORD } from './demo-users.ts';
import { stockUp, stockUsers } from './stock.ts';
import { decideOnLot, lots } from '../server/src/modules/inventory/service.ts';

// Production in the demo company: calibrated (and one overdue) equipment, component stock
// received and released, and work orders in every state, among them a released lot of
// infusion sets and released serialized pumps with complete DHRs, and pumps waiting for QA.
const sign = { password: DEMO_PASSWORD };

const EQUIPMENT = [
  {
    code: 'EQ-UVB-01',
    name: { zh: '切管及紫外粘接工作站', en: 'Tube cutting and UV bonding station' },
    type: 'Tube cutter / UV bonding station',
    typeLabel: { en: 'Tube cutter / UV bonding station', zh: '切管及紫外粘接工作站' },
    location: 'PROD-CR1',
    locationLabel: { en: 'Clean room 1', zh: '洁净室 1' },
    calibrationIntervalDays: 180,
    lastCalibratedOn: -40,
  },
  {
    code: 'EQ-LKT-01',
    name: { zh: '气密性检测仪 1 号', en: 'Leak tester no. 1' },
    type: 'Leak tester',
    typeLabel: { en: 'Leak tester', zh: '泄漏测试仪' },
    location: 'PROD-CR1',
    locationLabel: { en: 'Clean room 1', zh: '洁净室 1' },
    calibrationIntervalDays: 365,
    lastCalibratedOn: -100,
  },
  {
    code: 'EQ-LKT-02',
    name: { zh: '气密性检测仪 2 号', en: 'Leak tester no. 2' },
    type: 'Leak tester',
    typeLabel: { en: 'Leak tester', zh: '泄漏测试仪' },
    location: 'PROD-CR1',
    locationLabel: { en: 'Clean room 1', zh: '洁净室 1' },
    calibrationIntervalDays: 365,
    lastCalibratedOn: -370,
  },
  {
    code: 'EQ-EOS-01',
    name: { zh: '环氧乙烷灭菌柜', en: 'EO sterilizer' },
    type: 'EO sterilizer',
    typeLabel: { en: 'EO sterilizer', zh: '环氧乙烷灭菌柜' },
    location: 'PROD-STER',
    locationLabel: { en: 'Sterilization area', zh: '灭菌区' },
    calibrationIntervalDays: 365,
    lastCalibratedOn: -200,
  },
  {
    code: 'EQ-TQD-01',
    name: { zh: '电动扭力螺丝刀', en: 'Electric torque screwdriver' },
    type: 'Torque screwdriver',
    typeLabel: { en: 'Torque screwdriver', zh: '扭力螺丝刀' },
    location: 'PROD-ASM',
    locationLabel: { en: 'Assembly area', zh: '装配区' },
    calibrationIntervalDays: 180,
    lastCalibratedOn: -20,
  },
  {
    code: 'EQ-SFA-01',
    name: { zh: '安规及流量分析仪', en: 'Safety tester / flow analyzer' },
    type: 'Safety tester / flow analyzer',
    typeLabel: { en: 'Safety tester / flow analyzer', zh: '安规及流量分析仪' },
    location: 'PROD-ASM',
    locationLabel: { en: 'Assembly area', zh: '装配区' },
    calibrationIntervalDays: 365,
    lastCalibratedOn: -60,
  },
];

/** Days before today the equipment is registered (the simulated past: seed/index.ts). */
export const EQUIPMENT_REGISTERED = 364;

/**
 * The equipment's calibrations over the year, as days before today: every `calibrationIntervalDays`
 * back from its last calibration (`lastCalibratedOn`, days before today). Those before registration
 * are its history (the registration's last calibration date); those after are recorded on their
 * day (ISO 13485:2016 7.6), so each work order step finds its equipment calibrated at the time.
 */
export function calibrationDays(q: (typeof EQUIPMENT)[number]): { registeredWith: number; recorded: number[] } {
  const recorded: number[] = [];
  let d = -q.lastCalibratedOn;
  while (d < EQUIPMENT_REGISTERED) {
    recorded.unshift(d);
    d += q.calibrationIntervalDays;
  }
  return { registeredWith: d, recorded };
}

/** Registers the demo equipment on today's (simulated) date, each with its last calibration before that day. */
export async function registerDemoEquipment(s: Services): Promise<void> {
  const sup = (await sessionUsers(s)).get('prod.supervisor')!;
  const today = todayUtc();
  for (const q of EQUIPMENT) {
    const { lastCalibratedOn: _present, ...rest } = q;
    const offset = calibrationDays(q).registeredWith - EQUIPMENT_REGISTERED;
    await registerEquipment(s, sup, { ...rest, lastCalibratedOn: addDays(today, -offset) });
  }
}

/** The calibrations of the year (equipment code, days before today), for seed/year.ts to run on their days. */
export const EQUIPMENT_CALIBRATIONS = EQUIPMENT.flatMap((q) =>
  calibrationDays(q).recorded.map((days) => ({ code: q.code, days })),
);

/** Records one calibration of `code` on today's (simulated) date: passed, with its certificate number. */
export async function calibrateDemoEquipment(s: Services, code: string): Promise<void> {
  const qaEng = (await sessionUsers(s)).get('qa.engineer')!;
  const q = (await equipment(s).findOne({ code }))!;
  const today = todayUtc();
  await recordCalibration(s, qaEng, q._id, {
    date: today,
    result: 'pass',
    certificate: `CAL-${code.slice(3)}-${today.replace(/-/g, '')}`,
  });
}

/** In-spec readings per operation of the two demo devices, and the equipment each uses. */
const READINGS: Record<string, { values: Record<string, number>; equipment: string }> = {
  'FG-IFS-20/10': { values: { 'Tubing length': 1500.4, 'UV cure time': 10 }, equipment: 'EQ-UVB-01' },
  'FG-IFS-20/20': { values: { 'Test pressure': 50.1, 'Pressure decay': 0.18 }, equipment: 'EQ-LKT-01' },
  'FG-IFS-20/30': {
    values: { 'Exposure temperature': 54.5, 'Relative humidity': 62, 'Exposure time': 8 },
    equipment: 'EQ-EOS-01',
  },
  'FG-PMP-1/10': { values: { 'Screw torque': 0.61 }, equipment: 'EQ-TQD-01' },
  'FG-PMP-1/20': { values: { 'Earth leakage current': 118, 'Flow accuracy': 1.7 }, equipment: 'EQ-SFA-01' },
};

/** The shop floor's moves, each through the work order's command path (as the API runs them). */
async function shopFloor(s: Services) {
  const users = await sessionUsers(s);
  const who = (n: string) => users.get(n)!;
  const [sup, op, op2, qaEng, qaMgr, wh] = [
    'prod.supervisor',
    'operator',
    'operator2',
    'qa.engineer',
    'qa.manager',
    'warehouse',
  ].map(who);
  const byPn = new Map((await items(s).find({}).toArray()).map((i) => [i.partNumber, i._id]));
  const eq = new Map((await equipment(s).find({}).toArray()).map((q) => [q.code, q._id]));
  const plan = (pn: string, quantity: number, startIn: number) =>
    createWorkOrder(s, sup, {
      itemId: byPn.get(pn)!,
      plannedQuantity: quantity,
      plannedStart: addDays(todayUtc(), startIn),
      plannedEnd: addDays(todayUtc(), startIn + 3),
    });
  const version = async (w: WorkOrderDoc) => (await getWorkOrder(s, w._id)).ledgerVersion;
  const release = async (w: WorkOrderDoc) => act(s, sup, w._id, 'release', { version: await version(w), ...sign });
  async function issueAll(w: WorkOrderDoc, share = 1) {
    for (const line of await materialSuggestions(s, w._id)) {
      let open = Math.round(line.remaining * share * 1000) / 1000;
      for (const p of line.suggestions) {
        if (open <= 0) break;
        const take = Math.min(open, p.available);
        await act(s, wh, w._id, 'issue', { lotId: p.lotId, quantity: take, location: p.location });
        open = Math.round((open - take) * 1000) / 1000;
      }
    }
  }
  async function runSteps(w: WorkOrderDoc, upTo = Infinity, offSpec?: { seq: number; capture: string; value: number }) {
    for (const o of (await getWorkOrder(s, w._id)).operations.filter((x) => x.seq <= upTo)) {
      const r = READINGS[`${w.item.partNumber}/${o.seq}`];
      const values = offSpec?.seq === o.seq ? { ...r.values, [offSpec.capture]: offSpec.value } : r.values;
      await act(s, op, w._id, 'perform', { seq: o.seq, values, equipmentIds: [eq.get(r.equipment)!], ...sign });
      if (o.secondPersonVerify) await act(s, op2, w._id, 'verify', { seq: o.seq, ...sign });
    }
  }
  async function finish(w: WorkOrderDoc, good: number, scrapped = 0, reason?: string) {
    const cur = await getWorkOrder(s, w._id);
    await act(s, op, w._id, 'print_labels', { quantity: cur.plannedQuantity + 2 });
    await act(s, op, w._id, 'reconcile_labels', {
      used: cur.plannedQuantity,
      destroyed: 2,
      reason: 'Two labels of the set-up print destroyed.',
    });
    await act(s, sup, w._id, 'complete', {
      goodQuantity: good,
      scrappedQuantity: scrapped,
      ...(reason ? { reason } : {}),
    });
    const done = await getWorkOrder(s, w._id);
    await act(s, sup, w._id, 'reconcile_materials', {
      lines: done.bom.map((l) => ({ itemId: l.itemId, consumed: l.issued, scrapped: 0 })),
    });
  }
  const qaRelease = async (w: WorkOrderDoc) =>
    act(s, qaMgr, w._id, 'qa_release', { version: await version(w), ...sign });

  return {
    users: { sup, op, op2, qaEng, qaMgr, wh },
    byPn,
    eq,
    plan,
    version,
    release,
    issueAll,
    runSteps,
    finish,
    qaRelease,
  };
}

/**
 * The production history of the last six months (issue 13 item 8): one small lot of infusion sets
 * a month, twelve days after that month's receipt (`month` indexes seed/year.ts YEAR_DAYS), `quantity` the
 * order, `rejects` the sets failing the leak test (scrapped output, with its reason) and `damaged`
 * the drip chambers found cracked at the line (scrapped from their lot by the QA manager's signed
 * decision, ISO 13485:2016 8.3: the scrap-rate KPI's monthly series); `sale` is the order it ships
 * on, the day of its release, to a hospital or a distributor (seed/history.ts sellLot; the one
 * requested four days before the order was entered ships late: the on-time delivery KPI).
 */
export const PRODUCTION_HISTORY = [
  {
    month: 5,
    quantity: 40,
    rejects: 1,
    damaged: 3,
    sale: { customer: 'CUS-ZJU1', po: '7300087', quantity: 30, requestedIn: 7 },
  },
  {
    month: 6,
    quantity: 48,
    rejects: 2,
    damaged: 6,
    sale: { customer: 'CUS-SPH', po: 'SPH-PO-86120', quantity: 40, requestedIn: 5 },
  },
  {
    month: 7,
    quantity: 40,
    rejects: 1,
    damaged: 2,
    sale: { customer: 'CUS-RJH', po: 'RJH-2607-019', quantity: 30, requestedIn: -4 },
  },
  {
    month: 8,
    quantity: 56,
    rejects: 3,
    damaged: 5,
    sale: { customer: 'CUS-JZT', po: 'JZT-5510477', quantity: 50, requestedIn: 10 },
  },
  {
    month: 9,
    quantity: 48,
    rejects: 2,
    damaged: 4,
    sale: { customer: 'CUS-WCH', po: 'WCH-EQ-2609-3', quantity: 40, requestedIn: 3 },
  },
  {
    month: 10,
    quantity: 40,
    rejects: 1,
    damaged: 7,
    sale: { customer: 'CUS-SPH', po: 'SPH-PO-87544', quantity: 35, requestedIn: 6 },
  },
];

/** What the production history needs beyond the monthly receipts: tubing, labels, drip chambers and luer connectors, inspected and released by `inspectOn`. */
export async function stockForProductionHistory(
  s: Services,
  inspectOn: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<void> {
  const stock = await stockUsers(s);
  await stockUp(
    s,
    stock,
    { code: 'SUP-HUASU', name: 'Zhejiang Huasu Medical Materials Co., Ltd.' },
    [
      { pn: 'RM-PVC-001', quantity: 500 },
      { pn: 'LB-IFS-001', quantity: 320 },
    ],
    { inspectOn },
  );
  await stockUp(
    s,
    stock,
    { code: 'SUP-JINGMO', name: 'Ningbo Jingmo Plastics Co., Ltd.' },
    [
      { pn: 'CP-DRP-001', quantity: 320 },
      { pn: 'CP-LUER-001', quantity: 320 },
    ],
    { inspectOn },
  );
}

/**
 * One month of the production history, on today's (simulated) date: a lot of infusion sets planned,
 * released, issued FEFO, built and tested on calibrated equipment by trained operators, completed
 * with its leak-test rejects scrapped, its labels and materials reconciled and its DHR released by
 * QA; and the drip chambers damaged at the line scrapped from their lot by signature. Returns the
 * released lot.
 */
export async function produceHistoricalLot(
  s: Services,
  m: { quantity: number; rejects: number; damaged: number },
): Promise<string> {
  const { plan, release, issueAll, runSteps, finish, qaRelease, users } = await shopFloor(s);
  const w = await plan('FG-IFS-20', m.quantity, 0);
  await release(w);
  await issueAll(w);
  await runSteps(w);
  await finish(
    w,
    m.quantity - m.rejects,
    m.rejects,
    `${m.rejects} set(s) failed the leak test (pressure decay above 0.5 kPa) and were scrapped.`,
  );
  await qaRelease(w);
  const drip = (await lots(s).find({ 'item.partNumber': 'CP-DRP-001', status: 'released' }).toArray())
    .flatMap((l) => l.balances.map((b) => ({ lotId: l._id, ...b })))
    .find((b) => b.location === 'WH1-RAW-01' && b.quantity >= m.damaged);
  if (!drip) throw new Error('seed: no drip chambers left to scrap');
  await decideOnLot(s, users.qaMgr, drip.lotId, 'scrap', {
    quantity: m.damaged,
    location: drip.location,
    reason: `${m.damaged} drip chamber(s) found cracked at the line before assembly.`,
    ...sign,
  });
  return (await getWorkOrder(s, w._id)).output!.lotIds[0];
}

export async function seedProduction(s: Services): Promise<number> {
  // the present's orders (the history's orders are planned months ago)
  if (await workOrders(s).countDocuments({ plannedStart: { $gte: todayUtc() } }, { limit: 1 })) return 0;
  const users = await sessionUsers(s);
  const who = (n: string) => users.get(n)!;
  const [sup, op, qaEng, wh, purchaser] = ['prod.supervisor', 'operator', 'qa.engineer', 'warehouse', 'purchaser'].map(
    who,
  );
  const byPn = new Map((await items(s).find({}).toArray()).map((i) => [i.partNumber, i._id]));
  if (!byPn.get('FG-IFS-20') || !byPn.get('FG-PMP-1')) return 0; // not the demo company
  const today = todayUtc();
  // registered a year ago and calibrated since (seed/year.ts), or registered now when seeded alone
  if (!(await equipment(s).countDocuments({ code: EQUIPMENT[0].code })))
    for (const q of EQUIPMENT)
      await registerEquipment(s, sup, { ...q, lastCalibratedOn: addDays(today, q.lastCalibratedOn) });
  const { plan, release, issueAll, runSteps, finish, qaRelease, eq, version } = await shopFloor(s);

  const stock = { purchaser, supervisor: sup, warehouse: wh, qaEng };
  await stockUp(s, stock, { code: 'SUP-HUASU', name: 'Zhejiang Huasu Medical Materials Co., Ltd.' }, [
    { pn: 'PK-EOP-001', quantity: 1000 },
    { pn: 'LB-IFS-001', quantity: 1000 },
  ]);
  await stockUp(s, stock, { code: 'SUP-JINGMO', name: 'Ningbo Jingmo Plastics Co., Ltd.' }, [
    { pn: 'CP-RCL-001', quantity: 1000 },
    { pn: 'CP-LUER-001', quantity: 1000 },
    { pn: 'CP-HSG-100', quantity: 10 },
  ]);
  await stockUp(s, stock, { code: 'SUP-HONGDA', name: 'Jiangxi Hongda Needle Co., Ltd.' }, [
    { pn: 'CP-NDL-001', quantity: 1000 },
  ]);
  await stockUp(s, stock, { code: 'SUP-HENGTONG', name: 'Shenzhen Hengtong Electronics Co., Ltd.' }, [
    { pn: 'SA-PCB-100', quantity: 8, serialPrefix: 'HT-PCB-2611-' },
    { pn: 'CP-MTR-100', quantity: 10 },
    { pn: 'CP-BAT-100', quantity: 10 },
    { pn: 'CP-DSP-100', quantity: 10 },
  ]);

  // a released lot of infusion sets: one deviation on the way, closed by QA with its rationale
  const ifs = await plan('FG-IFS-20', 500, 0);
  await release(ifs);
  await issueAll(ifs);
  await runSteps(ifs, Infinity, { seq: 20, capture: 'Pressure decay', value: 0.62 });
  const dev = (await getWorkOrder(s, ifs._id)).deviations[0];
  await act(s, qaEng, ifs._id, 'close_deviation', {
    deviationId: dev.id,
    disposition: 'use_as_is',
    rationale:
      'Fixture seal replaced; the retest of 32 sets gave ≤ 0.2 kPa. The reading was a fixture leak, not a product defect.',
    ...sign,
  });
  await finish(ifs, 500);
  await qaRelease(ifs);

  // released serialized pumps, and two more waiting for QA's release
  const pumps = await plan('FG-PMP-1', 3, 0);
  await release(pumps);
  await issueAll(pumps);
  await runSteps(pumps);
  await finish(pumps, 3);
  await qaRelease(pumps);
  const waiting = await plan('FG-PMP-1', 2, 0);
  await release(waiting);
  await issueAll(waiting);
  await runSteps(waiting);
  await finish(waiting, 2);

  // on the floor: step 10 done, the leak test waiting for its verification, half the material issued
  const running = await plan('FG-IFS-20', 200, 0);
  await release(running);
  await issueAll(running, 0.5);
  await runSteps(running, 10);
  await act(s, op, running._id, 'perform', {
    seq: 20,
    values: READINGS['FG-IFS-20/20'].values,
    equipmentIds: [eq.get('EQ-LKT-01')!],
    ...sign,
  });

  // released to the floor, planned, and cancelled
  await release(await plan('FG-IFS-20', 300, 1));
  await plan('FG-IFS-20', 1000, 7);
  const cancelled = await plan('FG-PMP-1', 5, 10);
  await act(s, sup, cancelled._id, 'cancel', {
    version: await version(cancelled),
    reason: 'Customer order moved to next quarter.',
  });
  return 7;
}
