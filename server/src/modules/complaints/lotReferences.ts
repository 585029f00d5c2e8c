import type { LotReferenceSource } from '../../records/contributions.ts';
import { openRecords, type DocOf } from '../../records/openRecords.ts';
import { complaints } from './service.ts';
import { complaintRecord } from './complaint.record.ts';

// The complaints whose device is this lot or serial unit (ISO 13485:2016 8.2.2, traceability 7.5.9).
export const complaintLotReferences: LotReferenceSource = {
  kind: 'complaint',
  async referencesTo(s, lotId) {
    // from the in-process index of every complaint (records/openRecords.ts): a lot page asks on every view
    const all = await openRecords<DocOf<typeof complaints>>(s, complaintRecord, 'all', () => true);
    const found = all
      .filter((c) => c.lotId === lotId)
      .sort((a, b) => b.receivedDate.localeCompare(a.receivedDate) || b.number.localeCompare(a.number))
      .slice(0, 200);
    return found.map((c) => ({
      id: c._id,
      number: c.number,
      status: c.status,
      summary: c.nature,
      link: { route: 'complaint', id: c._id },
    }));
  },
};
