import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { reviewEvents, type ReviewInputData, REVIEW_OUTPUTS } from './events.ts';
import { reviewLifecycle } from './review.lifecycle.ts';

// A management review (ISO 13485:2016 5.6): one stream `managementReview:<id>`. Planned for a
// review period; while planned its inputs (5.6.2 a–l) are read live; recording the meeting freezes
// them with the attendees, decisions and actions (5.6.3); top management approves it by signature;
// each action's owner completes it, and the next review reads the open ones as input i).
type Person = { id: string; name: string };
type Output = (typeof REVIEW_OUTPUTS)[number];
export interface ReviewAction {
  id: string;
  description: string;
  output: Output;
  owner: Person;
  due: string;
  status: 'open' | 'done';
  evidence: string | null;
  doneAt: string | null;
}
export interface ReviewState {
  id: string;
  number: string;
  title: string;
  periodFrom: string;
  periodTo: string;
  plannedDate: string;
  state: 'planned' | 'recorded' | 'approved';
  meeting: {
    date: string;
    attendees: Person[];
    discussion: string;
    decisions: Array<{ output: Output; text: string }>;
    recordedBy: Person;
    recordedAt: string;
  } | null;
  inputs: ReviewInputData[] | null;
  inputsAt: string | null;
  actions: ReviewAction[];
  openActionOwners: string[];
  approval: { by: string; byId: string; at: string; signatureId: string } | null;
  pending: { action: 'approve'; byId: string } | null;
  createdBy: Person;
  createdAt: string;
}
export type ReviewDoc = Projected<ReviewState>;

import { MANAGEMENT_REVIEWS } from './collections.ts';
import { decisionBy } from '../../records/principal.ts';
export { MANAGEMENT_REVIEWS };
declareIndexes(MANAGEMENT_REVIEWS, [
  { key: { periodTo: -1 }, name: 'period' },
  { key: { openActionOwners: 1 }, name: 'open_action_owners' },
]);

/** What the approval binds: the review as it stands, its frozen inputs included. */
const reviewContent = (s: ReviewState) => s;
const owners = (actions: ReviewAction[]) => [
  ...new Set(actions.filter((a) => a.status === 'open').map((a) => a.owner.id)),
];

function reduce(s: ReviewState | undefined, event: LedgerEvent): ReviewState {
  const e = reviewEvents.typed(event);
  if (e.type === 'review.planned')
    return {
      id: e.stream.slice('managementReview:'.length),
      ...e.data,
      state: 'planned',
      meeting: null,
      inputs: null,
      inputsAt: null,
      actions: [],
      openActionOwners: [],
      approval: null,
      pending: null,
      createdBy: { id: e.actor.id, name: e.actor.name },
      createdAt: e.at,
    };
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before review.planned`);
  switch (e.type) {
    case 'review.meetingRecorded': {
      const { inputs, inputsAt, actions, ...m } = e.data;
      const list: ReviewAction[] = actions.map((a) => ({ ...a, status: 'open', evidence: null, doneAt: null }));
      return {
        ...s,
        state: 'recorded',
        inputs,
        inputsAt,
        meeting: { ...m, recordedBy: { id: e.actor.id, name: e.actor.name }, recordedAt: e.at },
        actions: list,
        openActionOwners: owners(list),
      };
    }
    case 'review.actionCompleted': {
      const list = s.actions.map((a) =>
        a.id === e.data.actionId ? { ...a, status: 'done' as const, evidence: e.data.evidence, doneAt: e.at } : a,
      );
      return { ...s, actions: list, openActionOwners: owners(list) };
    }
    case 'review.signingProposed':
      return { ...s, pending: { action: 'approve', byId: e.actor.id } };
    case SIGNATURE_EVENT: {
      const sig = e.data;
      if (!s.pending || sig.signer?.id !== s.pending.byId || sig.meaning !== 'approved') return s;
      if (!signatureCounts(s, event, reviewContent)) return s;
      return {
        ...s,
        pending: null,
        state: 'approved',
        approval: decisionBy(sig),
      };
    }
    default:
      return s;
  }
}

export const managementReviewRecord = defineRecordType<ReviewState>({
  type: 'managementReview',
  collection: MANAGEMENT_REVIEWS,
  reduce,
  content: reviewContent,
  events: reviewEvents,
  lifecycle: reviewLifecycle,
  canRead: (user) => hasPermission(user, 'review.read'),
});
