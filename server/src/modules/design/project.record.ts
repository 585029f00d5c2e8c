import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { hasPermission } from '../../identity/roles.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { designProjectEvents } from './events.ts';
import { designProjectLifecycle } from './project.lifecycle.ts';
import { DESIGN_PROJECTS } from './collections.ts';
import { delegateOf, principalOf } from '../../records/principal.ts';

// A design project (stream `designproject:<id>`): one device's design and development, its plan
// (ISO 13485:2016 7.3.2: stages, responsibilities, reviews planned) approved by signature and
// revised as the project goes on. Its elements and links are records of their own.
type Person = { id: string; name: string };
export interface Stage {
  key: string;
  name: { zh: string; en: string };
  responsible: Person;
  reviewPlanned: boolean;
}
export interface DesignProjectState {
  id: string;
  title: { zh: string; en: string };
  item: { id: string; partNumber: string; name: { zh: string; en: string } };
  dmrId: string | null;
  author: Person;
  createdAt: string;
  planRevision: string;
  planState: 'draft' | 'approved';
  stages: Stage[];
  /** Who wrote the plan revision now in draft (may not approve it). */
  editors: string[];
  approvedBy: Person | null;
  approvedAt: string | null;
}
export type DesignProjectDoc = Projected<DesignProjectState>;

const projectContent = (s: DesignProjectState) => ({
  id: s.id,
  item: s.item.id,
  planRevision: s.planRevision,
  stages: s.stages,
});

function reduce(s: DesignProjectState | undefined, event: LedgerEvent): DesignProjectState {
  const e = designProjectEvents.typed(event);
  if (e.type === 'designProject.created') {
    const d = e.data;
    return {
      id: e.stream.slice('designproject:'.length),
      title: d.title,
      item: d.item,
      dmrId: d.dmrId,
      author: d.author,
      createdAt: e.at,
      planRevision: 'A',
      planState: 'draft',
      stages: [],
      editors: [d.author.id],
      approvedBy: null,
      approvedAt: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before designProject.created`);
  switch (e.type) {
    case 'designProject.planEdited':
      return {
        ...s,
        stages: e.data.stages,
        editors: s.editors.includes(e.actor.id) ? s.editors : [...s.editors, e.actor.id],
      };
    case 'designProject.planRevised':
      return {
        ...s,
        planRevision: e.data.revision,
        planState: 'draft',
        editors: [e.data.author.id],
        approvedBy: null,
        approvedAt: null,
      };
    case SIGNATURE_EVENT:
      if (e.data.meaning === 'approved' && s.planState === 'draft' && signatureCounts(s, event, projectContent))
        return {
          ...s,
          planState: 'approved',
          approvedBy: principalOf(e.data),
          ...delegateOf(e.data),
          approvedAt: e.data.signedAt,
        };
      return s;
  }
  return s;
}

export const designProjectRecord = defineRecordType<DesignProjectState>({
  type: 'designproject',
  collection: DESIGN_PROJECTS,
  reduce,
  content: projectContent,
  events: designProjectEvents,
  lifecycle: designProjectLifecycle,
  canRead: (user) => hasPermission(user, 'design.read'),
});
