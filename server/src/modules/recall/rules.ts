import type { Services } from '../../platform/services.ts';
import { dueDate, remaining, type ClockRule, type WorkCalendar } from '../reporting/clock.ts';
import { rulesForView } from '../reporting/rules.ts';
import { now as clockNow } from '../../platform/clock.ts';

// The recall clocks, as data (one row per obligation), counted by reporting's pure clock
// (reporting/clock.ts: dueDate, addWorkingDays) on the jurisdiction's working-day calendar as
// reporting keeps it on the ledger (time zone, public holidays, 调休 working days: rulesOf). They are
// kept here rather than as rows of reporting's jurisdiction rules because reporting's rows are
// matched against an adverse event's facts ("death", "overseas+…") and fed to its reportability
// decision; a recall's clock starts from the recall's initiation and its level, not from event facts.
//
// - 21 CFR 806.10(b): "within 10-working days of initiating such correction or removal" (a report
//   to FDA when the action reduces a risk to health, 806.10(a)). Working days: US federal holidays
//   skipped (the US calendar).
// - EU MDR Art. 87(1)(b): the manufacturer reports "any field safety corrective action"; the FSCA is
//   reported before it is undertaken, except where urgency requires undertaking it at once, and the
//   draft field safety notice goes to the competent authority for comment except in urgency
//   (Art. 89(8)). Modelled as due by the day the FSCA is undertaken (0 days).
// - NMPA 医疗器械召回管理办法 (国家食品药品监督管理总局令第29号, 2017) 第十六条: a decision to recall is
//   notified to the distributors and users within 1 day (一级), 3 days (二级) or 7 days (三级). 日 are
//   calendar days, as reporting counts NMPA's 日.
export interface RecallClockRow {
  code: string;
  jurisdiction: 'US' | 'EU' | 'CN';
  /** Which recalls the row applies to: a level (NMPA's 分级), or every recall of the jurisdiction. */
  level?: 'I' | 'II' | 'III';
  label: { en: string; zh: string };
  amount: number;
  unit: ClockRule['unit'];
  citation: string;
}

export const RECALL_CLOCKS: RecallClockRow[] = [
  {
    code: 'FDA_806',
    jurisdiction: 'US',
    label: { en: 'Report of correction or removal to FDA', zh: '向 FDA 提交纠正或撤回报告' },
    amount: 10,
    unit: 'working_days',
    citation: '21 CFR 806.10(b)',
  },
  {
    code: 'EU_FSCA',
    jurisdiction: 'EU',
    label: {
      en: 'FSCA report and draft field safety notice to the competent authority, before undertaking the FSCA',
      zh: '实施现场安全纠正措施前向主管当局报告并提交现场安全通告草案',
    },
    amount: 0,
    unit: 'calendar_days',
    citation: 'EU MDR 2017/745 Art. 87(1)(b), Art. 89(8)',
  },
  ...(
    [
      ['I', 1],
      ['II', 3],
      ['III', 7],
    ] as const
  ).map(([level, amount]): RecallClockRow => ({
    code: `NMPA_RECALL_${level}`,
    jurisdiction: 'CN',
    level,
    label: {
      en: `Level ${level} recall: notify distributors and users`,
      zh: `${level === 'I' ? '一' : level === 'II' ? '二' : '三'}级召回:通知经营企业、使用单位或告知使用者`,
    },
    amount,
    unit: 'calendar_days',
    citation: '医疗器械召回管理办法 (2017) 第十六条',
  })),
];

/** The rows that apply to a recall: its jurisdictions, and for NMPA its level. */
export const clocksFor = (r: { jurisdictions: string[]; level: string }) =>
  RECALL_CLOCKS.filter((c) => r.jurisdictions.includes(c.jurisdiction) && (!c.level || c.level === r.level));

/**
 * Each clock of a recall, counted from its initiation day (noon UTC of that date: the same local
 * date in every shipped jurisdiction) by reporting's `dueDate` on the jurisdiction's calendar;
 * met / late / running from the report recorded against it.
 */
export async function recallClocks(
  s: Services,
  r: { jurisdictions: string[]; level: string; initiatedOn: string; reports: Array<{ clock: string; date: string }> },
  now = clockNow(),
) {
  const calendars = new Map<string, WorkCalendar>();
  for (const j of new Set(r.jurisdictions)) calendars.set(j, await rulesForView(s, j));
  return clocksFor(r).map((c) => {
    const cal = calendars.get(c.jurisdiction)!;
    const due = dueDate(`${r.initiatedOn}T12:00:00Z`, { amount: c.amount, unit: c.unit }, cal);
    const report = r.reports.find((x) => x.clock === c.code) ?? null;
    const left = remaining(due, now, cal.timeZone);
    return {
      code: c.code,
      jurisdiction: c.jurisdiction,
      label: c.label,
      citation: c.citation,
      amount: c.amount,
      unit: c.unit,
      dueDate: due.dueDate,
      report,
      status: report ? (report.date <= due.dueDate ? 'met' : 'late') : left.overdue ? 'overdue' : 'running',
      daysRemaining: report ? null : left.daysRemaining,
    };
  });
}
