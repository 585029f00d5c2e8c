import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { RiskPlanDoc } from './plan.record.ts';
import { riskPlanLifecycle } from './plan.lifecycle.ts';
import { CONTROL_KINDS } from './events.ts';
import { quantitative, view, type PlanContent } from './policy.ts';
import type { RiskFileDoc } from './riskfile.record.ts';
import { fmeaZone, problems, residualOf, riskFileLifecycle } from './riskfile.lifecycle.ts';

// The only shapes of the risk context that leave the server.
export function presentPlan(p: RiskPlanDoc, user: SessionUser) {
  return {
    id: p._id,
    itemId: p.itemId,
    item: p.item,
    status: p.status,
    revision: p.revision,
    effective: p.effective,
    quantitative: p.effective ? quantitative(p.effective) : null,
    approvedBy: p.approvedBy,
    approvedAt: p.approvedAt,
    signatureId: p.signatureId,
    draft: p.draft,
    draftAuthor: p.draftAuthor,
    stream: `riskplan:${p._id}`,
    version: p.ledgerVersion,
    actions: availableActions(riskPlanLifecycle, p, user),
  };
}

type Plan = { revision: number; content: PlanContent } | null;

/** A file row: its estimates judged on the approved plan now (zones are never stored). */
export function presentFileRow(f: RiskFileDoc, user: SessionUser, plan: Plan) {
  return {
    id: f._id,
    itemId: f.itemId,
    item: f.item,
    status: f.status,
    rows: f.rows.length,
    fmea: f.fmea.length,
    approval: f.approval,
    planRevision: plan?.revision ?? null,
    stream: `riskfile:${f._id}`,
    version: f.ledgerVersion,
    actions: availableActions(riskFileLifecycle, { ...f, plan }, user),
  };
}

/** The complaints linked to one hazard row, oldest first. */
export const linksOf = (f: RiskFileDoc, rowId: string) =>
  (f.complaintLinks ?? [])
    .filter((l) => l.hazardRowId === rowId)
    .map((l) => ({ complaintId: l.complaintId, number: l.complaintNumber, reason: l.reason, by: l.by, at: l.at }));

export function presentFile(f: RiskFileDoc, user: SessionUser, plan: Plan) {
  const p = plan?.content ?? null;
  const kindOrder = (k: string) => CONTROL_KINDS.indexOf(k as (typeof CONTROL_KINDS)[number]);
  return {
    ...presentFileRow(f, user, plan),
    author: f.author,
    evaluation: f.evaluation,
    plan: plan && { revision: plan.revision, quantitative: quantitative(plan.content), ...plan.content },
    /** Approved against an older plan revision: the file is due for review (ISO 14971:2019 4.4, 9). */
    planChangedSinceApproval: !!(f.approval && plan && f.approval.planRevision !== plan.revision),
    problems: p ? problems(f, p) : null,
    hazards: f.rows.map((r) => ({
      ...r,
      // ISO 14971:2019 7.1: the options in their order of priority
      controls: [...r.controls].sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind)),
      initialRisk: view(p, r.initial),
      residualRisk: view(p, residualOf(r)),
      /** Complaints linked to the row as post-production information (ISO 14971:2019 10). */
      complaints: linksOf(f, r.id),
    })),
    fmeaRows: f.fmea.map((r) => ({
      ...r,
      rpn: r.severity * r.occurrence * r.detection,
      zone: p ? fmeaZone(p, r) : null,
    })),
  };
}
