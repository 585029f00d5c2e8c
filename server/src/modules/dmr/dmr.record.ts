import type { z } from 'zod';
import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import type { Projected } from '../../records/projector.ts';
import type { Change } from '../../records/ledgerOps.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts, type SignatureData } from '../../../../signatures/esign/seal.ts';
import { hasPermission } from '../../identity/roles.ts';
import { todayUtc } from '../../platform/dates.ts';
import { dmrLifecycle } from './dmr.lifecycle.ts';
import { BOM_CONTROLS, dmrEvents, UDI_ELEMENTS, type DmrContentData } from './events.ts';
import { latest, currentReviews, currentApprovals } from '../../records/revisions.ts';
import { delegateOf, principalOf } from '../../records/principal.ts';
export { latest, currentReviews, currentApprovals };

// The Device Master Record (21 CFR 820.181 / ISO 13485 4.2.3): one stream `dmr:<id>` per
// finished device (claimed on `dmr-item:<itemId>`). Its revisions A, B, … each bundle the BOM,
// the routing, the specifications, the labeling and the packaging, and go through
// draft → in_review → approval → effective → superseded. Production only ever reads the
// effective revision (see effectiveDmr in service.ts).
export const DMR_STATES = ['draft', 'in_review', 'approval', 'effective', 'superseded'] as const;
export type DmrRevisionState = (typeof DMR_STATES)[number];
export { UDI_ELEMENTS, BOM_CONTROLS };
// What can happen to a DMR, one schema per event: events.ts (which also gives the content's shape).

export interface Person {
  id: string;
  name: string;
}
export interface Bilingual {
  zh: string;
  en: string;
}
export type DmrContent = z.output<typeof DmrContentData>;
export type BomLine = DmrContent['bom'][number];
export type Operation = DmrContent['routing'][number];
export type Capture = Operation['captures'][number];
export interface Decision {
  userId: string;
  name: string;
  decision: string;
  at: string;
  reason?: string;
  iteration: number;
  signatureId: string;
}
export interface DmrRevision {
  revision: string;
  iteration: number;
  state: DmrRevisionState;
  author: Person;
  editors: string[];
  content: DmrContent;
  submittedAt: string | null;
  reviews: Decision[];
  approvals: Decision[];
  effectiveDate: string | null;
  supersededAt: string | null;
  /** The change request this revision was submitted under: approved, it waits for that change. */
  heldBy?: string | null;
}
export interface DmrState {
  id: string;
  itemId: string;
  item: { id: string; partNumber: string; name: Bilingual; control: string };
  createdAt: string;
  revisions: DmrRevision[];
  current: string;
  effective: string | null;
  /** Headline for lists: the effective revision if there is one, else the latest. */
  state: DmrRevisionState;
  revision: string;
  workingState: DmrRevisionState;
  effectiveDate: string | null;
}
export type DmrDoc = Projected<DmrState>;

export const DMRS = 'dmrs';
declareIndexes(DMRS, [{ key: { itemId: 1 }, name: 'itemId' }]);

export const emptyContent = (): DmrContent => ({
  bom: [],
  routing: [],
  specifications: [],
  labeling: { udiElements: [], text: { zh: '', en: '' } },
  packaging: { zh: '', en: '' },
});
export const revisionOf = (d: DmrState, rev: string | null) => d.revisions.find((r) => r.revision === rev);

const newRevision = (revision: string, author: Person, content: DmrContent): DmrRevision => ({
  revision,
  iteration: 1,
  state: 'draft',
  author,
  editors: [author.id],
  content,
  submittedAt: null,
  reviews: [],
  approvals: [],
  effectiveDate: null,
  supersededAt: null,
});

function derive(d: DmrState): DmrState {
  const eff = revisionOf(d, d.effective);
  const head = eff ?? latest(d);
  const w = latest(d);
  return {
    ...d,
    current: w.revision,
    state: head.state,
    revision: head.revision,
    workingState: w.state,
    effectiveDate: eff?.effectiveDate ?? null,
  };
}
const onRevision = (d: DmrState, rev: string, f: (r: DmrRevision) => DmrRevision): DmrState => ({
  ...d,
  revisions: d.revisions.map((r) => (r.revision === rev ? f(r) : r)),
});

