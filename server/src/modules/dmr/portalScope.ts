import type { PortalScopeSource, ScopedDoc } from '../../records/contributions.ts';

interface DmrDoc extends ScopedDoc {
  item?: { partNumber?: string; name?: { zh: string; en: string } };
  revision?: string;
  state: string;
  revisions?: Array<{ content?: { routing?: Array<{ workInstructionId?: unknown }> } }>;
}

// A granted device's DMRs are in the audit scope, and with them the work instructions any DMR
// revision's routing names (the documents production followed).
export const dmrPortalScope: PortalScopeSource<DmrDoc> = {
  type: 'dmr',
  reach: (itemIds) => ({ filter: { itemId: { $in: itemIds } } }),
  links: (d) =>
    (d.revisions ?? [])
      .flatMap((r) => (r.content?.routing ?? []).map((op) => op.workInstructionId))
      .filter((id): id is string => typeof id === 'string' && id.length > 0)
      .map((id) => ({ type: 'document', id })),
  entry: (d) => ({
    number: `DMR ${d.item?.partNumber ?? ''} ${d.revision ?? ''}`.trim(),
    title: d.item?.name ?? '',
    state: d.state,
  }),
};
