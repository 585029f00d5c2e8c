import type { SessionUser } from '../../identity/sessionUser.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { CommandContext, Lifecycle, Precondition, Separation } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import type { ChangeState } from './change.record.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { errors } from '../../platform/errors.ts';
import { ChangeErrors as E } from './errors.ts';
import { changeEvents } from './events.ts';
import {
  affectedWorkOrders,
  checkImplementable,
  implementRevisions,
  planDecision,
  planDraft,
  type DecisionPlan,
  type DraftPlan,
} from './implementation.ts';

// The change request's lifecycle, declared once (ISO 13485:2016 7.3.9: changes reviewed,
// verified/validated as appropriate and approved before implementation; 4.1.4 changes to the QMS
// evaluated for their impact). The API's `actions`, the command path, the e-signature policy and
// GET /lifecycles/change all read this.

/** A change as its GET shows it: with the work orders in progress on the old DMR revisions still without a decision. */
export type ChangeView = ChangeState & { undecidedWorkOrders?: string[] };

const isBoard = (u: SessionUser) => hasPermission(u, 'change.approve');
const isRequesterOrBoard = (u: SessionUser, c: ChangeState) => u.id === c.requester.id || isBoard(u);

/** The board's separation rule: whoever asked for the change does not approve it (ISO 13485:2016 4.2.4, 7.3.9). */
const notRequester: Separation<ChangeState> = {
  rule: 'not_requester',
  refusal: refusal(E.CHANGE_SELF_APPROVAL()),
  violatedBy: (u, c) => u.id === c.requester.id,
};
const notDecided: Precondition<ChangeState> = {
  refusal: refusal(E.CHANGE_ALREADY_DECIDED()),
  holds: (c, u) => !c.decisions.some((d) => d.iteration === c.iteration && d.userId === u.id),
};
const complete: Precondition<ChangeState> = {
  refusal: refusal(E.CHANGE_INCOMPLETE()),
  holds: (c) => c.items.length + c.refs.length > 0 && !!c.impact && !!c.classification,
};
const workOrdersDecided: Precondition<ChangeView> = {
  refusal: refusal(E.WORK_ORDER_DECISION_MISSING({ numbers: '' })),
  holds: (c) => !c.undecidedWorkOrders?.length,
  details: (c) => ({ workOrders: c.undecidedWorkOrders ?? [] }),
};

// The effectiveness check (ISO 13485:2016 7.3.9 "evaluation of the effect of the changes", 8.5.2 f):
// scheduled by the board with a due date and criteria, then judged by someone other than the
// requester by signature — verified (effective) or rejected (not effective, with what was found).
const notScheduled: Precondition<ChangeView> = {
  refusal: refusal(E.CHANGE_EFFECTIVENESS_SCHEDULED()),
  holds: (c) => !c.effectiveness,
};
const checkOpen: Precondition<ChangeView> = {
  refusal: refusal(E.CHANGE_EFFECTIVENESS_NOT_DUE()),
  holds: (c) => !!c.effectiveness && !c.effectiveness.result,
};
const notRequesterJudge: Separation<ChangeState> = {
  rule: 'not_requester',
  refusal: refusal(E.CHANGE_EFFECTIVENESS_JUDGE_IS_REQUESTER()),
  violatedBy: (u, c) => u.id === c.requester.id,
};
function planEffectiveness(input: CommandContext<ChangeView>['input']) {
  const dueDate = typeof input.dueDate === 'string' ? input.dueDate : '';
  const criteria = typeof input.criteria === 'string' ? input.criteria.trim() : '';
  const today = todayUtc();
  if (!dueDate || dueDate < today || dueDate > addDays(today, 3 * 366))
    throw errors.validation('body.dueDate', {
      en: 'a due date from today to three years ahead',
      zh: '到期日须在今天至三年内',
    });
  if (!criteria)
    throw errors.validation('body.criteria', {
      en: 'say what will show the change worked',
      zh: '请说明以何证明变更有效',
    });
  return { dueDate, criteria };
}

