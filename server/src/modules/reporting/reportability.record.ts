import type { z } from 'zod';
import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import type { Projected } from '../../records/projector.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { hasPermission } from '../../identity/roles.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import type { Facts } from './facts.ts';
import { reportabilityEvents, type DecidedData } from './events.ts';
import { reportabilityLifecycle } from './reportability.lifecycle.ts';

// A reportability decision (stream `reportability:<id>`): one subject (a complaint) in one
// jurisdiction. Opened with the event's facts and the awareness date; decided yes or no with a
// rationale, signed "approved" by the deciding person; a "yes" starts the clock (due date computed
// from the jurisdiction's rules when the decision is made, and kept); the submission is recorded.
export type Decision = z.output<typeof DecidedData>;
export interface ReportabilityState {
  id: string;
  complaintId: string;
  jurisdiction: string;
  awareAt: string;
  facts: Facts;
  /** The decision whose submitted report this one supplements (21 CFR 803.56), or null. */
  supplementOf: string | null;
  status: 'open' | 'reportable' | 'not_reportable' | 'submitted';
  openedAt: string;
  openedBy: { id: string; name: string };
  /** The decision proposed and awaiting its signature (the signature binds it). */
  proposal: (Decision & { by: { id: string; name: string } }) | null;
  decision: (Decision & { by: { id: string; name: string }; at: string; signatureId: string }) | null;
  submission: { submittedOn: string; reference: string; by: { id: string; name: string }; at: string } | null;
}
export type ReportabilityDoc = Projected<ReportabilityState>;

export const REPORTABILITY = 'reportability';
declareIndexes(REPORTABILITY, [
  { key: { complaintId: 1 }, name: 'complaint' },
  { key: { status: 1 }, name: 'status' },
]);

/** What the decider signs: the subject, the facts and the proposed decision with its clock. */
const content = (s: ReportabilityState) => ({
  id: s.id,
  complaintId: s.complaintId,
  jurisdiction: s.jurisdiction,
  awareAt: s.awareAt,
  facts: s.facts,
  proposal: s.proposal,
});

function reduce(s: ReportabilityState | undefined, event: LedgerEvent): ReportabilityState {
  const e = reportabilityEvents.typed(event);
  if (e.type === 'reportability.opened') {
    return {
      id: e.stream.slice('reportability:'.length),
      ...e.data,
      supplementOf: e.data.supplementOf ?? null,
      status: 'open',
      openedAt: e.at,
      openedBy: { id: e.actor.id, name: e.actor.name },
      proposal: null,
      decision: null,
      submission: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before reportability.opened`);
  switch (e.type) {
    case 'reportability.decided':
      return s.status === 'open' ? { ...s, proposal: { ...e.data, by: { id: e.actor.id, name: e.actor.name } } } : s;
    case SIGNATURE_EVENT: {
      const p = s.proposal;
      // only the proposer's own "approved" signature over the proposal, verified, decides
      if (
        s.status !== 'open' ||
        !p ||
        e.data.meaning !== 'approved' ||
        e.data.signer?.id !== p.by.id ||
        !signatureCounts(s, event, content)
      )
        return s;
      return {
        ...s,
        status: p.reportable ? 'reportable' : 'not_reportable',
        proposal: null,
        decision: { ...p, at: e.data.signedAt, signatureId: e.data.signatureId },
      };
    }
    case 'reportability.submitted':
      return s.status === 'reportable'
        ? { ...s, status: 'submitted', submission: { ...e.data, by: { id: e.actor.id, name: e.actor.name }, at: e.at } }
        : s;
    default:
      return s;
  }
}

export const reportabilityRecord = defineRecordType<ReportabilityState>({
  type: 'reportability',
  collection: REPORTABILITY,
  reduce,
  content,
  events: reportabilityEvents,
  lifecycle: reportabilityLifecycle,
  canRead: (user) => hasPermission(user, 'records.read'),
});
