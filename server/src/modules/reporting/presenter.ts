import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { ReportabilityDoc } from './reportability.record.ts';
import { reportabilityLifecycle } from './reportability.lifecycle.ts';
import { rulesLifecycle } from './rules.lifecycle.ts';
import type { RulesView } from './rules.ts';
import { remaining } from './clock.ts';
import { now as clockNow } from '../../platform/clock.ts';

// The only shapes of the reporting context that leave the server.

/** The clock of a decision now: days (and hours) remaining until the due date, overdue; null when no clock runs. */
export function clockOf(d: ReportabilityDoc, now = clockNow()) {
  const dec = d.decision;
  if (!dec?.reportable || !dec.dueAt || !dec.dueDate) return null;
  const due = { dueAt: dec.dueAt, dueDate: dec.dueDate };
  if (d.submission) return { ...due, running: false as const, late: d.submission.submittedOn > dec.dueDate };
  return { ...due, running: true as const, ...remaining(due, now, dec.timeZone) };
}

export function presentDecision(d: ReportabilityDoc, user: SessionUser, now = clockNow()) {
  const clock = clockOf(d, now);
  return {
    id: d._id,
    complaintId: d.complaintId,
    jurisdiction: d.jurisdiction,
    awareAt: d.awareAt,
    facts: d.facts,
    supplementOf: d.supplementOf ?? null,
    status: d.status,
    openedAt: d.openedAt,
    openedBy: d.openedBy,
    decision: d.decision,
    submission: d.submission,
    dueAt: clock?.dueAt ?? null,
    dueDate: clock?.dueDate ?? null,
    daysRemaining: clock?.running ? clock.daysRemaining : null,
    hoursRemaining: clock?.running ? clock.hoursRemaining : null,
    overdue: clock?.running ? clock.overdue : false,
    late: clock && !clock.running ? clock.late : false,
    version: d.ledgerVersion,
    actions: availableActions(reportabilityLifecycle, d, user),
  };
}

export function presentRules(r: RulesView, user: SessionUser) {
  const { version, ...rest } = r;
  return {
    ...rest,
    version,
    recorded: version > 0,
    actions: availableActions(rulesLifecycle, { ...r, status: 'active', changedAt: '', changedBy: '' }, user),
  };
}
