import type { z } from 'zod';
import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import type { Projected } from '../../records/projector.ts';
import type { Change } from '../../records/ledgerOps.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts, type SignatureData } from '../../../../signatures/esign/seal.ts';
import { hasPermission } from '../../identity/roles.ts';
import { todayUtc } from '../../platform/dates.ts';
import {
  changeEvents,
  type ChangeItemData,
  type ChangeRefData,
  type ClassificationData,
  type ImpactData,
  type WO_DECISIONS,
} from './events.ts';
import { changeLifecycle } from './change.lifecycle.ts';

// A change request (ECO), stream `change:<id>` (ISO 13485:2016 7.3.9 design and development
// changes, 4.1.4 changes to the QMS processes): what it changes (document and DMR revisions,
// risk file rows, design elements), the impact assessment with the 7.3.9 questions, its
// classification, the change board's signatures, the decisions on work orders in progress and
// the implementation that makes every named revision effective on one date.
// draft → approval → approved → implemented | cancelled (a rejection returns it to draft).
import { CHANGE_STATES, CHANGES } from './collections.ts';
import { delegateOf, principalOf } from '../../records/principal.ts';
export { CHANGE_STATES, CHANGES };
export type ChangeStateName = (typeof CHANGE_STATES)[number];
export type ChangeItem = z.output<typeof ChangeItemData>;
export type ChangeRef = z.output<typeof ChangeRefData>;
export type Impact = z.output<typeof ImpactData>;
export type Classification = z.output<typeof ClassificationData>;
export type WoDecision = (typeof WO_DECISIONS)[number];

export interface BoardDecision {
  userId: string;
  name: string;
  decision: string;
  at: string;
  iteration: number;
  signatureId: string;
  reason?: string;
}
export interface WorkOrderDecision {
  workOrderId: string;
  number: string;
  dmrId: string;
  revision: string;
  decision: WoDecision;
  note: string;
  by: { id: string; name: string };
  at: string;
}
export interface ChangeState {
  id: string;
  number: string;
  title: { zh: string; en: string };
  reason: string;
  requester: { id: string; name: string };
  createdAt: string;
  items: ChangeItem[];
  refs: ChangeRef[];
  capaId: string | null;
  impact: Impact | null;
  classification: Classification | null;
  state: ChangeStateName;
  iteration: number;
  decisions: BoardDecision[];
  workOrderDecisions: WorkOrderDecision[];
  effectiveDate: string | null;
  implementedBy: { id: string; name: string } | null;
  cancelReason: string | null;
  lastSignature: { meaning: string; userId: string } | null;
  /** The effectiveness check, scheduled and then judged by signature (null: none scheduled). */
  effectiveness: EffectivenessCheck | null;
}
export interface EffectivenessCheck {
  dueDate: string;
  criteria: string;
  scheduledBy: { id: string; name: string };
  scheduledAt: string;
  result: 'effective' | 'not_effective' | null;
  evidence: string | null;
  checkedBy: { id: string; name: string } | null;
  checkedAt: string | null;
  signatureId: string | null;
}
export type ChangeDoc = Projected<ChangeState>;

/** The change board's rule: a minor change needs one approver, a major one two (never the requester). */
export const approvalsNeeded = (c: Pick<ChangeState, 'classification'>) =>
  c.classification?.class === 'major' ? 2 : 1;
export const currentDecisions = (c: ChangeState) => c.decisions.filter((d) => d.iteration === c.iteration);
const approvals = (c: ChangeState) => currentDecisions(c).filter((d) => d.decision === 'approved');

/** What the board and the implementer sign: what changes, the assessment and the classification. */
export const changeContent = (c: ChangeState) => ({
  number: c.number,
  title: c.title,
  reason: c.reason,
  iteration: c.iteration,
  items: c.items.map((i) => ({ kind: i.kind, id: i.id, revision: i.revision })),
  refs: c.refs.map((r) => ({ kind: r.kind, id: r.id, rowId: r.rowId ?? null })),
  capaId: c.capaId,
  impact: c.impact,
  classification: c.classification,
});

