import type { Services } from '../server/src/platform/services.ts';
import { todayUtc } from '../server/src/platform/dates.ts';
import type { LotDoc } from '../server/src/modules/inventory/lot.record.ts';
import { runCommand } from '../server/src/records/command.ts';
import { streamOf } from '../server/src/records/registry.ts';
import { complaintAction, createComplaint } from '../server/src/modules/complaints/service.ts';
import { ncAction, openNc } from '../server/src/modules/nc/service.ts';
import { openDecision, performDecisionAction } from '../server/src/modules/reporting/service.ts';
import { FACTS, type Facts } from '../server/src/modules/reporting/facts.ts';
import { salesOrders } from '../server/src/modules/sales/service.ts';
import { sessionUsers } from './sessionUsers.ts';
import { DEMO_PASSWORD } from './demo-users.ts';
import { PRODUCTION_HISTORY } from './production.ts';
import { YEAR_DAYS, type YearEvent } from './year.ts';

// Quality events of the demo year on the production history's lots (issue 13 item 8), through the
// commands the present's quality loop uses (seed/quality.ts), each on its own simulated day, so the
// quality incident rate (NCs + complaints per 1,000 units shipped) has a monthly series: a hospital's
// complaint about one month's lot, decided not reportable with its signed rationale, answered and
// closed a few days later; and an NC from sets another hospital sent back from a later month's lot,
// the lot's remaining stock held and checked (two sets scrapped, the rest used as is), the hold
// lifted by QA. The days sit between the receipts' inspection waits (seed/year.ts).
const sign = { password: DEMO_PASSWORD };
const both = (zh: string, en: string) => `${zh}\n${en}`;
const facts = (on: Partial<Facts>): Facts => ({
  ...(Object.fromEntries(FACTS.map((f) => [f, false])) as Facts),
  ...on,
});

/** The months whose lots the complaint and the NC are about, and their days (days before today): each lot ships twelve days after its month's receipt. */
const COMPLAINED_MONTH = 5;
const COMPLAINT_DAY = YEAR_DAYS[COMPLAINED_MONTH] - 12 - 25;
const RETURNED_MONTH = 7;
const NC_DAY = YEAR_DAYS[RETURNED_MONTH] - 12 - 8;

const COMPLAINT = {
  complainant: {
    name: '浙江大学医学院附属第一医院 输液中心 护士长 王芳 / Wang Fang, head nurse, Infusion centre, First Affiliated Hospital, Zhejiang University',
    address: '浙江省杭州市庆春路 79 号 / 79 Qingchun Road, Hangzhou, Zhejiang',
    phone: '+86 571 8723 6114',
  },
  nature: both(
    '输液中心拆箱时发现一箱中 3 套输液器的滚轮夹推动较紧;未用于患者。',
    'On unpacking, the infusion centre found the roller clamp of 3 sets in one carton stiff to move; not used on a patient.',
  ),
  rationale: both(
    '无死亡、无伤害,也不是可能导致严重伤害或死亡的故障:滚轮夹可正常闭合和调节流量,未用于患者。依据《医疗器械不良事件监测和再评价管理办法》不属于应报告的不良事件。',
    'No death or injury, and no malfunction that could lead to serious injury or death: the clamps close and regulate the flow, and were not used on a patient. Not a reportable adverse event under the NMPA Measures.',
  ),
  correction: both('3 套样品取回,替换发货。', 'The 3 sets taken back and replaced.'),
  reply: both(
    '已书面答复医院:滚轮夹推动力在规格内(≤ 15 N),已替换。',
    'Written reply to the hospital: the clamp force is within specification (≤ 15 N); the sets replaced.',
  ),
  noInvestigation: both(
    '取回样品的滚轮夹推动力 11–13 N,符合规格(≤ 15 N),闭合和流量调节正常;非缺陷,无需调查。',
    'The returned sets’ clamp force is 11–13 N, within specification (≤ 15 N), closing and flow regulation normal: no defect, no investigation needed.',
  ),
};

const NC = {
  scrapped: 2,
  reference: 'RJH return note 0822',
  description: both(
    '医院退回 3 套输液器:吸塑包装封口有褶皱,其中 1 套封口不连续。该批次库存剩余数量全部检查封口。',
    'The hospital sent back 3 sets: the blister seal is creased, on one of them not continuous. The seals of the lot’s remaining stock all checked.',
  ),
  containment: both('该批次库存全部冻结,待检查和处置。', 'The lot’s remaining stock held until checked and disposed.'),
  scrap: both(
    '库存中 2 套封口不连续,无菌屏障不完整,报废。',
    '2 sets in stock with a broken seal: the sterile barrier is not intact, scrapped.',
  ),
  concession: both(
    '其余各套封口连续,封口剥离强度和染色渗透试验合格(抽样 4 套),无菌屏障完整;照常使用。',
    'The other sets’ seals are continuous: seal peel strength and dye penetration pass (4 sampled), the sterile barrier intact; used as is.',
  ),
  closure: both('受影响数量已全部处置。', 'All affected quantity disposed.'),
  releaseHold: both(
    '不合格品已处置:2 套报废,其余照常使用;解除冻结。',
    'NC disposed: 2 sets scrapped, the rest used as is; hold lifted.',
  ),
};

