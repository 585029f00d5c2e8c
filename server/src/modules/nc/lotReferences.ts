import type { LotReferenceSource } from '../../records/contributions.ts';
import { nonconformances } from './service.ts';

// The NCs that name a lot or serial unit (ISO 13485:2016 8.3: the nonconforming product identified):
// those listing it among their affected lots, and the one its incoming inspection opened.
export const ncLotReferences: LotReferenceSource = {
  kind: 'nc',
  async referencesTo(s, lotId) {
    const found = await nonconformances(s)
      .find({ $or: [{ 'lots.lotId': lotId }, { 'source.lotId': lotId }] })
      .sort({ openedAt: -1 })
      .limit(200)
      .toArray();
    return found.map((n) => ({
      id: n._id,
      number: n.number,
      status: n.status,
      summary: n.description,
      link: { route: 'nc', id: n._id },
    }));
  },
};
