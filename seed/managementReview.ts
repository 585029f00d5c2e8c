import type { Services } from '../server/src/platform/services.ts';
import { addDays, todayUtc } from '../server/src/platform/dates.ts';
import { actOnReview, planReview } from '../server/src/modules/managementReview/service.ts';
import { REVIEW_ACTION_BODIES } from '../server/src/modules/managementReview/schema.ts';
import { sessionUsers } from './sessionUsers.ts';
import { DEMO_PASSWORD } from './demo-users.ts';
import { YEAR_DAYS, type YearEvent } from './year.ts';

// The management review of the demo year (ISO 13485:2016 5.6), on a day of the simulated past after
// the mock recall was fully accounted for (seed/recallDrill.ts) and before the production history's last lot: its period
// the twelve months before the meeting, its inputs assembled from the year's records when the meeting
// is recorded, decisions and an action recorded, approved by the QA manager the next day.
const sign = { password: DEMO_PASSWORD };

/** The day (days before today) of the meeting: a week after the last month's receipt, clear of its inspection wait. */
export const REVIEW_DAY = YEAR_DAYS[10] - 8;

export function managementReviewEvents(s: Services): YearEvent[] {
  let id = '';
  const meeting = async () => {
    const users = await sessionUsers(s);
    const [qaMgr, qaEng, sup, purchaser] = ['qa.manager', 'qa.engineer', 'prod.supervisor', 'purchaser'].map((n) =>
      users.get(n)!,
    );
    const today = todayUtc();
    const rev = await planReview(s, qaMgr, {
      title: `Management review ${today.slice(0, 4)} / ${today.slice(0, 4)} 年度管理评审`,
      periodFrom: addDays(today, -364),
      periodTo: today,
      plannedDate: today,
    });
    id = rev._id;
    await actOnReview(
      s,
      qaEng,
      id,
      'record_meeting',
      REVIEW_ACTION_BODIES.record_meeting.parse({
        date: today,
        attendees: [qaMgr.id, qaEng.id, sup.id, purchaser.id],
        discussion:
          'Complaints and nonconformities of the year, the internal audit and its open CAPA, the mock recall drill (every unit accounted for) and the supplier scorecards reviewed.',
        decisions: [
          {
            output: 'qms_improvement',
            text: 'Record the sampling plan revision on every incoming inspection (audit finding CAPA).',
          },
          { output: 'product_improvement', text: 'Evaluate a second pressure-sensor supplier for FG-PMP-1.' },
          { output: 'resources', text: 'Second leak tester to be calibrated and returned to service.' },
        ],
        actions: [
          {
            description: 'Supplier evaluation of an alternative pressure sensor.',
            output: 'product_improvement',
            owner: purchaser.id,
            due: addDays(today, 90),
          },
        ],
      }),
    );
  };
  const approve = async () => actOnReview(s, (await sessionUsers(s)).get('qa.manager')!, id, 'approve', sign);
  return [
    { days: REVIEW_DAY, run: meeting },
    { days: REVIEW_DAY - 1, run: approve },
  ];
}