function reduce(s: ChangeState | undefined, event: LedgerEvent): ChangeState {
  const e = changeEvents.typed(event);
  if (e.type === 'change.opened') {
    const d = e.data;
    return {
      id: e.stream.slice('change:'.length),
      number: d.number,
      title: d.title,
      reason: d.reason,
      requester: d.requester,
      createdAt: e.at,
      items: d.items,
      refs: d.refs,
      capaId: d.capaId,
      impact: d.impact,
      classification: d.classification,
      state: 'draft',
      iteration: 1,
      decisions: [],
      workOrderDecisions: [],
      effectiveDate: null,
      implementedBy: null,
      cancelReason: null,
      lastSignature: null,
      effectiveness: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before change.opened`);
  switch (e.type) {
    case 'change.drafted':
      return { ...s, ...e.data };
    case 'change.submitted':
      return s.state === 'draft' ? { ...s, state: 'approval' } : s;
    case SIGNATURE_EVENT:
      return signatureCounts(s, event, changeContent) ? applySignature(s, e.data) : s;
    case 'change.approved':
      return s.state === 'approval' && approvals(s).length >= approvalsNeeded(s) ? { ...s, state: 'approved' } : s;
    case 'change.returnedToDraft':
      return currentDecisions(s).some((d) => d.decision === 'rejected')
        ? { ...s, state: 'draft', iteration: e.data.iteration }
        : s;
    case 'change.workOrderDecided': {
      const d: WorkOrderDecision = { ...e.data, by: { id: e.actor.id, name: e.actor.name }, at: e.at };
      return {
        ...s,
        workOrderDecisions: [...s.workOrderDecisions.filter((x) => x.workOrderId !== d.workOrderId), d],
      };
    }
    case 'change.implemented':
      if (s.state !== 'approved' || s.lastSignature?.meaning !== 'released') return s;
      return {
        ...s,
        state: 'implemented',
        effectiveDate: e.data.effectiveDate,
        implementedBy: { id: s.lastSignature.userId, name: e.actor.name },
      };
    case 'change.cancelled':
      return { ...s, state: 'cancelled', cancelReason: e.data.reason };
    case 'change.effectivenessScheduled':
      if (s.effectiveness) return s;
      return {
        ...s,
        effectiveness: {
          ...e.data,
          scheduledBy: { id: e.actor.id, name: e.actor.name },
          scheduledAt: e.at,
          result: null,
          evidence: null,
          checkedBy: null,
          checkedAt: null,
          signatureId: null,
        },
      };
    default:
      return s;
  }
}

function applySignature(s: ChangeState, sig: SignatureData): ChangeState {
  const by = principalOf(sig); // a delegate decides in the place of the person they sign for
  const next = { ...s, lastSignature: { meaning: sig.meaning, userId: by.id } };
  // after implementation a signature judges the scheduled effectiveness check: verified = effective
  if (s.state === 'implemented') {
    const check = s.effectiveness;
    if (!check || check.result || (sig.meaning !== 'verified' && sig.meaning !== 'rejected')) return next;
    const result = sig.meaning === 'verified' ? ('effective' as const) : ('not_effective' as const);
    return {
      ...next,
      effectiveness: {
        ...check,
        result,
        evidence: sig.reason ?? '',
        checkedBy: by,
        ...delegateOf(sig),
        checkedAt: sig.signedAt,
        signatureId: sig.signatureId,
      },
    };
  }
  if (sig.meaning !== 'approved' && sig.meaning !== 'rejected') return next;
  const decision: BoardDecision = {
    userId: by.id,
    name: by.name,
    decision: sig.meaning,
    at: sig.signedAt,
    iteration: s.iteration,
    signatureId: sig.signatureId,
    ...(sig.reason ? { reason: sig.reason } : {}),
    ...delegateOf(sig),
  };
  return { ...next, decisions: [...s.decisions, decision] };
}

/** The events a board or implementation signature completes, each only from the state it leaves. */
function afterSignature(s: ChangeState, meaning: string): Change[] {
  const change = changeEvents.change;
  if (meaning === 'approved' && s.state === 'approval' && approvals(s).length >= approvalsNeeded(s))
    return [change('change.approved', {})];
  if (meaning === 'rejected' && s.state === 'approval')
    return [change('change.returnedToDraft', { iteration: s.iteration + 1 })];
  if (meaning === 'released' && s.state === 'approved')
    return [change('change.implemented', { effectiveDate: todayUtc() })];
  return [];
}

export const changeRecord = defineRecordType<ChangeState>({
  type: 'change',
  collection: CHANGES,
  reduce,
  content: changeContent,
  author: (s) => s.requester.id,
  afterSignature,
  events: changeEvents,
  lifecycle: changeLifecycle,
  canRead: (user) => hasPermission(user, 'change.read'),
});