function reduce(s: DmrState | undefined, event: LedgerEvent): DmrState {
  const e = dmrEvents.typed(event);
  if (e.type === 'dmr.created') {
    const d = e.data;
    return derive({
      id: e.stream.slice('dmr:'.length),
      itemId: d.item.id,
      item: d.item,
      createdAt: e.at,
      revisions: [newRevision('A', d.author, emptyContent())],
      current: 'A',
      effective: null,
      state: 'draft',
      revision: 'A',
      workingState: 'draft',
      effectiveDate: null,
    });
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before dmr.created`);
  switch (e.type) {
    case 'dmr.draftUpdated': {
      const { revision, content } = e.data;
      return derive(
        onRevision(s, revision, (r) => ({
          ...r,
          content,
          editors: r.editors.includes(e.actor.id) ? r.editors : [...r.editors, e.actor.id],
        })),
      );
    }
    case 'dmr.submitted':
      return derive(
        onRevision(s, e.data.revision, (r) => ({
          ...r,
          state: 'in_review',
          submittedAt: e.at,
          heldBy: e.data.heldBy ?? null,
        })),
      );
    // a signature that does not verify (copied, forged, over other content) counts for nothing
    case SIGNATURE_EVENT:
      return signatureCounts(s, event, dmrContent) ? derive(applySignature(s, e.data)) : s;
    // the steps signatures complete happen only when a counted signature completes them
    case 'dmr.reviewCompleted':
      if (!decided(s, e.data.revision, 'reviewed')) return s;
      return derive(onRevision(s, e.data.revision, (r) => ({ ...r, state: 'approval' })));
    case 'dmr.returnedToDraft': {
      const d = e.data;
      if (!decided(s, d.revision, 'rejected')) return s;
      return derive(
        onRevision(s, d.revision, (r) => ({ ...r, state: 'draft', iteration: d.iteration, submittedAt: null })),
      );
    }
    case 'dmr.becameEffective': {
      const d = e.data;
      if (!decided(s, d.revision, 'approved')) return s;
      let next = s.effective
        ? onRevision(s, s.effective, (r) => ({ ...r, state: 'superseded', supersededAt: e.at }))
        : s;
      next = onRevision(next, d.revision, (r) => ({ ...r, state: 'effective', effectiveDate: d.effectiveDate }));
      return derive({ ...next, effective: d.revision });
    }
    case 'dmr.revisionStarted': {
      const base = revisionOf(s, s.effective)?.content ?? latest(s).content;
      return derive({ ...s, revisions: [...s.revisions, newRevision(e.data.revision, e.data.author, base)] });
    }
    default:
      return s;
  }
}

/** Whether the revision's current iteration has a counted signature with this meaning. */
function decided(s: DmrState, rev: string, meaning: 'reviewed' | 'rejected' | 'approved'): boolean {
  const r = revisionOf(s, rev);
  return !!r && (meaning === 'approved' ? currentApprovals(r) : currentReviews(r)).some((x) => x.decision === meaning);
}

function applySignature(s: DmrState, sig: SignatureData): DmrState {
  const by = principalOf(sig); // a delegate decides in the place of the person they sign for
  return onRevision(s, s.current, (r) => {
    const decision: Decision = {
      userId: by.id,
      name: by.name,
      decision: sig.meaning,
      at: sig.signedAt,
      iteration: r.iteration,
      signatureId: sig.signatureId,
      ...(sig.reason ? { reason: sig.reason } : {}),
      ...delegateOf(sig),
    };
    if (sig.meaning === 'reviewed' || sig.meaning === 'rejected') return { ...r, reviews: [...r.reviews, decision] };
    if (sig.meaning === 'approved') return { ...r, approvals: [...r.approvals, decision] };
    return r;
  });
}

/** One review and one approval complete a step; each follow-up only from the state it leaves. */
function afterSignature(s: DmrState, meaning: string): Change[] {
  const w = latest(s);
  const change = dmrEvents.change;
  switch (meaning) {
    case 'reviewed':
      return w.state === 'in_review' ? [change('dmr.reviewCompleted', { revision: w.revision })] : [];
    case 'rejected':
      return w.state === 'in_review'
        ? [change('dmr.returnedToDraft', { revision: w.revision, iteration: w.iteration + 1 })]
        : [];
    case 'approved':
      // a revision held by a change request stays approved until the change makes it effective
      return w.state === 'approval' && !w.heldBy
        ? [change('dmr.becameEffective', { revision: w.revision, effectiveDate: todayUtc(), supersedes: s.effective })]
        : [];
    default:
      return [];
  }
}

/** What a signature binds to: the device and the full content of the revision in work. */
export function dmrContent(s: DmrState) {
  const w = latest(s);
  return {
    item: s.item.id,
    partNumber: s.item.partNumber,
    revision: w.revision,
    iteration: w.iteration,
    content: w.content,
  };
}

export const dmrRecord = defineRecordType<DmrState>({
  type: 'dmr',
  collection: DMRS,
  reduce,
  content: dmrContent,
  author: (s) => latest(s).author.id,
  afterSignature,
  events: dmrEvents,
  lifecycle: dmrLifecycle, // the one policy: actions, checks and signing (canSign is derived from it)
  canRead: (user) => hasPermission(user, 'records.read'),
});
