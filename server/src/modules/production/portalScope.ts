import type { PortalScopeSource, ScopedDoc } from '../../records/contributions.ts';

interface WorkOrderDoc extends ScopedDoc {
  number: string;
  state: string;
  item?: { name?: { zh: string; en: string } };
  output?: { lotIds?: unknown[] };
  materials?: Array<{ lotId?: unknown }>;
}

// A granted device's work orders (its DHRs) are in the audit scope, and with them the lots and
// serials they made and the lots they consumed.
export const workOrderPortalScope: PortalScopeSource<WorkOrderDoc> = {
  type: 'workorder',
  reach: (itemIds) => ({ filter: { 'item.id': { $in: itemIds } } }),
  links: (w) =>
    [...(w.output?.lotIds ?? []), ...(w.materials ?? []).map((m) => m.lotId)]
      .filter((id): id is string => typeof id === 'string' && id.length > 0)
      .map((id) => ({ type: 'lot', id })),
  entry: (d) => ({ number: d.number, title: d.item?.name ?? '', state: d.state }),
};
