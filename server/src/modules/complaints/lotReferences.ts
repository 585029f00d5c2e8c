import type { LotReferenceSource } from '../../records/contributions.ts';
import { complaints } from './service.ts';

// The complaints whose device is this lot or serial unit (ISO 13485:2016 8.2.2, traceability 7.5.9).
export const complaintLotReferences: LotReferenceSource = {
  kind: 'complaint',
  async referencesTo(s, lotId) {
    const found = await complaints(s).find({ lotId }).sort({ receivedDate: -1, number: -1 }).limit(200).toArray();
    return found.map((c) => ({
      id: c._id,
      number: c.number,
      status: c.status,
      summary: c.nature,
      link: { route: 'complaint', id: c._id },
    }));
  },
};
