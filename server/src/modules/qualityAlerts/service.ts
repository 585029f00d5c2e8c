import type { Services } from '../../platform/services.ts';
import { todayUtc } from '../../platform/dates.ts';
import { listDecisions } from '../reporting/service.ts';
import { clockOf } from '../reporting/presenter.ts';
import { capas, isOverdue, RUNNING } from '../capa/service.ts';
import { NONCONFORMANCES, type NcDoc } from '../nc/nc.record.ts';
import { now as clockNow } from '../../platform/clock.ts';

// QA's alerts (ISO 13485:2016 8.2.2 reporting to regulatory authorities, 8.3 control of
// nonconforming product, 8.5.2 corrective action and its effectiveness; 21 CFR 803; EU MDR
// Art. 87; NMPA 医疗器械不良事件监测和再评价管理办法): what is due or late now, each with the
// days (and, for report clocks, hours) remaining computed at the moment of the request.

/** A report is "due soon" when its clock has this many days or fewer left (the shortest clocks are 2 to 7 days). */
export const REPORT_DUE_SOON_DAYS = 7;
/** An effectiveness check shows from this many days before its due date. */
export const CHECK_WINDOW_DAYS = 30;

const DAY_MS = 86_400_000;
/** Whole days from today (UTC) to a date-only due date; negative when past. */
const daysTo = (due: string, today: string) =>
  Math.round((Date.parse(`${due}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
/** Hours until the end of a date-only due date (23:59:59 UTC of that day). */
const hoursTo = (due: string, now: Date) => Math.floor((Date.parse(`${due}T23:59:59Z`) - now.getTime()) / 3_600_000);

export async function qualityAlerts(s: Services, now = clockNow()) {
  const today = todayUtc();
  const reports = (await listDecisions(s, { status: 'reportable' }))
    .map((d) => ({ d, clock: clockOf(d, now) }))
    .filter((x) => x.clock?.running)
    .map(({ d, clock }) => {
      const c = clock as NonNullable<typeof clock> & {
        running: true;
        daysRemaining: number;
        hoursRemaining: number;
        overdue: boolean;
      };
      return {
        id: d._id,
        complaintId: d.complaintId,
        jurisdiction: d.jurisdiction,
        rule: d.decision?.rule ? { label: d.decision.rule.label, citation: d.decision.rule.citation } : null,
        dueAt: c.dueAt,
        dueDate: c.dueDate,
        daysRemaining: c.daysRemaining,
        hoursRemaining: c.hoursRemaining,
        level: c.overdue ? 'overdue' : c.daysRemaining <= REPORT_DUE_SOON_DAYS ? 'due_soon' : 'due',
      };
    })
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));

  const open = await capas(s)
    .find({ state: { $in: [...RUNNING, 'effectiveness_check'] as never[] } })
    .toArray();
  const capaRow = (c: (typeof open)[number], due: string) => ({
    id: c._id,
    number: c.number,
    title: c.title,
    owner: c.owner.name,
    state: c.state,
    due,
    daysRemaining: daysTo(due, today),
    hoursRemaining: hoursTo(due, now),
  });
  const byDue = (a: { due: string }, b: { due: string }) => a.due.localeCompare(b.due);
  const overdueCapas = open
    .filter(isOverdue)
    .map((c) => capaRow(c, c.due))
    .sort(byDue);
  const effectivenessChecks = open
    .filter((c) => c.state === 'effectiveness_check' && c.effectiveness)
    .map((c) => ({ ...capaRow(c, c.effectiveness!.due), criteria: c.effectiveness!.criteria }))
    .filter((c) => c.daysRemaining <= CHECK_WINDOW_DAYS)
    .sort(byDue);
  const extensionRequests = open
    .filter((c) => RUNNING.includes(c.state) && c.extension)
    .map((c) => ({
      ...capaRow(c, c.due),
      requested: { due: c.extension!.due, reason: c.extension!.reason, by: c.extension!.by, at: c.extension!.at },
    }))
    .sort(byDue);

  const ncs = await s.db
    .collection<NcDoc>(NONCONFORMANCES)
    .find({ status: 'open' })
    .sort({ openedAt: 1 })
    .limit(1000)
    .toArray();
  const ncsAwaitingDisposition = ncs
    .filter((n) => n.lots.some((l) => l.undisposed > 0))
    .map((n) => ({
      id: n._id,
      number: n.number,
      item: n.item,
      openedAt: n.openedAt,
      undisposed: n.lots.reduce((sum, l) => sum + Math.max(0, l.undisposed), 0),
      daysOpen: daysTo(today, n.openedAt.slice(0, 10)),
    }));

  return {
    at: now.toISOString(),
    reports,
    overdueCapas,
    effectivenessChecks,
    extensionRequests,
    ncsAwaitingDisposition,
  };
}
