import type { SessionUser } from '../../identity/sessionUser.ts';
import type { Change } from '../../records/ledgerOps.ts';
import type { Blocker, CommandContext, Lifecycle, Precondition, Refusal, Separation } from '../../records/lifecycle.ts';
import type { Services } from '../../platform/services.ts';
import { workOrderHeldBy } from '../../records/contributions.ts';
import { errors } from '../../platform/errors.ts';
import { E, refusal } from './errors.ts';
import { productionEvents } from './events.ts';
import {
  allocateDeviationNumbers,
  mustBeNext,
  nextTarget,
  preparePerform,
  prepareVerify,
  performBlocker,
  trainingBlocker,
  type PerformPlan,
} from './steps.ts';
import { issueEvent, issueFromLot, prepareIssue, reconciliationEvent } from './materials.ts';
import { labelReconciliationEvent, prepareLabelReconciliation, printEvent } from './labels.ts';
import { completionEvent, createOutputLots, prepareCompletion, releaseOutput } from './completion.ts';
import {
  SIGNED_ACTIONS,
  checklist,
  isDone,
  nextOperation,
  performerOf,
  type ProposalData,
  type SignedAction,
  type WorkOrderState,
} from './workorder.model.ts';

// The work order's lifecycle, declared once (issue 10): the API's `actions` (with their targets:
// the next operation, the open deviations), the command path (records/command.ts), the
// e-signature policy (canSign, derived) and the inbox all read this. Signed steps append a
// proposal (`workorder.signingProposed`, the values the signer vouches for); the signature over
// exactly that state completes them (workorder.record.ts's afterSignature appends the effect).
type W = WorkOrderState;
const RUNNING = ['released', 'in_progress'];

/** The proposal a signed step appends: the same event data the ledger has always held. */
function proposal(
  action: SignedAction,
  p: { seq?: number; deviationId?: string; data?: ProposalData } = {},
  reason?: string,
): Change {
  return productionEvents.change(
    'workorder.signingProposed',
    {
      action,
      ...(p.seq !== undefined ? { seq: p.seq } : {}),
      ...(p.deviationId ? { deviationId: p.deviationId } : {}),
      data: p.data ?? {},
    },
    reason,
  );
}

// Segregation of duties (ISO 13485 7.5.1, 21 CFR 820.80(e), 11.10(g)): who did a step never
// verifies it or closes its deviation; nobody who planned or did the work releases the product.
const sod = (en: string, zh: string): Refusal => ({ code: 'SIGNER_IS_AUTHOR', en, zh, status: 409 });
const notStepPerformer: Separation<W> = {
  rule: 'not_performer',
  refusal: sod('Whoever performed a step cannot verify it.', '执行人不能复核自己执行的工序。'),
  violatedBy: (u, w) => nextOperation(w)?.performed?.byId === u.id,
};
/** Judged on the user's own proposal (the deviation it names): the targets already leave out their own steps' deviations. */
const notDeviationPerformer: Separation<W> = {
  rule: 'not_performer',
  refusal: sod('Whoever performed a step cannot close its deviation.', '执行人不能关闭自己执行工序的偏差。'),
  violatedBy: (u, w) =>
    w.pending?.action === 'close_deviation' &&
    w.pending.byId === u.id &&
    performerOf(w, w.pending.deviationId) === u.id,
};
const notReleaser: Separation<W>[] = [
  {
    rule: 'not_planner',
    refusal: sod('Whoever planned a work order cannot release its product.', '工单计划人不能放行其产品。'),
    violatedBy: (u, w) => w.createdBy.id === u.id,
  },
  {
    rule: 'not_performer',
    refusal: sod(
      'Whoever performed steps of this order cannot release its product.',
      '执行过本工单工序的人员不能放行其产品。',
    ),
    violatedBy: (u, w) => w.operations.some((op) => op.performed?.byId === u.id),
  },
  {
    rule: 'not_verifier',
    refusal: sod(
      'Whoever verified steps of this order cannot release its product.',
      '复核过本工单工序的人员不能放行其产品。',
    ),
    violatedBy: (u, w) => w.operations.some((op) => op.verified?.byId === u.id),
  },
];

