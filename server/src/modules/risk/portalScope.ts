import type { PortalScopeSource, ScopedDoc } from '../../records/contributions.ts';

interface RiskDoc extends ScopedDoc {
  item?: { partNumber?: string; name?: { zh: string; en: string } };
  status?: string;
  revision?: number;
}

// A granted device's risk management plan and risk management file (ISO 14971:2019 4.4, 4.5) are
// in the audit scope (issue 12 item 5): both streams are keyed by the device's item id.
export const riskPlanPortalScope: PortalScopeSource<RiskDoc> = {
  type: 'riskplan',
  reach: (itemIds) => ({ ids: itemIds }),
  entry: (d) => ({
    number: `RMP ${d.item?.partNumber ?? ''} ${d.revision ?? ''}`.trim(),
    title: d.item?.name ?? '',
    state: d.status ?? '',
  }),
};
export const riskFilePortalScope: PortalScopeSource<RiskDoc> = {
  type: 'riskfile',
  reach: (itemIds) => ({ ids: itemIds }),
  entry: (d) => ({
    number: `RMF ${d.item?.partNumber ?? ''}`.trim(),
    title: d.item?.name ?? '',
    state: d.status ?? '',
  }),
};