export const changeLifecycle: Lifecycle<ChangeView> = {
  record: 'change',
  initial: 'draft',
  states: ['draft', 'approval', 'approved', 'implemented', 'cancelled'],
  final: ['implemented', 'cancelled'],
  transitions: [
    {
      // what it changes and the impact assessment; every named record is checked before anything is written
      name: 'edit',
      from: ['draft'],
      permission: 'change.write',
      who: isRequesterOrBoard,
      whoRefusal: refusal(E.CHANGE_NOT_YOURS()),
      needsValues: true,
      prepare: (c: CommandContext<ChangeView>) => planDraft(c.s, c.id, c.input),
      event: (_c, plan: DraftPlan) => changeEvents.change('change.drafted', plan),
    },
    {
      name: 'submit',
      from: ['draft'],
      to: 'approval',
      permission: 'change.write',
      who: isRequesterOrBoard,
      whoRefusal: refusal(E.CHANGE_NOT_YOURS()),
      preconditions: [complete],
      event: () => changeEvents.change('change.submitted', {}),
    },
    {
      // the change board: minor needs one approver, major two, none of them the requester
      name: 'approve',
      from: ['approval'],
      to: 'approved',
      permission: 'change.approve',
      signature: { meaning: 'approved' },
      separation: [notRequester],
      preconditions: [notDecided],
    },
    {
      name: 'reject',
      from: ['approval'],
      to: 'draft',
      permission: 'change.approve',
      signature: { meaning: 'rejected' },
      separation: [notRequester],
      needsReason: true,
      preconditions: [notDecided],
    },
    {
      // each work order in progress on an old DMR revision: finish on the old revision, rework, or hold
      name: 'decide_work_order',
      from: ['draft', 'approval', 'approved'],
      permission: 'change.write',
      needsValues: true,
      targets: (c) => (c.undecidedWorkOrders ?? []).map((workOrderId) => ({ workOrderId })),
      prepare: (c: CommandContext<ChangeView>) => planDecision(c.s, c.state, c.input),
      event: (_c, plan: DecisionPlan) => changeEvents.change('change.workOrderDecided', plan),
    },
    {
      // every named revision becomes effective on one date, through its own release (all checked first)
      name: 'implement',
      from: ['approved'],
      to: 'implemented',
      permission: 'change.approve',
      signature: { meaning: 'released' },
      preconditions: [workOrdersDecided],
      prepare: async (c: CommandContext<ChangeView>) => {
        const undecided = (await affectedWorkOrders(c.s, c.state)).filter(
          (w) => !c.state.workOrderDecisions.some((d) => d.workOrderId === w._id),
        );
        if (undecided.length)
          throw E.WORK_ORDER_DECISION_MISSING(
            { numbers: undecided.map((w) => w.number).join(', ') },
            { workOrders: undecided.map((w) => w._id) },
          );
        await checkImplementable(c.s, c.user, c.state);
      },
      after: async (c, result) => {
        if (result.state === 'implemented') await implementRevisions(c.s, c.user, result, c.input);
      },
    },
    {
      name: 'schedule_effectiveness_check',
      from: ['approved', 'implemented'],
      permission: 'change.approve',
      needsValues: true,
      preconditions: [notScheduled],
      prepare: (c: CommandContext<ChangeView>) => planEffectiveness(c.input),
      event: (_c, plan: { dueDate: string; criteria: string }) =>
        changeEvents.change('change.effectivenessScheduled', plan),
    },
    {
      name: 'confirm_effective',
      from: ['implemented'],
      permission: 'change.approve',
      signature: { meaning: 'verified' },
      separation: [notRequesterJudge],
      needsReason: true,
      preconditions: [checkOpen],
    },
    {
      name: 'find_not_effective',
      from: ['implemented'],
      permission: 'change.approve',
      signature: { meaning: 'rejected' },
      separation: [notRequesterJudge],
      needsReason: true,
      preconditions: [checkOpen],
    },
    {
      name: 'cancel',
      from: ['draft', 'approval', 'approved'],
      to: 'cancelled',
      permission: 'change.write',
      who: isRequesterOrBoard,
      whoRefusal: refusal(E.CHANGE_NOT_YOURS()),
      needsReason: true,
      event: (_c, _p, ctx) => changeEvents.change('change.cancelled', { reason: String(ctx.input.reason ?? '') }),
    },
  ],
  stateOf: (c) => c.state,
  author: (c) => c.requester.id,
  wrongState: (t) => {
    if (t.name === 'edit' || t.name === 'submit') return refusal(E.CHANGE_NOT_DRAFT());
    if (t.name === 'approve' || t.name === 'reject') return refusal(E.CHANGE_NOT_IN_APPROVAL());
    if (t.name === 'implement') return refusal(E.CHANGE_NOT_APPROVED());
    if (t.name === 'confirm_effective' || t.name === 'find_not_effective' || t.name === 'schedule_effectiveness_check')
      return refusal(E.CHANGE_NOT_IMPLEMENTED());
    return refusal(E.CHANGE_CLOSED());
  },
  // "rejected" is the board's (in approval) and the effectiveness judgement's (once implemented)
  signingAction: (c, meaning) =>
    c.state === 'implemented' && meaning === 'rejected' ? 'find_not_effective' : undefined,
};
