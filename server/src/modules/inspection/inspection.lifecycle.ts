import { randomUUID } from 'node:crypto';
import { errors } from '../../platform/errors.ts';
import type { CommandContext, Lifecycle, Transition } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { mutate } from '../../records/ledgerOps.ts';
import { InventoryErrors } from '../inventory/errors.ts';
import { NOT_INSPECTOR } from '../inventory/lot.lifecycle.ts';
import { assertMayDecide, decideOnLot, getLot, noteInspection } from '../inventory/service.ts';
import { openNcFromInspection } from '../nc/service.ts';
import { InspectionErrors as E } from './errors.ts';
import { inspectionEvents } from './events.ts';
import type { InspectionState, Measurement } from './inspection.record.ts';

// The incoming inspection's lifecycle, declared once (21 CFR 820.80(b), ISO 13485 7.4.3): the
// inspector records the results (pass/fail is computed from the sampling plan), QA decides.
// The disposition is signed on each lot of the inspection (the lot's status is what the
// signature changes: inventory/lot.lifecycle.ts holds the lot's rules and judges every lot
// first); the inspection notes the decision once the lots' signatures are given.

const CLOSED = refusal(E.INSPECTION_CLOSED());
const NOT_COMPLETE = refusal(InventoryErrors.INSPECTION_NOT_COMPLETE());

export interface ResultsInput {
  measurements: Array<{ characteristic: string; values: number[] }>;
  attributeDefectives?: number;
  notes?: string;
  reason?: string;
}
interface Results {
  measurements: Measurement[];
  attributeDefectives: number;
  defectives: number;
  result: 'pass' | 'fail';
  notes: string;
}

/**
 * The inspector's results. Every characteristic of the plan is measured on every sample unit; a
 * unit is defective when any value is outside its limits (plus units found defective by
 * attribute). Pass when the defectives do not exceed Ac (ISO 2859-1).
 */
function judgeResults(insp: InspectionState, input: ResultsInput): Results {
  const n = insp.plan.sampleSize;
  const byName = new Map(input.measurements.map((m) => [m.characteristic, m]));
  for (const [i, m] of input.measurements.entries()) {
    if (!insp.characteristics.some((c) => c.name === m.characteristic)) {
      throw errors.validation(`body.measurements.${i}.characteristic`, {
        en: `not a characteristic of this plan: ${m.characteristic}`,
        zh: `不是该检验计划的特性:${m.characteristic}`,
      });
    }
    if (m.values.length !== n) {
      throw errors.validation(`body.measurements.${i}.values`, {
        en: `the plan samples ${n} units; ${m.values.length} values given`,
        zh: `检验计划抽样 ${n} 件,但给出了 ${m.values.length} 个值`,
      });
    }
  }
  for (const c of insp.characteristics)
    if (!byName.has(c.name))
      throw errors.validation('body.measurements', {
        en: `missing characteristic: ${c.name}`,
        zh: `缺少特性:${c.name}`,
      });
  const defectiveUnits = new Set<number>();
  const measurements: Measurement[] = insp.characteristics.map((c) => {
    const values = byName.get(c.name)!.values;
    const outOfSpec = values.flatMap((v, u) =>
      (c.lower !== null && v < c.lower) || (c.upper !== null && v > c.upper) ? [u] : [],
    );
    outOfSpec.forEach((u) => defectiveUnits.add(u));
    return { characteristic: c.name, values, outOfSpec };
  });
  const attributeDefectives = input.attributeDefectives ?? 0;
  if (attributeDefectives > n)
    throw errors.validation('body.attributeDefectives', {
      en: `more than the ${n} sampled units`,
      zh: `超过抽样的 ${n} 件`,
    });
  const defectives = Math.min(n, defectiveUnits.size + attributeDefectives);
  return {
    measurements,
    attributeDefectives,
    defectives,
    result: defectives <= insp.plan.ac ? 'pass' : 'fail',
    notes: input.notes ?? '',
  };
}

/** Entering results; a correction before the disposition is the same with its reason (the earlier entry stays in the ledger). */
const results = (name: string, from: string[], needsReason: boolean): Transition<InspectionState> => ({
  name,
  from,
  to: 'completed',
  permission: 'inspection.perform',
  needsValues: true,
  needsReason,
  prepare: (c) => judgeResults(c.state, c.input as unknown as ResultsInput),
  event: (_st, r: Results, c) =>
    inspectionEvents.change('inspection.resultsRecorded', { ...r }, c.input.reason as string | undefined),
  // the lots still in quarantine carry the result their release is judged on
  after: async (c, st, r: Results) => {
    for (const lotId of st.lotIds) {
      await noteInspection(c.s, lotId, {
        inspectionId: c.id,
        result: r.result,
        defectives: r.defectives,
        sampleSize: st.plan.sampleSize,
        inspector: { id: c.user.id, name: c.user.fullName },
      });
    }
  },
});

