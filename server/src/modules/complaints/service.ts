import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { streamOf } from '../../records/registry.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { yearlyNumber } from '../../records/ledgerOps.ts';
import type { CommandInput } from '../../records/lifecycle.ts';
import { COMPLAINTS, type ComplaintDoc } from './complaint.record.ts';
import { complaintEvents } from './events.ts';
import { lookUpDevice } from './udi.ts';
import type { ComplaintFilter, NewComplaint } from './schema.ts';

/**
 * Days from receipt within which a complaint should be closed (ISO 13485:2016 8.2.2 asks for
 * timely handling without a number; this is the product's default, shown as "due" and "overdue").
 * Reporting deadlines are separate clocks (modules/reporting).
 */
export const COMPLAINT_DAYS = 30;
export const complaints = (s: Services) => s.db.collection<ComplaintDoc>(COMPLAINTS);

export async function getComplaint(s: Services, id: string): Promise<ComplaintDoc> {
  const c = await complaints(s).findOne({ _id: id });
  if (!c) throw errors.notFound('complaint');
  return c;
}

/**
 * Records a received complaint: the device and UDI are looked up first (an unknown lot or device
 * writes nothing), the number is allocated last, then the record's first event. Not a lifecycle
 * action (there is no record yet); it runs as the user, so the number and the event carry them.
 */
export async function createComplaint(s: Services, user: SessionUser, n: NewComplaint) {
  const { _id } = await recordComplaint(s, user, n);
  return getComplaint(s, _id);
}

/**
 * The same record without reading it back: for another record's command that opens a complaint
 * (a service record's screening), whose writes are held until the command ends, so the new
 * complaint cannot be read yet.
 */
export function recordComplaint(s: Services, user: SessionUser, n: NewComplaint) {
  return asUser(user, async () => {
    if (n.awarenessDate < n.receivedDate)
      throw errors.validation('body.awarenessDate', {
        en: 'the awareness date is before the date received',
        zh: '知悉日期早于接收日期',
      });
    const found = await lookUpDevice(s, { lot: n.lot, itemId: n.itemId });
    const number = await yearlyNumber(s, 'CMP');
    const id = randomUUID();
    const received = complaintEvents.change('complaint.received', {
      number,
      ...found,
      receivedDate: n.receivedDate,
      awarenessDate: n.awarenessDate,
      due: addDays(n.receivedDate, COMPLAINT_DAYS),
      complainant: {
        name: n.complainant.name,
        address: n.complainant.address,
        phone: n.complainant.phone,
        email: n.complainant.email ?? '',
      },
      nature: n.nature,
      country: n.country.toUpperCase(),
      failedSpecifications: n.failedSpecifications,
      usedForTreatmentOrDiagnosis: n.usedForTreatmentOrDiagnosis,
      relationship: n.relationship,
      codes: { A: n.codes.A, E: n.codes.E ?? [], F: n.codes.F ?? [], G: n.codes.G ?? [] },
    });
    await s.ledger.append(streamOf('complaint', id), received.type, received.data, { expectedVersion: 0 });
    return { _id: id, number };
  });
}

export async function listComplaints(s: Services, f: ComplaintFilter) {
  const q: Record<string, unknown> = {};
  if (f.status) q.status = f.status;
  if (f.product) q['device.itemId'] = f.product;
  if (f.lot) q.lotId = f.lot;
  if (f.overdue === 'true') {
    q.due = { $lt: todayUtc() };
    if (!f.status) q.status = { $in: ['open', 'investigated'] };
  }
  // not overdue: closed, or due today or later (the complement of the above, never "everything")
  if (f.overdue === 'false') q.$or = [{ status: 'closed' }, { due: { $gte: todayUtc() } }];
  return complaints(s).find(q).sort({ receivedDate: -1, number: -1 }).limit(2000).toArray();
}

/** Any action of the complaint's lifecycle, through the one command path. */
export async function complaintAction(s: Services, user: SessionUser, id: string, action: string, input: CommandInput) {
  await getComplaint(s, id); // an unknown complaint is a 404 before anything else
  await runCommand(s, user, streamOf('complaint', id), action, input);
  return getComplaint(s, id);
}
