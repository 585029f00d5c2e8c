import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { hasPermission } from '../../identity/roles.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { designLinkEvents, type ElementKind } from './events.ts';
import { designLinkLifecycle } from './link.lifecycle.ts';
import { DESIGN_LINKS } from './collections.ts';
import { delegateOf, principalOf } from '../../records/principal.ts';

// A trace link (stream `designlink:<id>`) from one design element to the next (need → input →
// output → verification / validation). When an element upstream of it gets a new approved
// revision it becomes suspect, until someone re-confirms it by signature ("verified").
type End = { id: string; kind: ElementKind; code: string };
export interface DesignLinkState {
  id: string;
  projectId: string;
  from: End;
  to: End;
  createdAt: string;
  suspect: { element: { id: string; code: string }; revision: string; at: string } | null;
  confirmed: { by: { id: string; name: string }; at: string; signatureId: string } | null;
}
export type DesignLinkDoc = Projected<DesignLinkState>;

/** What a re-confirmation signs: this link, and the change that made it suspect. */
const linkContent = (s: DesignLinkState) => ({
  projectId: s.projectId,
  from: s.from.id,
  to: s.to.id,
  suspect: s.suspect ? { element: s.suspect.element.id, revision: s.suspect.revision } : null,
});

function reduce(s: DesignLinkState | undefined, event: LedgerEvent): DesignLinkState {
  const e = designLinkEvents.typed(event);
  if (e.type === 'designLink.created')
    return {
      id: e.stream.slice('designlink:'.length),
      projectId: e.data.projectId,
      from: e.data.from,
      to: e.data.to,
      createdAt: e.at,
      suspect: null,
      confirmed: null,
    };
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before designLink.created`);
  switch (e.type) {
    case 'designLink.suspected':
      return { ...s, suspect: { element: e.data.element, revision: e.data.revision, at: e.at } };
    case SIGNATURE_EVENT:
      if (e.data.meaning === 'verified' && s.suspect && signatureCounts(s, event, linkContent))
        return {
          ...s,
          suspect: null,
          confirmed: {
            by: principalOf(e.data),
            ...delegateOf(e.data),
            at: e.data.signedAt,
            signatureId: e.data.signatureId,
          },
        };
      return s;
  }
  return s;
}

export const designLinkRecord = defineRecordType<DesignLinkState>({
  type: 'designlink',
  collection: DESIGN_LINKS,
  reduce,
  content: linkContent,
  events: designLinkEvents,
  lifecycle: designLinkLifecycle,
  canRead: (user) => hasPermission(user, 'design.read'),
});
