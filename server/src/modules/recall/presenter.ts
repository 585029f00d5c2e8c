import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import { sumQty } from '../../platform/fields.ts';
import type { RecallDoc, RecallState } from './recall.record.ts';
import { openQuantity } from './units.ts';
import { recallLifecycle } from './recall.lifecycle.ts';
import { recallClocks } from './rules.ts';

// The only shapes of a recall that leave the server.

const ACCOUNTED = new Set(['returned', 'corrected', 'destroyed']);
const pct = (n: number, of: number) => (of > 0 ? Math.round((1000 * n) / of) / 10 : 0);

/**
 * Effectiveness (21 CFR 7.42(b)(3), 7.59 effectiveness checks; the founding article's recall
 * timeliness): the units in the field accounted for — returned, corrected or destroyed — over the
 * units shipped, now and after each disposition date. "Not found" is recorded but accounts for nothing.
 */
export function effectiveness(r: RecallState) {
  const total = sumQty(...r.units.map((u) => u.shipped));
  const all = r.units.flatMap((u) => u.dispositions);
  const accounted = sumQty(...all.filter((d) => ACCOUNTED.has(d.disposition)).map((d) => d.quantity));
  const notFound = sumQty(...all.filter((d) => d.disposition === 'not_found').map((d) => d.quantity));
  const dates = [...new Set(all.map((d) => d.date))].sort();
  const series = dates.map((date) => {
    const upTo = sumQty(...all.filter((d) => d.date <= date && ACCOUNTED.has(d.disposition)).map((d) => d.quantity));
    return { date, accounted: upTo, percent: pct(upTo, total) };
  });
  const complete = series.find((x) => x.accounted >= total && total > 0)?.date ?? null;
  return { total, accounted, notFound, percent: pct(accounted, total), series, completeOn: complete };
}

export function presentRecallRow(r: RecallDoc, user: SessionUser) {
  const e = effectiveness(r);
  return {
    id: r._id,
    number: r.number,
    title: r.title,
    level: r.level,
    kind: r.kind,
    jurisdictions: r.jurisdictions,
    initiatedOn: r.initiatedOn,
    state: r.state,
    units: e.total,
    customers: r.customers.length,
    notified: r.customers.filter((c) => c.notification).length,
    acknowledged: r.customers.filter((c) => c.acknowledgement).length,
    effectiveness: e.percent,
    version: r.ledgerVersion,
    actions: availableActions(recallLifecycle, r, user),
  };
}

export async function presentRecall(s: Services, r: RecallDoc, user: SessionUser) {
  return {
    id: r._id,
    number: r.number,
    title: r.title,
    reason: r.reason,
    level: r.level,
    kind: r.kind,
    jurisdictions: r.jurisdictions,
    initiatedOn: r.initiatedOn,
    urgent: r.urgent,
    tracedFrom: r.tracedFrom,
    state: r.state,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    units: r.units.map((u) => ({ ...u, open: openQuantity(u), link: { route: 'lot', id: u.lotId } })),
    customers: r.customers,
    reports: r.reports,
    clocks: await recallClocks(s, r),
    effectiveness: effectiveness(r),
    approval: r.approval,
    closure: r.closure,
    stream: `recall:${r._id}`,
    version: r.ledgerVersion,
    actions: availableActions(recallLifecycle, r, user),
  };
}
