import type { CommandContext, Lifecycle, Precondition, Separation } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import type { Services } from '../../platform/services.ts';
import { isImdrfCode, IMDRF_ANNEXES } from '../complaints/imdrfCodes.ts';
import { getDmr } from '../dmr/service.ts';
import { revisionOf } from '../dmr/dmr.record.ts';
import type { FmeaRow, HazardRow, RiskFileState } from './riskfile.record.ts';
import type { ComplaintDoc } from '../complaints/complaint.record.ts';
import { RiskErrors as E } from './errors.ts';
import { riskFileEvents } from './events.ts';
import { assertOnScale, view, type Estimate, type PlanContent } from './policy.ts';
import { approvedPlan } from './queries.ts';
import { elementsOf, projectsOf } from '../design/resolve.ts';
import type { EstimateInput, FmeaRowInput, HazardRowInput } from './schema.ts';

// A risk management file's lifecycle, declared once. Rows are written in draft (risk.write); each
// estimate must lie on the approved plan's scales (ISO 14971:2019 5.5, 4.4 d). Approval (clause
// 8 overall residual risk, clause 9 review) is proposed and signed by risk.approve, never by
// someone who wrote rows of the file (ISO 13485:2016 4.2.4 / 5.5.1), and only when: every row's
// residual risk is estimated (7.3), every control's implementation and effectiveness is verified
// (7.2), every residual risk that is not acceptable has its benefit-risk analysis (7.4), and no
// pFMEA row lies in the plan's unacceptable zone. An approved file is reopened with a reason.

/** A file as its GET judges it: with the device's approved plan. */
export type RiskFileView = RiskFileState & { plan?: { revision: number; content: PlanContent } | null };
type F = RiskFileView;

const estimate = (e: EstimateInput): Estimate => ({
  severity: e.severity,
  p1: e.p1 ?? null,
  p2: e.p2 ?? null,
  probability: e.probability ?? null,
});
/** The residual estimate a row stands on: its own, or its initial one when it needed no control. */
export const residualOf = (r: HazardRow): Estimate | null => r.residual ?? (r.controls.length ? null : r.initial);

/** What still stands in the way of approval, row by row (empty lists: nothing). */
export function problems(f: RiskFileState, plan: PlanContent) {
  const residual = f.rows.filter((r) => view(plan, residualOf(r))?.zone == null).map((r) => r.id);
  const unverified = f.rows
    .filter((r) => r.controls.some((c) => !c.implementation || !c.effectiveness))
    .map((r) => r.id);
  const benefitRisk = f.rows
    .filter((r) => {
      const z = view(plan, residualOf(r))?.zone;
      return z && z !== 'acceptable' && !r.benefitRisk;
    })
    .map((r) => r.id);
  const fmea = f.fmea
    .filter((r) => {
      const z = fmeaZone(plan, r);
      return z === null || z === 'unacceptable';
    })
    .map((r) => r.id);
  return { residual, unverified, benefitRisk, fmea };
}

/** A pFMEA row on the plan's matrix: severity × occurrence (occurrence read on the probability scale). */
export function fmeaZone(plan: PlanContent, r: Pick<FmeaRow, 'severity' | 'occurrence'>) {
  const row = plan.zones[r.severity - 1];
  return row?.cells[r.occurrence - 1] ?? null;
}

const ids = (l: string[]) => l.join(', ');
const holdsWithPlan =
  (key: keyof ReturnType<typeof problems>): Precondition<F>['holds'] =>
  (f) =>
    !f.plan || problems(f, f.plan.content)[key].length === 0;

const NOT_AN_EDITOR: Separation<F> = {
  rule: 'not_author',
  refusal: refusal(E.RISK_APPROVER_AUTHORED()),
  violatedBy: (u, f) => f.editors.includes(u.id),
};

async function planOf(s: Services, f: RiskFileState) {
  const plan = await approvedPlan(s, f.itemId);
  if (!plan) throw E.RISK_NO_PLAN();
  return plan;
}

const nextId = (prefix: string, list: Array<{ id: string }>) => {
  const n = list.reduce((m, r) => Math.max(m, Number(r.id.slice(prefix.length + 1)) || 0), 0) + 1;
  return `${prefix}-${String(n).padStart(3, '0')}`;
};
const assertRow = (list: Array<{ id: string }>, rowId: string | undefined) => {
  if (rowId && !list.some((r) => r.id === rowId)) throw E.RISK_ROW_UNKNOWN({ id: rowId });
};

