import type { PortalScopeSource, ScopedDoc } from '../../records/contributions.ts';

interface DocumentDoc extends ScopedDoc {
  number: string;
  revision?: string;
  title: { zh: string; en: string };
  state: string;
}

// Documents enter an audit scope only through the records that name them (a DMR's work instructions).
export const documentPortalScope: PortalScopeSource<DocumentDoc> = {
  type: 'document',
  entry: (d) => ({ number: `${d.number} ${d.revision ?? ''}`.trim(), title: d.title, state: d.state }),
};
