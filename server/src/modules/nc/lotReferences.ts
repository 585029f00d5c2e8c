import type { LotReferenceSource } from '../../records/contributions.ts';
import { openRecords, sortedBy, type DocOf } from '../../records/openRecords.ts';
import { nonconformances } from './service.ts';
import { ncRecord } from './nc.record.ts';

// The NCs that name a lot or serial unit (ISO 13485:2016 8.3: the nonconforming product identified):
// those listing it among their affected lots, and the one its incoming inspection opened.
export const ncLotReferences: LotReferenceSource = {
  kind: 'nc',
  async referencesTo(s, lotId) {
    // from the in-process index of every NC (records/openRecords.ts): a lot page asks on every view
    const all = await openRecords<DocOf<typeof nonconformances>>(s, ncRecord, 'all', () => true);
    const naming = all.filter(
      (n) => ('lotId' in n.source && n.source.lotId === lotId) || n.lots.some((l) => l.lotId === lotId),
    );
    const found = sortedBy(naming, (n) => n.openedAt, -1, 200);
    return found.map((n) => ({
      id: n._id,
      number: n.number,
      status: n.status,
      summary: n.description,
      link: { route: 'nc', id: n._id },
    }));
  },
};
