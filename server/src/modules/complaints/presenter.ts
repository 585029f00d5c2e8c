import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import { todayUtc } from '../../platform/dates.ts';
import type { Services } from '../../platform/services.ts';
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

/** What the complaint's page reads of a risk file (read by collection name: the risk module links complaints, never the reverse). */
interface LinkedRiskFile {
  _id: string;
  item: { id: string; partNumber: string; name: { zh: string; en: string } };
  rows: Array<{ id: string; hazard: string; harm: string }>;
  complaintLinks: Array<{
    complaintId: string;
    hazardRowId: string;
    reason: string;
    by: { id: string; name: string };
    at: string;
  }>;
}

/** The hazard rows of risk files this complaint is linked to (ISO 14971:2019 10, post-production information). */
export async function hazardLinksOfComplaint(s: Services, complaintId: string) {
  const files = await s.db
    .collection<LinkedRiskFile>('riskfiles')
    .find({ 'complaintLinks.complaintId': complaintId })
    .limit(100)
    .toArray();
  return files.flatMap((f) =>
    f.complaintLinks
      .filter((l) => l.complaintId === complaintId)
      .map((l) => {
        const row = f.rows.find((r) => r.id === l.hazardRowId);
        return {
          fileId: f._id,
          item: f.item,
          hazardRowId: l.hazardRowId,
          hazard: row?.hazard ?? '',
          harm: row?.harm ?? '',
          reason: l.reason,
          by: l.by,
          at: l.at,
        };
      }),
  );
}