const stepsDone: Precondition<W> = {
  refusal: refusal('STEPS_OPEN'),
  holds: (w) => w.operations.every(isDone),
  details: (w) => ({ seq: nextOperation(w)?.seq }),
};
const dhrComplete: Precondition<W> = {
  refusal: refusal('DHR_INCOMPLETE'),
  holds: (w) => checklist(w).every((c) => c.ok),
  details: (w) => ({ checklist: checklist(w) }),
};
const labelable: Precondition<W>[] = [
  { refusal: refusal('NO_LABELING_SPEC'), holds: (w) => w.labeling.udiElements.length > 0 },
  { refusal: refusal('NO_GTIN'), holds: (w) => !w.labeling.udiElements.includes('01') || !!w.item.gtin },
];
const labelsPrinted: Precondition<W> = { refusal: refusal('NO_LABELS_PRINTED'), holds: (w) => w.labels.printed > 0 };

/** The open deviations this user may close (not those of steps they performed). */
const closableDeviations = (w: W, u: SessionUser) =>
  w.deviations.filter((d) => d.status === 'open' && performerOf(w, d.id) !== u.id).map((d) => ({ deviationId: d.id }));
function openDeviation(w: W, id: unknown) {
  const dev = w.deviations.find((d) => d.id === id);
  if (!dev) throw errors.notFound('deviation');
  if (dev.status !== 'open') throw E.DEVIATION_CLOSED({ number: dev.number });
  return dev;
}

/** ISO 13485:2016 7.3.9: a change that decided "hold" for this order stops its steps and its completion. */
async function heldBlocker(s: Services, w: W): Promise<Blocker | null> {
  const c = await workOrderHeldBy(s, w.id);
  if (!c) return null;
  const { code, en, zh } = refusal('WORK_ORDER_HELD_BY_CHANGE', { change: c.number });
  return { code, en, zh, link: { route: 'change', id: c.id } };
}
type BlockedBy = NonNullable<Lifecycle<W>['transitions'][number]['blockedBy']>;
const orHeld =
  (check?: BlockedBy): BlockedBy =>
  async (s, w, u, target) =>
    (await heldBlocker(s, w)) ?? (check ? check(s, w, u, target) : null);
const unlessHeld =
  <P>(prepare: (c: CommandContext<W>) => P | Promise<P>) =>
  async (c: CommandContext<W>) => {
    const held = await workOrderHeldBy(c.s, c.state.id);
    if (held) throw E.WORK_ORDER_HELD_BY_CHANGE({ change: held.number }, { change: held.number });
    return prepare(c);
  };

