import type { PortalScopeSource, ScopedDoc } from '../../records/contributions.ts';
import { elementsOf, projectsOf } from './resolve.ts';

interface ProjectDoc extends ScopedDoc {
  title?: { zh: string; en: string };
  item?: { partNumber?: string };
  planState?: string;
}
interface ElementDoc extends ScopedDoc {
  code?: string;
  kind?: string;
  current?: string;
  state?: string;
  revisions?: Array<{ content?: { title?: { zh: string; en: string } } }>;
}

// A granted device's design history file (ISO 13485:2016 7.3.10; issue 12 item 5) is in the audit
// scope: its design projects and every element of them (needs, inputs, outputs, verifications,
// validations, reviews, transfers). Elements name their project, not the device, so they are
// reached through the device's projects.
export const designProjectPortalScope: PortalScopeSource<ProjectDoc> = {
  type: 'designproject',
  reach: (itemIds) => ({ filter: { 'item.id': { $in: itemIds } } }),
  entry: (d) => ({
    number: `DHF ${d.item?.partNumber ?? ''}`.trim(),
    title: d.title ?? '',
    state: d.planState ?? '',
  }),
};
export const designElementPortalScope: PortalScopeSource<ElementDoc> = {
  type: 'designelement',
  reach: async (itemIds, s) => {
    const projects = await projectsOf(s)
      .find({ 'item.id': { $in: itemIds } }, { projection: { _id: 1 } })
      .toArray();
    const ids = await elementsOf(s)
      .find({ projectId: { $in: projects.map((p) => p._id) } }, { projection: { _id: 1 } })
      .toArray();
    return { ids: ids.map((e) => e._id) };
  },
  entry: (d) => ({
    number: `${d.code ?? ''} ${d.current ?? ''}`.trim(),
    title: d.revisions?.[d.revisions.length - 1]?.content?.title ?? '',
    state: d.state ?? '',
  }),
};