type Decision = 'release' | 'reject' | 'conditional';
interface DispositionPlan {
  reason: string;
  ncId: string | null;
}
const DEFAULT_REASON = 'Incoming inspection passed.';

/** Signs the decision on every lot, opens the NC of a rejection, then notes the disposition (after the credentials: nothing is numbered before). */
async function signOnLots(
  c: CommandContext<InspectionState>,
  insp: InspectionState,
  decision: Decision,
  plan: DispositionPlan,
) {
  const { password, totp, description } = c.input as { password: string; totp?: string; description?: string };
  const signatureIds: string[] = [];
  for (const lotId of insp.lotIds) {
    const lot = await decideOnLot(c.s, c.user, lotId, decision, {
      password,
      totp,
      reason: plan.reason,
      inspectionId: c.id,
      ...(plan.ncId ? { ncId: plan.ncId } : {}),
    });
    if (lot.disposition) signatureIds.push(lot.disposition.signatureId);
  }
  if (plan.ncId) {
    await openNcFromInspection(c.s, plan.ncId, {
      lotIds: insp.lotIds,
      inspection: { id: c.id, number: insp.number, lotNumber: insp.lotNumber },
      item: { id: insp.item.id, partNumber: insp.item.partNumber, name: insp.item.name },
      supplier: insp.supplier,
      reason: plan.reason,
      description,
    });
  }
  await mutate<InspectionState>(c.s, c.stream, undefined, (st) =>
    st!.status === 'dispositioned'
      ? null
      : inspectionEvents.change('inspection.dispositioned', { decision, signatureIds, ncId: plan.ncId }),
  );
}

/**
 * A QA disposition: release ("released"), reject ("rejected", opens an NC) or conditional use
 * ("approved", QA manager). Unsigned on the inspection itself: the signatures are the lots'.
 */
const disposition = (name: Decision, rule: Omit<Transition<InspectionState>, 'name'>): Transition<InspectionState> => ({
  name,
  to: 'dispositioned',
  ...rule,
  // every lot is judged by its own lifecycle before the first is signed, so a refusal on one writes nothing on any
  prepare: async (c): Promise<DispositionPlan> => {
    for (const lotId of c.state.lotIds) assertMayDecide(await getLot(c.s, lotId), name, c.user);
    return {
      reason: (c.input.reason as string | undefined) ?? DEFAULT_REASON,
      ncId: name === 'reject' ? randomUUID() : null,
    };
  },
  event: () => null,
  after: (c, st, plan: DispositionPlan) => signOnLots(c, st, name, plan),
});

const notInspector = {
  ...NOT_INSPECTOR,
  violatedBy: (u: { id: string }, st: InspectionState) => st.inspector?.id === u.id,
};

export const inspectionLifecycle: Lifecycle<InspectionState> = {
  record: 'inspection',
  initial: 'open',
  states: ['open', 'completed', 'dispositioned'],
  final: ['dispositioned'],
  transitions: [
    results('record_results', ['open'], false),
    results('correct_results', ['completed'], true),
    disposition('release', {
      from: ['completed'],
      permission: 'inspection.disposition',
      separation: [notInspector],
      preconditions: [{ refusal: refusal(InventoryErrors.INSPECTION_FAILED()), holds: (st) => st.result === 'pass' }],
    }),
    // a lot may be rejected before its results are in (as before): nothing it does depends on them
    disposition('reject', { from: ['open', 'completed'], permission: 'inspection.disposition', needsReason: true }),
    disposition('conditional', {
      from: ['completed'],
      permission: 'inspection.conditional',
      needsReason: true,
      separation: [notInspector],
    }),
  ],
  stateOf: (st) => st.status,
  wrongState: (_t, current) => (current === 'dispositioned' ? CLOSED : current === 'open' ? NOT_COMPLETE : undefined),
};

/** Which results action the results form performs now (a correction once results are in). */
export const resultsAction = (st: InspectionState) =>
  st.status === 'completed' ? 'correct_results' : 'record_results';
