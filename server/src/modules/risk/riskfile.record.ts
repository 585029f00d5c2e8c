import type { z } from 'zod';
import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { riskFileEvents, type FmeaRowData, type HazardRowData } from './events.ts';
import type { Person } from './plan.record.ts';
import { riskFileLifecycle } from './riskfile.lifecycle.ts';

// The risk management file of one device (ISO 14971:2019 4.5), stream `riskfile:<itemId>`: the
// hazard analysis rows (5.4–5.5, the Annex C chain hazard → sequence of events → hazardous
// situation → harm), their risk controls (7.1–7.2), residual risk (7.3) and benefit-risk
// analysis (7.4); the process FMEA over the DMR's routing steps; the overall residual risk
// evaluation (8) and the review (9), approved by signature. Zones are never stored: every read
// judges the estimates against the device's approved plan (policy.ts).
export type HazardRow = z.output<typeof HazardRowData>;
export type FmeaRow = z.output<typeof FmeaRowData>;
export interface Evaluation {
  planRevision: number;
  overallResidualRisk: string;
  overallAcceptable: boolean;
  review: string;
  by: Person;
}
export interface RiskFileState {
  id: string;
  itemId: string;
  item: { id: string; partNumber: string; name: { zh: string; en: string } };
  author: Person;
  /** Everyone who wrote rows of the file: none of them approves it. */
  editors: string[];
  rows: HazardRow[];
  fmea: FmeaRow[];
  status: 'draft' | 'approved';
  evaluation: Evaluation | null;
  approval: { by: Person; at: string; signatureId: string; planRevision: number } | null;
  /** Complaints linked to hazard rows (ISO 14971:2019 10): never part of the signed content. */
  complaintLinks: ComplaintLink[];
  createdAt: string;
}
export interface ComplaintLink {
  complaintId: string;
  complaintNumber: string;
  hazardRowId: string;
  reason: string;
  by: Person;
  at: string;
}
export type RiskFileDoc = Projected<RiskFileState>;

import { RISK_FILES } from './collections.ts';
import { delegateOf, principalOf } from '../../records/principal.ts';
export { RISK_FILES };
declareIndexes(RISK_FILES, [{ key: { itemId: 1 }, name: 'itemId' }]);

/** What the approval signs: the rows, the pFMEA and the evaluation (never the signatures). */
const fileContent = (s: RiskFileState) => ({ itemId: s.itemId, rows: s.rows, fmea: s.fmea, evaluation: s.evaluation });

const upsert = <T extends { id: string }>(list: T[], row: T) =>
  list.some((r) => r.id === row.id) ? list.map((r) => (r.id === row.id ? row : r)) : [...list, row];
const withEditor = (s: RiskFileState, id: string) => (s.editors.includes(id) ? s.editors : [...s.editors, id]);

function reduce(s: RiskFileState | undefined, event: LedgerEvent): RiskFileState {
  const e = riskFileEvents.typed(event);
  if (e.type === 'riskfile.created')
    return {
      id: e.data.item.id,
      itemId: e.data.item.id,
      item: e.data.item,
      author: { id: e.actor.id, name: e.actor.name },
      editors: [e.actor.id],
      rows: [],
      fmea: [],
      status: 'draft',
      evaluation: null,
      approval: null,
      complaintLinks: [],
      createdAt: e.at,
    };
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before riskfile.created`);
  switch (e.type) {
    case 'riskfile.rowSaved':
      return { ...s, rows: upsert(s.rows, e.data.row), editors: withEditor(s, e.actor.id), evaluation: null };
    case 'riskfile.fmeaSaved':
      return { ...s, fmea: upsert(s.fmea, e.data.row), editors: withEditor(s, e.actor.id), evaluation: null };
    case 'riskfile.evaluationProposed':
      return { ...s, evaluation: { ...e.data, by: { id: e.actor.id, name: e.actor.name } } };
    case 'riskfile.reopened':
      return { ...s, status: 'draft' };
    case 'riskfile.complaintLinked':
      // post-production feedback: the rows, the editors, the evaluation and the status are untouched
      return {
        ...s,
        complaintLinks: [
          ...(s.complaintLinks ?? []),
          { ...e.data, reason: e.reason ?? '', by: { id: e.actor.id, name: e.actor.name }, at: e.at },
        ],
      };
    case SIGNATURE_EVENT:
      if (
        e.data.meaning === 'approved' &&
        s.status === 'draft' &&
        s.evaluation &&
        e.data.signer.id === s.evaluation.by.id &&
        signatureCounts(s, event, fileContent)
      )
        return {
          ...s,
          status: 'approved',
          approval: {
            by: principalOf(e.data),
            ...delegateOf(e.data),
            at: e.data.signedAt,
            signatureId: e.data.signatureId,
            planRevision: s.evaluation.planRevision,
          },
        };
      return s;
  }
  return s;
}

export const riskFileRecord = defineRecordType<RiskFileState>({
  type: 'riskfile',
  collection: RISK_FILES,
  reduce,
  content: fileContent,
  events: riskFileEvents,
  lifecycle: riskFileLifecycle,
  canRead: (user) => hasPermission(user, 'risk.read'),
});
