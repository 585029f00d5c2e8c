import type { z } from 'zod';
import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import type { Projected } from '../../records/projector.ts';
import type { Change } from '../../records/ledgerOps.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts, type SignatureData } from '../../../../signatures/esign/seal.ts';
import { documentEvents } from './events.ts';
import { hasPermission } from '../../identity/roles.ts';
import { documentLifecycle } from './document.lifecycle.ts';
import { addDays, addMonths, todayUtc } from '../../platform/dates.ts';
import { DOCUMENT_TYPES, type DocumentType } from './documentTypes.ts';
import { latest, currentReviews, currentApprovals } from '../../records/revisions.ts';
export { addDays, addMonths, todayUtc, DOCUMENT_TYPES, type DocumentType, latest, currentReviews, currentApprovals };

// A controlled document is one stream `document:<id>`. Its revisions (A, B, C…) each go through
// draft → in_review → approval → approved → effective → superseded | obsolete; a rejection sends
// a revision back to draft as a new iteration. This file is the auditor-facing list of what can
// happen to a document, and the only place its state comes about.
export const REVISION_STATES = [
  'draft',
  'in_review',
  'approval',
  'approved',
  'effective',
  'superseded',
  'obsolete',
] as const;
export type RevisionState = (typeof REVISION_STATES)[number];

// What can happen to a document, one schema per event: events.ts.

export interface Person {
  id: string;
  name: string;
}
export interface Bilingual {
  zh: string;
  en: string;
}
export interface StoredFile {
  sha256: string;
  name: string;
  size: number;
  mime: string;
}
export interface Decision {
  userId: string;
  name: string;
  decision: string;
  at: string;
  reason?: string;
  iteration: number;
  signatureId: string;
  /** A delegate's signature: `userId`/`name` are the person it was given for, `signedBy` who signed (issue 15 item 6). */
  signedBy?: { id: string; name: string; delegationId: string };
}

export interface Revision {
  revision: string;
  iteration: number;
  state: RevisionState;
  author: Person;
  file: StoredFile | null;
  effectiveDate: string | null;
  historical: boolean;
  submittedAt: string | null;
  reviews: Decision[];
  approvals: Decision[];
  supersededAt: string | null;
  obsoletedAt: string | null;
  obsoleteReason: string | null;
  /** The change request this revision was submitted under: it becomes effective only through it. */
  heldBy?: string | null;
  /** Taken over from the legacy register (issue 14 item 3): where it came from; no signatures. */
  migrated?: { batch: string; file: string; sheet: string; row: number; sha256: string } | null;
}

export interface DocumentState {
  id: string;
  number: string;
  type: DocumentType;
  title: Bilingual;
  summary: Bilingual;
  owner: Person;
  department: string;
  reviewers: Person[];
  approvers: Person[];
  trainees: { roles: string[]; users: string[] };
  reviewIntervalMonths: number;
  createdAt: string;
  revisions: Revision[];
  current: string;
  effective: string | null;
  /** Headline for lists: the effective revision if there is one, else the latest. */
  state: RevisionState;
  revision: string;
  /** State of the latest revision (a draft B while A is effective). */
  workingState: RevisionState;
  effectiveDate: string | null;
  nextReviewDue: string | null;
  /** Effective date of an approved revision waiting for it (the scheduler's index). */
  pendingEffectiveDate: string | null;
  trainingAssignedFor: string | null;
  lastSignature: { meaning: string; reason: string | null; userId: string } | null;
}
export type DocumentDoc = Projected<DocumentState>;

export const DOCUMENTS = 'documents';
// List, search and tasks filter the in-process register (documentIndex.ts); these serve ad-hoc
// queries on a MongoDB deployment.
declareIndexes(DOCUMENTS, [
  { key: { number: 1 }, name: 'number' },
  { key: { type: 1 }, name: 'type' },
  { key: { state: 1 }, name: 'state' },
  { key: { 'owner.id': 1 }, name: 'owner' },
  { key: { department: 1 }, name: 'department' },
]);