async function prepareRow(c: CommandContext<F>) {
  const input = c.input.row as HazardRowInput;
  assertRow(c.state.rows, input.rowId);
  const plan = await planOf(c.s, c.state);
  const initial = estimate(input.initial);
  assertOnScale(plan.content, initial);
  const residual = input.residual ? estimate(input.residual) : null;
  if (residual) assertOnScale(plan.content, residual);
  for (const code of input.imdrfCodes)
    if (!IMDRF_ANNEXES.some((a) => isImdrfCode(a, code))) throw E.RISK_CODE_UNKNOWN({ code });
  // each control's design input: an input element of a design project of this file's device
  for (const id of new Set(input.controls.map((k) => k.designInputId).filter((x): x is string => !!x))) {
    const el = await elementsOf(c.s).findOne({ _id: id });
    const project = el?.kind === 'input' ? await projectsOf(c.s).findOne({ _id: el.projectId }) : null;
    if (!project || project.item.id !== c.state.itemId) throw E.RISK_DESIGN_INPUT_UNKNOWN({ id });
  }
  const row: Omit<HazardRow, 'id'> = {
    hazard: input.hazard,
    sequence: input.sequence,
    situation: input.situation,
    harm: input.harm,
    initial,
    imdrfCodes: [...new Set(input.imdrfCodes)],
    controls: input.controls.map((k) => ({
      kind: k.kind,
      description: k.description,
      designInputId: k.designInputId ?? null,
      implementation: k.implementation || null,
      effectiveness: k.effectiveness || null,
    })),
    residual,
    benefitRisk: input.benefitRisk || null,
  };
  return { rowId: input.rowId, row };
}

async function prepareFmea(c: CommandContext<F>) {
  const input = c.input.row as FmeaRowInput;
  assertRow(c.state.fmea, input.rowId);
  const plan = await planOf(c.s, c.state);
  // occurrence is read on the plan's probability scale, severity on its severity scale (levels)
  const { severity, probability } = plan.content;
  if (input.severity > severity.length)
    throw E.RISK_SEVERITY_OUT_OF_SCALE({ value: input.severity, levels: severity.length });
  if (input.occurrence > probability.length)
    throw E.RISK_PROBABILITY_OUT_OF_SCALE({ value: String(input.occurrence), levels: probability.length });
  const dmr = await getDmr(c.s, input.dmrId).catch(() => {
    throw E.RISK_STEP_UNKNOWN({ dmr: input.dmrId, seq: input.seq });
  });
  const rev = revisionOf(dmr, dmr.effective) ?? revisionOf(dmr, dmr.current);
  const op = rev?.content.routing.find((o) => o.seq === input.seq);
  if (!op) throw E.RISK_STEP_UNKNOWN({ dmr: input.dmrId, seq: input.seq });
  const { rowId, ...rest } = input;
  return { rowId, row: { ...rest, step: op.name } satisfies Omit<FmeaRow, 'id'> };
}

type LinkPlan = { complaintId: string; complaintNumber: string; hazardRowId: string };
const mustBeNewLink = (f: RiskFileState, p: LinkPlan) => {
  assertRow(f.rows, p.hazardRowId);
  if ((f.complaintLinks ?? []).some((l) => l.complaintId === p.complaintId && l.hazardRowId === p.hazardRowId))
    throw E.RISK_COMPLAINT_ALREADY_LINKED({ number: p.complaintNumber, row: p.hazardRowId });
};

/**
 * ISO 14971:2019 10.2–10.4: a complaint about this file's device, linked to the hazard row it bears
 * on, as post-production information for the row's review. Its own event: the signed rows stay as
 * they were, so an approved file stays approved.
 */
async function prepareLink(c: CommandContext<F>): Promise<LinkPlan> {
  const complaintId = String(c.input.complaintId);
  const hazardRowId = String(c.input.hazardRowId);
  const complaint = await c.s.db.collection<ComplaintDoc>('complaints').findOne({ _id: complaintId });
  if (!complaint) throw E.RISK_COMPLAINT_UNKNOWN({ id: complaintId });
  if (complaint.device.itemId !== c.state.itemId)
    throw E.RISK_COMPLAINT_OTHER_DEVICE({ number: complaint.number, device: complaint.device.partNumber });
  const plan = { complaintId, complaintNumber: complaint.number, hazardRowId };
  mustBeNewLink(c.state, plan);
  return plan;
}

