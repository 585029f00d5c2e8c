import type { PortalScopeSource, ScopedDoc } from '../../records/contributions.ts';
import { dmrs } from '../dmr/service.ts';
import { elementsOf, projectsOf } from '../design/resolve.ts';
import { CHANGES } from './collections.ts';
import type { ChangeDoc as Change } from './change.record.ts';

interface ChangeDoc extends ScopedDoc {
  number?: string;
  title?: { zh: string; en: string };
  state?: string;
}

// A granted device's change requests (ISO 13485:2016 7.3.9, 4.1.4; issue 12 item 5) are in the
// audit scope: every change that names the device's DMR or a work instruction its routing names,
// a row of its risk file (stream keyed by the item id) or an element of its design projects.
export const changePortalScope: PortalScopeSource<ChangeDoc> = {
  type: 'change',
  reach: async (itemIds, s) => {
    const deviceDmrs = await dmrs(s)
      .find({ itemId: { $in: itemIds } })
      .toArray();
    const named = new Set<string>(itemIds);
    for (const d of deviceDmrs) {
      named.add(d._id);
      for (const r of d.revisions)
        for (const op of r.content.routing) if (op.workInstructionId) named.add(op.workInstructionId);
    }
    const projects = await projectsOf(s)
      .find({ 'item.id': { $in: itemIds } }, { projection: { _id: 1 } })
      .toArray();
    const elements = await elementsOf(s)
      .find({ projectId: { $in: projects.map((p) => p._id) } }, { projection: { _id: 1 } })
      .toArray();
    for (const e of elements) named.add(e._id);
    const all = await s.db
      .collection<Change>(CHANGES)
      .find({}, { projection: { items: 1, refs: 1 } })
      .limit(100_000)
      .toArray();
    return {
      ids: all.filter((c) => [...c.items, ...c.refs].some((x) => named.has(x.id))).map((c) => c._id),
    };
  },
  entry: (d) => ({ number: d.number ?? '', title: d.title ?? '', state: d.state ?? '' }),
};