export const revisionOf = (d: DocumentState, rev: string | null) => d.revisions.find((r) => r.revision === rev);

const newRevision = (revision: string, author: Person): Revision => ({
  revision,
  iteration: 1,
  state: 'draft',
  author,
  file: null,
  effectiveDate: null,
  historical: false,
  submittedAt: null,
  reviews: [],
  approvals: [],
  supersededAt: null,
  obsoletedAt: null,
  obsoleteReason: null,
});

/** Recomputes the derived list fields after any change. */
function derive(d: DocumentState): DocumentState {
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
    pendingEffectiveDate: d.revisions.find((r) => r.state === 'approved' && !r.heldBy)?.effectiveDate ?? null,
  };
}

function onRevision(d: DocumentState, rev: string, f: (r: Revision) => Revision): DocumentState {
  return { ...d, revisions: d.revisions.map((r) => (r.revision === rev ? f(r) : r)) };
}

function reduce(s: DocumentState | undefined, event: LedgerEvent): DocumentState {
  const e = documentEvents.typed(event);
  if (e.type === 'document.created') {
    const d = e.data;
    return derive({
      id: e.stream.slice('document:'.length),
      number: d.number,
      type: d.type,
      title: d.title,
      summary: d.summary,
      owner: d.owner,
      department: d.department,
      reviewers: d.reviewers,
      approvers: d.approvers,
      trainees: d.trainees,
      reviewIntervalMonths: d.reviewIntervalMonths,
      createdAt: e.at,
      revisions: [newRevision('A', d.owner)],
      current: 'A',
      effective: null,
      state: 'draft',
      revision: 'A',
      workingState: 'draft',
      effectiveDate: null,
      nextReviewDue: null,
      pendingEffectiveDate: null,
      trainingAssignedFor: null,
      lastSignature: null,
    });
  }
  if (e.type === 'document.migrated') return s ?? migratedDocument(e.stream, e.at, e.data);
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before document.created`);
  switch (e.type) {
    case 'document.contentUploaded':
      return derive(onRevision(s, e.data.revision, (r) => ({ ...r, file: e.data.file })));
    case 'document.submitted': {
      const d = e.data;
      return derive(
        onRevision(s, d.revision, (r) => ({
          ...r,
          state: 'in_review',
          effectiveDate: d.effectiveDate,
          historical: !!d.historical,
          submittedAt: e.at,
          heldBy: d.heldBy ?? null,
        })),
      );
    }
    // a signature that does not verify (copied, forged, over other content) counts for nothing
    case SIGNATURE_EVENT:
      return signatureCounts(s, event, documentContent) ? derive(applySignature(s, e.data)) : s;
    // the steps signatures complete happen only when the counted signatures complete them
    case 'document.reviewCompleted':
      if (!signedBy(s, e.data.revision, 'reviewed', s.reviewers)) return s;
      return derive(onRevision(s, e.data.revision, (r) => ({ ...r, state: 'approval' })));
    case 'document.returnedToDraft': {
      const d = e.data;
      if (!currentReviews(revisionOf(s, d.revision) ?? latest(s)).some((x) => x.decision === 'rejected')) return s;
      return derive(
        onRevision(s, d.revision, (r) => ({ ...r, state: 'draft', iteration: d.iteration, submittedAt: null })),
      );
    }
    case 'document.approved':
      if (!signedBy(s, e.data.revision, 'approved', s.approvers)) return s;
      return derive(onRevision(s, e.data.revision, (r) => ({ ...r, state: 'approved' })));
    case 'document.becameEffective': {
      const d = e.data;
      if (revisionOf(s, d.revision)?.state !== 'approved') return s;
      let next = s.effective
        ? onRevision(s, s.effective, (r) => ({ ...r, state: 'superseded', supersededAt: e.at }))
        : s;
      next = onRevision(next, d.revision, (r) => ({ ...r, state: 'effective', effectiveDate: d.effectiveDate }));
      return derive({
        ...next,
        effective: d.revision,
        nextReviewDue: addMonths(d.effectiveDate, s.reviewIntervalMonths),
      });
    }
    case 'document.commentsOverridden': // the audit trail's record of the override; the state does not change
      return s;
    case 'document.trainingAssigned':
      return { ...s, trainingAssignedFor: e.data.revision };
    case 'document.periodicReviewed':
      return s.lastSignature?.meaning === 'reviewed_no_change' ? { ...s, nextReviewDue: e.data.nextReviewDue } : s;
    case 'document.obsoleted': {
      if (s.lastSignature?.meaning !== 'obsoleted') return s;
      const reason = e.data.reason;
      const retired = s.revisions.map((r) =>
        r.state === 'superseded' || r.state === 'obsolete'
          ? r
          : { ...r, state: 'obsolete' as const, obsoletedAt: e.at, obsoleteReason: reason },
      );
      return derive({ ...s, revisions: retired, effective: null, nextReviewDue: null });
    }
    case 'document.revisionStarted':
      return derive({ ...s, revisions: [...s.revisions, newRevision(e.data.revision, e.data.author)] });
    default:
      return s;
  }
}

/** Revision letters in order: B after A, AA after Z (revisionLetters.ts). */
export const revisionOrder = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** A migrated document: the current revision effective, older ones superseded, none signed in Provenant. */
function migratedDocument(
  stream: string,
  at: string,
  d: z.infer<(typeof documentEvents.schemas)['document.migrated']>,
): DocumentState {
  const revs = [...d.revisions].sort((a, b) => revisionOrder(a.revision, b.revision));
  const current = revs.find((r) => !r.superseded) ?? revs[revs.length - 1];
  const revisions: Revision[] = revs.map((r, i) => ({
    ...newRevision(r.revision, d.owner),
    state: r.superseded ? 'superseded' : 'effective',
    file: r.file,
    effectiveDate: r.effectiveDate,
    historical: true,
    // superseded when the next revision became effective
    supersededAt: r.superseded ? (revs[i + 1]?.effectiveDate ?? at) : null,
    migrated: r.source,
  }));
  return derive({
    id: stream.slice('document:'.length),
    number: d.number,
    type: d.type,
    title: d.title,
    summary: { zh: '', en: '' },
    owner: d.owner,
    department: d.department,
    // named in the register; none on events written before they were (the importer owns it)
    reviewers: d.reviewers ?? [],
    approvers: d.approvers ?? [],
    trainees: d.trainees ?? { roles: [], users: [] },
    reviewIntervalMonths: d.reviewIntervalMonths,
    createdAt: at,
    revisions,
    current: current.revision,
    effective: current.revision,
    state: 'effective',
    revision: current.revision,
    workingState: 'effective',
    effectiveDate: current.effectiveDate,
    nextReviewDue: addMonths(current.effectiveDate, d.reviewIntervalMonths),
    pendingEffectiveDate: null,
    trainingAssignedFor: null,
    lastSignature: null,
  });
}

const SIGNED_ON: Record<string, 'working' | 'effective'> = {
  reviewed: 'working',
  rejected: 'working',
  approved: 'working',
  obsoleted: 'effective',
  reviewed_no_change: 'effective',
};

/** Whether every named person has a counted `decision` on the revision's current iteration. */
function signedBy(s: DocumentState, rev: string, decision: 'reviewed' | 'approved', people: Person[]): boolean {
  const r = revisionOf(s, rev);
  if (!r) return false;
  const done = new Set(
    (decision === 'reviewed' ? currentReviews(r) : currentApprovals(r))
      .filter((x) => x.decision === decision)
      .map((x) => x.userId),
  );
  return people.every((p) => done.has(p.id));
}

function applySignature(s: DocumentState, sig: SignatureData): DocumentState {
  const by = sig.onBehalfOf ?? sig.signer; // a delegate decides in the place of the person they sign for
  const next = { ...s, lastSignature: { meaning: sig.meaning, reason: sig.reason ?? null, userId: by.id } };
  const rev = SIGNED_ON[sig.meaning] === 'effective' ? s.effective : s.current;
  if (!rev) return next;
  return onRevision(next, rev, (r) => {
    const decision: Decision = {
      userId: by.id,
      name: by.name,
      decision: sig.meaning,
      at: sig.signedAt,
      iteration: r.iteration,
      signatureId: sig.signatureId,
      ...(sig.reason ? { reason: sig.reason } : {}),
      ...(sig.onBehalfOf
        ? { signedBy: { id: sig.signer.id, name: sig.signer.name, delegationId: sig.onBehalfOf.delegationId } }
        : {}),
    };
    // only the people the document names decide on it (the server's policy, checked again here)
    if ((sig.meaning === 'reviewed' || sig.meaning === 'rejected') && s.reviewers.some((p) => p.id === by.id))
      return { ...r, reviews: [...r.reviews, decision] };
    if (sig.meaning === 'approved' && s.approvers.some((p) => p.id === by.id))
      return { ...r, approvals: [...r.approvals, decision] };
    return r;
  });
}

/** The events a signature completes: the last review, a rejection, the last approval, an obsoletion… */
export function afterDocumentSignature(s: DocumentState, meaning: string): Change[] {
  const w = latest(s);
  const change = documentEvents.change;
  // each follow-up is emitted only from the state it leaves, so two signers racing cannot move a revision twice
  const expected: Record<string, RevisionState> = {
    reviewed: 'in_review',
    rejected: 'in_review',
    approved: 'approval',
  };
  if (expected[meaning] && w.state !== expected[meaning]) return [];
  switch (meaning) {
    case 'reviewed': {
      const done = new Set(
        currentReviews(w)
          .filter((x) => x.decision === 'reviewed')
          .map((x) => x.userId),
      );
      return s.reviewers.every((p) => done.has(p.id))
        ? [change('document.reviewCompleted', { revision: w.revision })]
        : [];
    }
    case 'rejected':
      return [change('document.returnedToDraft', { revision: w.revision, iteration: w.iteration + 1 })];
    case 'approved': {
      const done = new Set(currentApprovals(w).map((x) => x.userId));
      if (!s.approvers.every((p) => done.has(p.id))) return [];
      const out = [change('document.approved', { revision: w.revision })];
      const today = todayUtc();
      const proposed = w.effectiveDate ?? today;
      if (proposed <= today && !w.heldBy) {
        // a late approval makes the revision effective on the day of approval, never retroactively (seed history excepted)
        out.push(
          change('document.becameEffective', {
            revision: w.revision,
            effectiveDate: w.historical ? proposed : today,
            supersedes: s.effective,
          }),
        );
      }
      return out;
    }
    case 'obsoleted':
      return [change('document.obsoleted', { revision: s.effective, reason: s.lastSignature?.reason ?? '' })];
    case 'reviewed_no_change':
      return [
        change('document.periodicReviewed', {
          revision: s.effective!,
          nextReviewDue: addMonths(todayUtc(), s.reviewIntervalMonths),
        }),
      ];
    default:
      return [];
  }
}

/** What a signature binds to: the identity and content of the revision in work, not the workflow around it. */
export function documentContent(s: DocumentState) {
  const w = latest(s);
  const eff = revisionOf(s, s.effective);
  return {
    number: s.number,
    type: s.type,
    title: s.title,
    summary: s.summary,
    owner: s.owner.id,
    department: s.department,
    reviewIntervalMonths: s.reviewIntervalMonths,
    working: {
      revision: w.revision,
      iteration: w.iteration,
      file: w.file?.sha256 ?? null,
      effectiveDate: w.effectiveDate,
    },
    effective: eff ? { revision: eff.revision, file: eff.file?.sha256 ?? null } : null,
  };
}

export const documentRecord = defineRecordType<DocumentState>({
  type: 'document',
  collection: DOCUMENTS,
  reduce,
  content: documentContent,
  author: (s) => latest(s).author.id,
  afterSignature: afterDocumentSignature,
  events: documentEvents,
  lifecycle: documentLifecycle, // the one policy: actions, checks and signing (canSign is derived from it)
  canRead: (user) => hasPermission(user, 'documents.read'),
});
