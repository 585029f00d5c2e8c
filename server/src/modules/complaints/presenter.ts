import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import { todayUtc } from '../../platform/dates.ts';
import type { ComplaintDoc } from './complaint.record.ts';
import { complaintLifecycle } from './complaint.lifecycle.ts';

// The only shapes of a complaint that leave the server.
const overdue = (c: ComplaintDoc) => c.status !== 'closed' && c.due < todayUtc();

/** One row of the complaint list, with what this user may do on it now. */
export function presentComplaintRow(c: ComplaintDoc, user: SessionUser) {
  return {
    id: c._id,
    number: c.number,
    status: c.status,
    device: c.device,
    udi: c.udi,
    receivedDate: c.receivedDate,
    awarenessDate: c.awarenessDate,
    due: c.due,
    overdue: overdue(c),
    country: c.country,
    complainant: c.complainant.name,
    codesA: c.codes.A,
    stream: `complaint:${c._id}`,
    version: c.ledgerVersion,
    actions: availableActions(complaintLifecycle, c, user),
  };
}

/** One complaint in full: the 820.35(a) record, its links in the quality loop, its signed steps. */
export function presentComplaint(c: ComplaintDoc, user: SessionUser) {
  return {
    ...presentComplaintRow(c, user),
    lotId: c.lotId,
    workOrderId: c.workOrderId, // the DHR of the lot (GET /work-orders/:id/dhr)
    complainant: c.complainant,
    nature: c.nature,
    failedSpecifications: c.failedSpecifications,
    usedForTreatmentOrDiagnosis: c.usedForTreatmentOrDiagnosis,
    relationship: c.relationship,
    codes: c.codes,
    correction: c.correction,
    reply: c.reply,
    replyDate: c.replyDate,
    ncId: c.ncId,
    capaId: c.capaId,
    createdAt: c.createdAt,
    createdBy: c.createdBy,
    pending: c.pending ? { step: c.pending.step, by: c.pending.by } : null,
    investigation: c.investigation,
    closure: c.closure,
    signatures: c.signatures,
  };
}
