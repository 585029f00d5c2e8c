import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import { streamOf } from '../../records/registry.ts';
import { documentLifecycle } from './document.lifecycle.ts';
import type { DocumentDoc } from './document.record.ts';
import type { DocumentSummary } from './documentIndex.ts';

// The only shapes of a document that leave the server.
export function presentSummary(d: DocumentSummary) {
  return {
    id: d.id,
    number: d.number,
    type: d.type,
    title: d.title,
    state: d.state,
    revision: d.revision,
    owner: d.owner,
    department: d.department,
    effectiveDate: d.effectiveDate,
    nextReviewDue: d.nextReviewDue,
  };
}

export function presentDetail(d: DocumentDoc, user: SessionUser) {
  return {
    id: d._id,
    stream: streamOf('document', d._id),
    number: d.number,
    type: d.type,
    title: d.title,
    summary: d.summary,
    state: d.state,
    owner: d.owner,
    department: d.department,
    reviewers: d.reviewers,
    approvers: d.approvers,
    trainees: d.trainees,
    reviewIntervalMonths: d.reviewIntervalMonths,
    nextReviewDue: d.nextReviewDue,
    version: d.ledgerVersion,
    revisions: d.revisions.map((r) => ({
      revision: r.revision,
      iteration: r.iteration,
      state: r.state,
      author: r.author,
      file: r.file,
      effectiveDate: r.effectiveDate,
      reviews: r.reviews,
      approvals: r.approvals,
      obsoleteReason: r.obsoleteReason,
    })),
    current: d.current,
    effective: d.effective,
    actions: availableActions(documentLifecycle, d, user),
  };
}
