import type { Services } from '../../platform/services.ts';
import { ProjectionIndex } from '../../records/memoryIndex.ts';
import {
  currentApprovals,
  currentReviews,
  documentRecord,
  latest,
  type DocumentDoc,
  type DocumentType,
  type RevisionState,
} from './document.record.ts';

// The document register held in process (see ProjectionIndex): list, search, tasks and the
// effective-date sweep filter these summaries instead of scanning the projection, which the
// embedded engine does by decoding every document.
export interface DocumentSummary {
  id: string;
  number: string;
  type: DocumentType;
  title: { zh: string; en: string };
  state: RevisionState;
  workingState: RevisionState;
  revision: string;
  owner: { id: string; name: string };
  department: string;
  effectiveDate: string | null;
  nextReviewDue: string | null;
  pendingEffectiveDate: string | null;
  effective: string | null;
  trainingAssignedFor: string | null;
  reviewers: string[];
  approvers: string[];
  working: {
    revision: string;
    iteration: number;
    submittedAt: string | null;
    reviewedBy: string[];
    approvedBy: string[];
  };
  /** Lower-cased number and titles, for the q filter. */
  haystack: string;
}

export function summarize(d: DocumentDoc): DocumentSummary {
  const w = latest(d);
  return {
    id: d._id,
    number: d.number,
    type: d.type,
    title: d.title,
    state: d.state,
    workingState: d.workingState,
    revision: d.revision,
    owner: d.owner,
    department: d.department,
    effectiveDate: d.effectiveDate,
    nextReviewDue: d.nextReviewDue,
    pendingEffectiveDate: d.pendingEffectiveDate,
    effective: d.effective,
    trainingAssignedFor: d.trainingAssignedFor,
    reviewers: d.reviewers.map((p) => p.id),
    approvers: d.approvers.map((p) => p.id),
    working: {
      revision: w.revision,
      iteration: w.iteration,
      submittedAt: w.submittedAt,
      reviewedBy: currentReviews(w).map((x) => x.userId),
      approvedBy: currentApprovals(w).map((x) => x.userId),
    },
    haystack: `${d.number}\n${d.title.zh}\n${d.title.en}`.toLowerCase(),
  };
}

const indexes = new WeakMap<Services, Promise<ProjectionIndex<DocumentSummary>>>();

/** The register of this server, loaded on first use and kept current after every append. */
export function documentIndex(s: Services): Promise<ProjectionIndex<DocumentSummary>> {
  let ready = indexes.get(s);
  if (!ready) {
    // the index reads documentRecord's projection collection: its rows are DocumentDocs
    const index = new ProjectionIndex(s, documentRecord, (doc) => summarize(doc as DocumentDoc));
    ready = index.refreshAll().then(() => index);
    ready.catch(() => indexes.delete(s));
    indexes.set(s, ready);
  }
  // level with other servers' writes before every read: one _id lookup when nothing changed
  return ready.then((index) => index.catchUp().then(() => index));
}
