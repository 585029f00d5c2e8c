import type { PortalScopeSource, ScopedDoc } from '../../records/contributions.ts';

interface ItemDoc extends ScopedDoc {
  partNumber: string;
  name: { zh: string; en: string };
  active?: boolean;
}

// An audit grant names finished devices: the items themselves are in its scope.
export const itemPortalScope: PortalScopeSource<ItemDoc> = {
  type: 'item',
  reach: (itemIds) => ({ ids: itemIds }),
  entry: (d) => ({ number: d.partNumber, title: d.name, state: d.active === false ? 'inactive' : 'active' }),
};
