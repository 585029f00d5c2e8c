import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { hasPermission } from '../../identity/roles.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { designElementEvents, type ElementContent, type ElementKind } from './events.ts';
import { designElementLifecycle } from './element.lifecycle.ts';
import { DESIGN_ELEMENTS } from './collections.ts';
import { latestOf } from './elementRevisions.ts';
import { delegateOf, principalOf } from '../../records/principal.ts';

// A design element (stream `designelement:<id>`): a user need, design input (ISO 13485:2016
// 7.3.3), output (7.3.4), verification (7.3.6), validation (7.3.7), design review (7.3.5) or
// design transfer (7.3.8) — one record type with a `kind`, one lifecycle. Each revision goes
// draft → approved by signature; `revise` opens the next revision as a draft copy.
type Person = { id: string; name: string };
export interface ElementRevision {
  revision: string;
  state: 'draft' | 'approved';
  content: ElementContent;
  author: Person;
  editors: string[];
  approvedBy: Person | null;
  approvedAt: string | null;
}
export interface DesignElementState {
  id: string;
  projectId: string;
  kind: ElementKind;
  code: string;
  createdAt: string;
  revisions: ElementRevision[];
  /** The latest revision (the working one) and its state. */
  current: string;
  state: 'draft' | 'approved';
  /** The latest approved revision, or null. */
  approved: string | null;
}
export type DesignElementDoc = Projected<DesignElementState>;

/** What the approval signs: this revision's content (never the signatures). */
const elementContent = (s: DesignElementState) => ({
  projectId: s.projectId,
  kind: s.kind,
  code: s.code,
  revision: latestOf(s).revision,
  content: latestOf(s).content,
});

const withLatest = (s: DesignElementState, f: (r: ElementRevision) => ElementRevision): DesignElementState => {
  const revisions = [...s.revisions.slice(0, -1), f(latestOf(s))];
  return { ...s, revisions, state: revisions[revisions.length - 1].state };
};

function reduce(s: DesignElementState | undefined, event: LedgerEvent): DesignElementState {
  const e = designElementEvents.typed(event);
  if (e.type === 'designElement.created') {
    const d = e.data;
    return {
      id: e.stream.slice('designelement:'.length),
      projectId: d.projectId,
      kind: d.kind,
      code: d.code,
      createdAt: e.at,
      revisions: [
        {
          revision: 'A',
          state: 'draft',
          content: d.content,
          author: d.author,
          editors: [d.author.id],
          approvedBy: null,
          approvedAt: null,
        },
      ],
      current: 'A',
      state: 'draft',
      approved: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before designElement.created`);
  switch (e.type) {
    case 'designElement.edited':
      return withLatest(s, (r) => ({
        ...r,
        content: e.data.content,
        editors: r.editors.includes(e.actor.id) ? r.editors : [...r.editors, e.actor.id],
      }));
    case 'designElement.revised': {
      const prev = latestOf(s);
      const next: ElementRevision = {
        revision: e.data.revision,
        state: 'draft',
        content: prev.content,
        author: e.data.author,
        editors: [e.data.author.id],
        approvedBy: null,
        approvedAt: null,
      };
      return { ...s, revisions: [...s.revisions, next], current: next.revision, state: 'draft' };
    }
    case SIGNATURE_EVENT:
      if (e.data.meaning === 'approved' && s.state === 'draft' && signatureCounts(s, event, elementContent)) {
        const signed = withLatest(s, (r) => ({
          ...r,
          state: 'approved',
          approvedBy: principalOf(e.data),
          ...delegateOf(e.data),
          approvedAt: e.data.signedAt,
        }));
        return { ...signed, approved: signed.current };
      }
      return s;
  }
  return s;
}

export const designElementRecord = defineRecordType<DesignElementState>({
  type: 'designelement',
  collection: DESIGN_ELEMENTS,
  reduce,
  content: elementContent,
  events: designElementEvents,
  lifecycle: designElementLifecycle,
  canRead: (user) => hasPermission(user, 'design.read'),
});
