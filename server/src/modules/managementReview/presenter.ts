import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { ReviewDoc } from './review.record.ts';
import { reviewLifecycle } from './review.lifecycle.ts';
import { assembleInputs } from './inputs.ts';

// The only shapes of a management review that leave the server.
export function presentReviewRow(r: ReviewDoc, user: SessionUser) {
  return {
    id: r._id,
    number: r.number,
    title: r.title,
    periodFrom: r.periodFrom,
    periodTo: r.periodTo,
    plannedDate: r.plannedDate,
    meetingDate: r.meeting?.date ?? null,
    state: r.state,
    openActions: r.actions.filter((a) => a.status === 'open').length,
    version: r.ledgerVersion,
    actions: availableActions(reviewLifecycle, r, user),
  };
}

/** A review; while planned its inputs are read live (`inputsLive: true`), once recorded they are the frozen ones. */
export async function presentReview(s: Services, r: ReviewDoc, user: SessionUser) {
  const live = r.inputs === null;
  return {
    ...presentReviewRow(r, user),
    inputs: live ? await assembleInputs(s, { from: r.periodFrom, to: r.periodTo }, r._id) : r.inputs,
    inputsLive: live,
    inputsAt: r.inputsAt,
    meeting: r.meeting,
    reviewActions: r.actions,
    approval: r.approval,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    stream: `managementReview:${r._id}`,
  };
}
