import type { PortalScopeSource, ScopedDoc } from '../../records/contributions.ts';

interface LotDoc extends ScopedDoc {
  lotNumber: string;
  serial?: string;
  status: string;
  item?: { name?: { zh: string; en: string } };
}

// A granted device's lots and serials are in the audit scope (consumed lots come in through the
// work orders that used them).
export const lotPortalScope: PortalScopeSource<LotDoc> = {
  type: 'lot',
  reach: (itemIds) => ({ filter: { 'item.id': { $in: itemIds } } }),
  entry: (d) => ({ number: d.serial ?? d.lotNumber, title: d.item?.name ?? '', state: d.status }),
};