/** The lot shipped on a month's order of the production history (seed/production.ts PRODUCTION_HISTORY). */
async function shippedLot(s: Services, month: number): Promise<LotDoc> {
  const po = PRODUCTION_HISTORY.find((m) => m.month === month)!.sale.po;
  const so = (await salesOrders(s).findOne({ customerPo: po }))!;
  return (await s.db.collection<LotDoc>('lots').findOne({ _id: so.shipments[0].lines[0].lotId }))!;
}

const qa = async (s: Services) => {
  const users = await sessionUsers(s);
  return { eng: users.get('qa.engineer')!, mgr: users.get('qa.manager')! };
};

/** The hospital's complaint as dated events: received and decided not reportable, then answered and closed. */
function complaintEvents(s: Services): YearEvent[] {
  let id = '';
  const receive = async () => {
    const { eng } = await qa(s);
    const today = todayUtc();
    const cmp = await createComplaint(s, eng, {
      lot: (await shippedLot(s, COMPLAINED_MONTH)).lotNumber,
      receivedDate: today,
      awarenessDate: today,
      complainant: COMPLAINT.complainant,
      nature: COMPLAINT.nature,
      country: 'CN',
      failedSpecifications: 'no',
      usedForTreatmentOrDiagnosis: 'no',
      relationship: 'not_related',
      codes: { A: ['A0201'], E: ['E2403'], F: ['F26'] },
    });
    id = cmp._id;
    const decision = await openDecision(s, eng, {
      complaintId: id,
      jurisdiction: 'CN',
      awareAt: `${today}T01:00:00Z`,
      facts: facts({}),
    });
    await performDecisionAction(s, eng, decision._id, 'decide', {
      reportable: false,
      rationale: COMPLAINT.rationale,
      ...sign,
    });
  };
  const close = async () => {
    const { eng, mgr } = await qa(s);
    await complaintAction(s, eng, id, 'record_response', {
      correction: COMPLAINT.correction,
      reply: COMPLAINT.reply,
      replyDate: todayUtc(),
    });
    await complaintAction(s, eng, id, 'no_investigation', { reason: COMPLAINT.noInvestigation, ...sign });
    await complaintAction(s, mgr, id, 'close', sign);
  };
  return [
    { days: COMPLAINT_DAY, run: receive },
    { days: COMPLAINT_DAY - 4, run: close },
  ];
}

/**
 * The NC on the day the hospital's return arrives: opened on the lot's remaining stock (held), the
 * broken seals scrapped, the rest used as is by the QA manager, closed, and the hold lifted by signature.
 */
async function returnedSetsNc(s: Services): Promise<void> {
  const { eng, mgr } = await qa(s);
  const lot = await shippedLot(s, RETURNED_MONTH);
  const customer = PRODUCTION_HISTORY.find((m) => m.month === RETURNED_MONTH)!.sale.customer;
  let nc = await openNc(s, eng, {
    source: { kind: 'customer_return', customerCode: customer, reference: NC.reference },
    lots: [{ lotId: lot._id, quantity: lot.quantity }],
    description: NC.description,
    detectionPoint: 'customer',
    containment: NC.containment,
  });
  nc = await ncAction(s, eng, nc._id, 'dispose', {
    lotId: lot._id,
    decision: 'scrap',
    quantity: NC.scrapped,
    justification: NC.scrap,
    version: nc.ledgerVersion,
    ...sign,
  });
  nc = await ncAction(s, mgr, nc._id, 'use_as_is', {
    lotId: lot._id,
    quantity: lot.quantity - NC.scrapped,
    justification: NC.concession,
    version: nc.ledgerVersion,
    ...sign,
  });
  await ncAction(s, mgr, nc._id, 'close', { reason: NC.closure, version: nc.ledgerVersion, ...sign });
  await runCommand(s, mgr, streamOf('lot', lot._id), 'release_hold', { reason: NC.releaseHold, ...sign });
}

/** The year's quality events on the production history's lots, as dated events (seed/year.ts seedYear). */
export const pastQualityEvents = (s: Services): YearEvent[] => [
  ...complaintEvents(s),
  { days: NC_DAY, run: () => returnedSetsNc(s) },
];