export const workOrderLifecycle: Lifecycle<W> = {
  record: 'workorder',
  initial: 'planned',
  states: ['planned', 'released', 'in_progress', 'completed', 'closed', 'cancelled'],
  final: ['closed', 'cancelled'],
  transitions: [
    {
      name: 'release',
      from: ['planned'],
      to: 'released',
      permission: 'production.release',
      signature: { meaning: SIGNED_ACTIONS.release },
      event: () => proposal('release'),
    },
    {
      name: 'cancel',
      from: ['planned'],
      to: 'cancelled',
      permission: 'production.plan',
      needsReason: true,
      event: (_w, _p, c) => productionEvents.change('workorder.cancelled', {}, c.input.reason),
    },
    {
      // the lot gives the material first (allocate: after every refusal, before the order records it), as it always has
      name: 'issue',
      from: RUNNING,
      permission: 'inventory.issue',
      needsValues: true,
      prepare: prepareIssue,
      allocate: issueFromLot,
      event: (_w, plan) => issueEvent(plan),
    },
    {
      name: 'print_labels',
      from: [...RUNNING, 'completed'],
      permission: 'labels.print',
      needsValues: true,
      preconditions: labelable,
      event: (w, _p, c) => printEvent(w, c),
    },
    {
      name: 'reconcile_labels',
      from: ['in_progress', 'completed'],
      permission: 'labels.print',
      needsValues: true,
      preconditions: [labelsPrinted],
      prepare: prepareLabelReconciliation,
      event: (w, r) => labelReconciliationEvent(w, r),
    },
    {
      name: 'reconcile_materials',
      from: ['in_progress', 'completed'],
      permission: 'production.plan',
      needsValues: true,
      event: (w, _p, c) => reconciliationEvent(w, c),
    },
    {
      name: 'complete',
      from: ['in_progress'],
      to: 'completed',
      permission: 'production.plan',
      needsValues: true,
      preconditions: [stepsDone],
      blockedBy: orHeld(),
      prepare: unlessHeld(prepareCompletion),
      event: (_w, plan) => completionEvent(plan),
      after: createOutputLots,
    },
    {
      name: 'perform',
      from: RUNNING,
      to: 'in_progress',
      permission: 'production.execute',
      signature: { meaning: SIGNED_ACTIONS.perform, personal: true },
      needsValues: true,
      targets: (w) => nextTarget(w, 'pending'),
      blockedBy: orHeld(performBlocker),
      prepare: unlessHeld(preparePerform),
      allocate: allocateDeviationNumbers,
      recheck: (w, plan: PerformPlan) => {
        mustBeNext(w, plan.seq, 'pending');
      },
      event: (_w, { seq, deviations, ...data }: PerformPlan) =>
        proposal('perform', { seq, data: { ...data, deviations } }),
    },
    {
      name: 'verify',
      from: RUNNING,
      permission: 'production.execute',
      signature: { meaning: SIGNED_ACTIONS.verify },
      separation: [notStepPerformer],
      targets: (w) => nextTarget(w, 'performed'),
      blockedBy: orHeld(trainingBlocker),
      prepare: unlessHeld(prepareVerify),
      recheck: (w, plan: { seq: number }) => {
        mustBeNext(w, plan.seq, 'performed');
      },
      event: (_w, plan: { seq: number }) => proposal('verify', { seq: plan.seq }),
    },
    {
      name: 'close_deviation',
      from: ['in_progress', 'completed'],
      permission: 'deviation.close',
      signature: { meaning: SIGNED_ACTIONS.close_deviation },
      needsValues: true,
      separation: [notDeviationPerformer],
      targets: closableDeviations,
      prepare: (c) => {
        openDeviation(c.state, c.input.deviationId);
        return {
          deviationId: c.input.deviationId as string,
          disposition: c.input.disposition as string,
          rationale: c.input.rationale as string,
        };
      },
      recheck: (w, plan: { deviationId: string }) => {
        openDeviation(w, plan.deviationId);
      },
      event: (_w, { deviationId, disposition, rationale }) =>
        proposal('close_deviation', { deviationId, data: { disposition, rationale } as ProposalData }, rationale),
    },
    {
      name: 'qa_release',
      from: ['completed'],
      to: 'closed',
      permission: 'production.qa_release',
      signature: { meaning: SIGNED_ACTIONS.qa_release },
      separation: notReleaser,
      preconditions: [dhrComplete],
      event: (_w, _p, c) => proposal('qa_release', {}, c.input.reason),
      after: (c, w) => releaseOutput(c, w),
    },
  ],
  stateOf: (w) => w.state,
  wrongState: (t, current, w) =>
    refusal(
      'WORK_ORDER_WRONG_STATE',
      { number: w.number, state: current ?? 'none', action: t.name },
      { state: current, action: t.name },
    ),
  // meanings are shared (release and close_deviation both sign "approved"): a signature completes the step its signer proposed
  signingAction: (w, meaning) =>
    w.pending && SIGNED_ACTIONS[w.pending.action] === meaning ? w.pending.action : undefined,
};
