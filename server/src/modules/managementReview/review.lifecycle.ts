import type { CommandContext, Lifecycle, Separation } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { usersCollection } from '../../identity/userService.ts';
import { todayUtc } from '../../platform/dates.ts';
import { errors } from '../../platform/errors.ts';
import { ReviewErrors as E } from './errors.ts';
import { reviewEvents, type REVIEW_OUTPUTS } from './events.ts';
import type { ReviewState } from './review.record.ts';
import { assembleInputs } from './inputs.ts';
import { nowIso } from '../../platform/clock.ts';

// The management review lifecycle, declared once (ISO 13485:2016 5.6):
//   planned --record_meeting(review.manage): the inputs of 5.6.2 assembled from the live records of
//   the period and frozen, the attendees, the decisions and actions of 5.6.3--> recorded
//   --approve(review.approve, not whoever recorded the meeting, signed "approved")--> approved
//   complete_action: each action's owner, with its evidence (recorded or approved).
// The API's `actions`, the command path, the e-signature policy and GET /lifecycles/managementReview read this.
type R = ReviewState;
type Output = (typeof REVIEW_OUTPUTS)[number];
type Meeting = {
  date: string;
  attendees: string[];
  discussion: string;
  decisions: Array<{ output: Output; text: string }>;
  actions: Array<{ description: string; output: Output; owner: string; due: string }>;
};
const input = <T>(c: CommandContext<R>) => c.input as unknown as T;

// separation of duties (ISO 13485:2016 4.2.5, 5.6.1): the record of the meeting is approved by
// someone other than whoever wrote it
const notRecorder: Separation<R> = {
  rule: 'not_recorder',
  refusal: refusal(E.REVIEW_RECORDER_CANNOT_APPROVE()),
  violatedBy: (u, r) => r.meeting?.recordedBy.id === u.id,
};

function openAction(r: R, userId: string, actionId: unknown) {
  const a = r.actions.find((x) => x.id === actionId);
  if (!a) throw errors.notFound('review action');
  if (a.owner.id !== userId) throw E.REVIEW_NOT_ACTION_OWNER();
  if (a.status !== 'open') throw E.REVIEW_ACTION_DONE();
  return a;
}

export const reviewLifecycle: Lifecycle<R> = {
  record: 'managementReview',
  initial: 'planned',
  states: ['planned', 'recorded', 'approved'],
  final: ['approved'],
  transitions: [
    {
      name: 'record_meeting',
      from: ['planned'],
      to: 'recorded',
      permission: 'review.manage',
      needsValues: true,
      prepare: async (c) => {
        const m = input<Meeting>(c);
        if (m.date < c.state.periodFrom || m.date > todayUtc()) throw E.REVIEW_MEETING_DATE();
        const ids = [...new Set([...m.attendees, ...m.actions.map((a) => a.owner)])];
        const found = await usersCollection(c.s)
          .find({ _id: { $in: ids }, status: { $ne: 'disabled' } })
          .toArray();
        const byId = new Map(found.map((u) => [u._id, { id: u._id, name: u.fullName }]));
        const missing = ids.find((id) => !byId.has(id));
        if (missing) throw E.REVIEW_PERSON_INACTIVE({ user: missing });
        const inputsAt = nowIso();
        const inputs = await assembleInputs(c.s, { from: c.state.periodFrom, to: c.state.periodTo }, c.id);
        return { byId, inputs, inputsAt };
      },
      event: (_r, plan: { byId: Map<string, { id: string; name: string }>; inputs: never; inputsAt: string }, c) => {
        const m = input<Meeting>(c);
        return reviewEvents.change('review.meetingRecorded', {
          date: m.date,
          attendees: [...new Set(m.attendees)].map((id) => plan.byId.get(id)!),
          inputs: plan.inputs,
          inputsAt: plan.inputsAt,
          discussion: m.discussion,
          decisions: m.decisions,
          actions: m.actions.map((a, i) => ({
            id: `A${i + 1}`,
            description: a.description,
            output: a.output,
            owner: plan.byId.get(a.owner)!,
            due: a.due,
          })),
        });
      },
    },
    {
      name: 'approve',
      from: ['recorded'],
      to: 'approved',
      permission: 'review.approve',
      separation: [notRecorder],
      signature: { meaning: 'approved' },
      event: () => reviewEvents.change('review.signingProposed', { action: 'approve' }),
    },
    {
      name: 'complete_action',
      from: ['recorded', 'approved'],
      needsValues: true,
      who: (u, r) => r.actions.some((a) => a.status === 'open' && a.owner.id === u.id),
      whoRefusal: refusal(E.REVIEW_NOT_ACTION_OWNER()),
      targets: (r, u) =>
        r.actions.filter((a) => a.status === 'open' && a.owner.id === u.id).map((a) => ({ actionId: a.id })),
      prepare: (c) => void openAction(c.state, c.user.id, c.input.actionId),
      event: (r, _p, c) => {
        const a = openAction(r, c.user.id, c.input.actionId);
        return reviewEvents.change('review.actionCompleted', { actionId: a.id, evidence: String(c.input.evidence) });
      },
    },
  ],
  stateOf: (r) => r.state,
  wrongState: (t, current) =>
    refusal(E.REVIEW_WRONG_STATE({ action: t.name.replace(/_/g, ' '), state: current ?? '-' })),
  signingAction: (r) => r.pending?.action ?? 'nothing_pending',
};
