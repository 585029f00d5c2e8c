import type { SessionUser } from '../../identity/sessionUser.ts';
import { explainedActions } from '../../records/lifecycle.ts';
import type { Services } from '../../platform/services.ts';
import { currentApprovals, currentReviews, latest } from '../../records/revisions.ts';
import { streamOf } from '../../records/registry.ts';
import { documentLifecycle } from './document.lifecycle.ts';
import type { Decision, DocumentDoc, DocumentState, Person } from './document.record.ts';
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

/**
 * Who has and has not signed the working revision's current iteration: each named reviewer and
 * approver, done once their signature this iteration is on the ledger (the reducer counts only
 * signatures that verify). A rejection ends an iteration: the next starts with everyone pending.
 */
export function signoffOf(d: DocumentState) {
  const r = latest(d);
  const row = (decisions: Decision[]) => (p: Person) => {
    const x = decisions.find((y) => y.userId === p.id);
    return { id: p.id, name: p.name, done: !!x, decision: x?.decision ?? null, at: x?.at ?? null };
  };
  return {
    revision: r.revision,
    iteration: r.iteration,
    reviewers: d.reviewers.map(row(currentReviews(r))),
    approvers: d.approvers.map(row(currentApprovals(r))),
  };
}

/** A document as its GET shows it: the actions explained (an approval held by open review comments says so). */
export async function presentDetail(d: DocumentDoc, user: SessionUser, s: Services) {
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
      // taken over from the legacy register (issue 14 item 3): its source row; no signatures
      migrated: r.migrated ?? null,
    })),
    current: d.current,
    effective: d.effective,
    actions: await explainedActions(documentLifecycle, s, d, user),
    signoff: signoffOf(d),
  };
}
