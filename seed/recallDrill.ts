import type { Services } from '../server/src/platform/services.ts';
import { todayUtc } from '../server/src/platform/dates.ts';
import type { LotDoc } from '../server/src/modules/inventory/lot.record.ts';
import { actOnRecall, getRecall, openRecall } from '../server/src/modules/recall/service.ts';
import { CreateRecallBody } from '../server/src/modules/recall/schema.ts';
import { openQuantity } from '../server/src/modules/recall/units.ts';
import { sessionUsers } from './sessionUsers.ts';
import { DEMO_PASSWORD } from './demo-users.ts';
import { YEAR_DAYS, type YearEvent } from './year.ts';

// The mock recall of the demo year (issue 13 item 8; 21 CFR 806, NMPA 召回 level III): run two days
// after the production history's month-9 lot shipped, from the forward trace of the roller-clamp lot
// the production history consumed (seed/production.ts PRODUCTION_HISTORY), so its consignees are the
// hospitals and distributors those lots were sold to (seed/history.ts sellLot). Every consignee
// notified on the day, the NMPA level III notification recorded the next day (7 days allowed), half
// the consignees acknowledge three days later, and the units are accounted for over the following
// weeks (returned, used in care, checked on site): 100 % before the management review, so the recall
// timeliness KPI has a real day count. Each step on its own simulated day, clear of the receipts'
// inspection waits (seed/year.ts: the days fall between month 9's wait and month 10's receipt).
const sign = { password: DEMO_PASSWORD };
const both = (zh: string, en: string) => `${zh}\n${en}`;

/** The day (days before today) the drill starts: two weeks after month 9's receipt, after that month's lot shipped. */
export const RECALL_DAY = YEAR_DAYS[9] - 14;

/** How the units of each recalled lot are accounted for, in order, each a share of the lot's shipped quantity (the last takes the rest). */
const ACCOUNTING = [
  {
    after: 6,
    disposition: 'returned' as const,
    share: 0.3,
    note: both('演练:在客户库房清点,退回并隔离。', 'Drill: counted in the customer’s store, returned and quarantined.'),
  },
  {
    after: 12,
    disposition: 'destroyed' as const,
    share: 0.4,
    note: both(
      '演练:按医院耗材使用记录已用于临床并作为医疗废物处置。',
      'Drill: used in care before the drill, per the hospital’s consumption record, and disposed of as medical waste.',
    ),
  },
  {
    after: 20,
    disposition: 'corrected' as const,
    share: 1,
    note: both(
      '演练:在客户处现场检查滚轮夹闭合力,符合规格。',
      'Drill: roller clamps checked on site at the customer, closing force within specification.',
    ),
  },
];

/** The drill's steps as dated events of the year (seed/year.ts seedYear runs them in date order). */
export function recallDrillEvents(s: Services): YearEvent[] {
  let id = '';
  const users = async () => {
    const u = await sessionUsers(s);
    return { eng: u.get('qa.engineer')!, mgr: u.get('qa.manager')! };
  };
  const open = async () => {
    const { eng, mgr } = await users();
    const today = todayUtc();
    // the clamp lot built into the most lots of the production history (FEFO: the oldest receipt)
    const clamps = await s.db
      .collection<LotDoc>('lots')
      .find({ 'item.partNumber': 'CP-RCL-001', 'movements.type': 'issued' })
      .toArray();
    const issuedTo = (l: LotDoc) => new Set(l.movements.filter((m) => m.type === 'issued').map((m) => m.source)).size;
    const clamp = clamps.sort((a, b) => issuedTo(b) - issuedTo(a))[0];
    if (!clamp) throw new Error('seed: no roller-clamp lot consumed by the production history');
    let rcl = await openRecall(
      s,
      eng,
      CreateRecallBody.parse({
        title: 'Mock recall: roller clamp lot (annual traceability drill)',
        reason: both(
          '年度模拟召回演练:假设滚轮夹批次闭合力不足,验证从组件批次到客户的追溯与通知时效。',
          'Annual mock recall drill: assuming the roller clamp lot has insufficient closing force, to test tracing from the component lot to the customers and the notification timeliness.',
        ),
        level: 'III',
        kind: 'removal',
        jurisdictions: ['CN'],
        initiatedOn: today,
        fromLot: clamp._id,
      }),
    );
    id = rcl._id;
    rcl = await actOnRecall(s, mgr, id, 'approve', sign);
    for (const c of rcl.customers)
      await actOnRecall(s, eng, id, 'notify', {
        customer: c.code,
        date: today,
        method: 'email',
        reference: `${rcl.number} FSN ${c.code}`,
      });
  };
  const report = async () =>
    actOnRecall(s, (await users()).eng, id, 'report', {
      clock: 'NMPA_RECALL_III',
      date: todayUtc(),
      reference: 'Drill: notification prepared, not submitted (mock recall)',
    });
  const acknowledge = async () => {
    const { eng } = await users();
    const rcl = await getRecall(s, id);
    for (const c of rcl.customers.slice(0, Math.ceil(rcl.customers.length / 2)))
      await actOnRecall(s, eng, id, 'acknowledge', {
        customer: c.code,
        date: todayUtc(),
        contact: `${c.name.zh} 器械科`,
      });
  };
  const account = (step: (typeof ACCOUNTING)[number]) => async () => {
    const { eng } = await users();
    for (const u of (await getRecall(s, id)).units) {
      const quantity = step.share === 1 ? openQuantity(u) : Math.floor(u.shipped * step.share);
      if (quantity > 0)
        await actOnRecall(s, eng, id, 'disposition', {
          lotId: u.lotId,
          disposition: step.disposition,
          quantity,
          date: todayUtc(),
          note: step.note,
        });
    }
  };
  return [
    { days: RECALL_DAY, run: open },
    { days: RECALL_DAY - 1, run: report },
    { days: RECALL_DAY - 3, run: acknowledge },
    ...ACCOUNTING.map((a) => ({ days: RECALL_DAY - a.after, run: account(a) })),
  ];
}