export const riskFileLifecycle: Lifecycle<F> = {
  record: 'riskfile',
  initial: 'draft',
  states: ['draft', 'approved'],
  final: [],
  transitions: [
    {
      name: 'save_row',
      from: ['draft'],
      permission: 'risk.write',
      needsValues: true,
      prepare: prepareRow,
      recheck: (f, plan: { rowId?: string }) => assertRow(f.rows, plan.rowId),
      event: (f, plan: { rowId?: string; row: Omit<HazardRow, 'id'> }) =>
        riskFileEvents.change('riskfile.rowSaved', { row: { id: plan.rowId ?? nextId('H', f.rows), ...plan.row } }),
    },
    {
      name: 'save_fmea',
      from: ['draft'],
      permission: 'risk.write',
      needsValues: true,
      prepare: prepareFmea,
      recheck: (f, plan: { rowId?: string }) => assertRow(f.fmea, plan.rowId),
      event: (f, plan: { rowId?: string; row: Omit<FmeaRow, 'id'> }) =>
        riskFileEvents.change('riskfile.fmeaSaved', { row: { id: plan.rowId ?? nextId('F', f.fmea), ...plan.row } }),
    },
    {
      name: 'approve',
      from: ['draft'],
      to: 'approved',
      permission: 'risk.approve',
      signature: { meaning: 'approved' },
      needsValues: true,
      separation: [NOT_AN_EDITOR],
      preconditions: [
        { refusal: refusal(E.RISK_RESIDUAL_MISSING({ rows: '…' })), holds: holdsWithPlan('residual') },
        { refusal: refusal(E.RISK_CONTROL_UNVERIFIED({ rows: '…' })), holds: holdsWithPlan('unverified') },
        { refusal: refusal(E.RISK_BENEFIT_RISK_MISSING({ rows: '…' })), holds: holdsWithPlan('benefitRisk') },
        { refusal: refusal(E.RISK_FMEA_UNACCEPTABLE({ rows: '…' })), holds: holdsWithPlan('fmea') },
      ],
      prepare: async (c) => {
        const plan = await planOf(c.s, c.state);
        const p = problems(c.state, plan.content);
        if (p.residual.length) throw E.RISK_RESIDUAL_MISSING({ rows: ids(p.residual) }, p);
        if (p.unverified.length) throw E.RISK_CONTROL_UNVERIFIED({ rows: ids(p.unverified) }, p);
        if (p.benefitRisk.length) throw E.RISK_BENEFIT_RISK_MISSING({ rows: ids(p.benefitRisk) }, p);
        if (p.fmea.length) throw E.RISK_FMEA_UNACCEPTABLE({ rows: ids(p.fmea) }, p);
        return { planRevision: plan.revision };
      },
      event: (_f, plan: { planRevision: number }, c) =>
        riskFileEvents.change('riskfile.evaluationProposed', {
          planRevision: plan.planRevision,
          overallResidualRisk: String(c.input.overallResidualRisk),
          overallAcceptable: c.input.overallAcceptable === true,
          review: String(c.input.review),
        }),
    },
    {
      name: 'link_complaint',
      from: ['draft', 'approved'],
      permission: 'risk.write',
      needsValues: true,
      needsReason: true,
      prepare: prepareLink,
      recheck: (f, plan: LinkPlan) => mustBeNewLink(f, plan),
      event: (_f, plan: LinkPlan, c) => riskFileEvents.change('riskfile.complaintLinked', plan, String(c.input.reason)),
    },
    {
      name: 'reopen',
      from: ['approved'],
      to: 'draft',
      permission: 'risk.write',
      needsReason: true,
      event: (_f, _p, c) => riskFileEvents.change('riskfile.reopened', {}, String(c.input.reason)),
    },
  ],
  stateOf: (f) => f.status,
  wrongState: (t, current) =>
    refusal(E.RISK_WRONG_STATE({ action: t.name.replace(/_/g, ' '), status: current ?? 'none' })),
};
