import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { hasPermission } from '../../identity/roles.ts';
import { complaintEvents, RELATIONSHIPS, SIGNED_STEPS, YES_NO_UNKNOWN } from './events.ts';
import { complaintLifecycle, STEP_MEANING } from './complaint.lifecycle.ts';
import { decisionBy } from '../../records/principal.ts';

// A complaint (stream `complaint:<id>`): the record QMSR 21 CFR 820.35(a) asks for (device, UDI,
// date received, complainant, nature, correction, reply) with the facts ISO 13485:2016 8.2.2 and
// the vigilance forms need (awareness date, country, failed its specification, used for treatment
// or diagnosis, relationship to the event, IMDRF codes). Open → investigated (an investigation, or
// a recorded reason why none is needed, signed) → closed (QA's signature). Who may do what:
// complaint.lifecycle.ts (the one declaration).
export type ComplaintStatus = 'open' | 'investigated' | 'closed';
type YesNo = (typeof YES_NO_UNKNOWN)[number];
type Step = (typeof SIGNED_STEPS)[number];
interface Signed {
  by: string;
  byId: string;
  at: string;
  signatureId: string;
}
export interface ComplaintState {
  id: string;
  number: string;
  status: ComplaintStatus;
  device: { itemId: string; partNumber: string; name: { zh: string; en: string } };
  udi: {
    di: string | null;
    lot: string | null;
    serial: string | null;
    expiryDate: string | null;
    mfgDate: string | null;
    hri: string | null;
  };
  lotId: string | null;
  workOrderId: string | null;
  receivedDate: string;
  awarenessDate: string;
  due: string;
  complainant: { name: string; address: string; phone: string; email: string };
  nature: string;
  country: string;
  failedSpecifications: YesNo;
  usedForTreatmentOrDiagnosis: YesNo;
  relationship: (typeof RELATIONSHIPS)[number];
  codes: { A: string[]; E: string[]; F: string[]; G: string[] };
  correction: string | null;
  reply: string | null;
  replyDate: string | null;
  ncId: string | null;
  capaId: string | null;
  createdAt: string;
  createdBy: { id: string; name: string };
  pending: {
    step: Step;
    byId: string;
    by: string;
    findings: string | null;
    rationale: string | null;
    date: string;
    codes: { B: string[]; C: string[]; D: string[]; G: string[] } | null;
  } | null;
  investigation: {
    investigated: boolean;
    findings: string | null;
    rationale: string | null;
    date: string;
    codes: { B: string[]; C: string[]; D: string[]; G: string[] } | null;
    signed: Signed;
  } | null;
  closure: Signed | null;
  signatures: Array<Signed & { meaning: string }>;
}
export type ComplaintDoc = Projected<ComplaintState>;

export const COMPLAINTS = 'complaints';
declareIndexes(COMPLAINTS, [
  { key: { status: 1, due: 1 }, name: 'status_due' },
  { key: { 'device.itemId': 1 }, name: 'device' },
  { key: { lotId: 1 }, name: 'lot' },
]);

/** What a signature binds: the record with its pending step, never the signatures themselves. */
const complaintContent = ({ signatures: _s, ...rest }: ComplaintState) => rest;

function reduce(s: ComplaintState | undefined, event: LedgerEvent): ComplaintState {
  const e = complaintEvents.typed(event);
  if (e.type === 'complaint.received') {
    const d = e.data;
    return {
      id: e.stream.slice('complaint:'.length),
      number: d.number,
      status: 'open',
      device: d.device,
      udi: d.udi,
      lotId: d.lotId,
      workOrderId: d.workOrderId,
      receivedDate: d.receivedDate,
      awarenessDate: d.awarenessDate,
      due: d.due,
      complainant: d.complainant,
      nature: d.nature,
      country: d.country,
      failedSpecifications: d.failedSpecifications,
      usedForTreatmentOrDiagnosis: d.usedForTreatmentOrDiagnosis,
      relationship: d.relationship,
      codes: d.codes,
      correction: null,
      reply: null,
      replyDate: null,
      ncId: null,
      capaId: null,
      createdAt: e.at,
      createdBy: { id: e.actor.id, name: e.actor.name },
      pending: null,
      investigation: null,
      closure: null,
      signatures: [],
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before complaint.received`);
  switch (e.type) {
    case 'complaint.responseRecorded':
      return { ...s, ...e.data };
    case 'complaint.ncLinked':
      return { ...s, ncId: e.data.ncId };
    case 'complaint.capaLinked':
      return { ...s, capaId: e.data.capaId };
    case 'complaint.stepProposed':
      return { ...s, pending: { ...e.data, byId: e.actor.id, by: e.actor.name } };
    case SIGNATURE_EVENT: {
      // a signature that does not verify (copied, forged, over other content) counts for nothing
      if (!signatureCounts(s, event, complaintContent)) return s;
      const signed: Signed = decisionBy(e.data);
      const next = { ...s, signatures: [...s.signatures, { ...signed, meaning: e.data.meaning }] };
      const p = s.pending;
      // only the proposer's signature with the step's meaning completes the step
      if (!p || p.byId !== e.data.signer.id || STEP_MEANING[p.step] !== e.data.meaning) return next;
      if (p.step === 'close') return { ...next, pending: null, status: 'closed', closure: signed };
      const investigation = {
        investigated: p.step === 'investigate',
        findings: p.findings,
        rationale: p.rationale,
        date: p.date,
        codes: p.codes,
        signed,
      };
      return { ...next, pending: null, status: 'investigated', investigation };
    }
  }
  return s;
}

export const complaintRecord = defineRecordType<ComplaintState>({
  type: 'complaint',
  collection: COMPLAINTS,
  reduce,
  content: complaintContent,
  events: complaintEvents,
  lifecycle: complaintLifecycle,
  canRead: (user) => hasPermission(user, 'records.read'),
});
