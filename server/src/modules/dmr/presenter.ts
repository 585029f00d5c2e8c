import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import { streamOf } from '../../records/registry.ts';
import { dmrLifecycle } from './dmr.lifecycle.ts';
import type { DmrDoc } from './dmr.record.ts';

// The only shapes of a DMR that leave the server.
export function presentDmrSummary(d: DmrDoc) {
  return {
    id: d._id,
    item: d.item,
    state: d.state,
    revision: d.revision,
    workingState: d.workingState,
    current: d.current,
    effectiveDate: d.effectiveDate,
  };
}

export function presentDmrDetail(d: DmrDoc, user: SessionUser) {
  return {
    ...presentDmrSummary(d),
    stream: streamOf('dmr', d._id),
    version: d.ledgerVersion,
    createdAt: d.createdAt,
    revisions: d.revisions.map((r) => ({
      revision: r.revision,
      iteration: r.iteration,
      state: r.state,
      author: r.author,
      content: r.content,
      submittedAt: r.submittedAt,
      reviews: r.reviews,
      approvals: r.approvals,
      effectiveDate: r.effectiveDate,
      supersededAt: r.supersededAt,
    })),
    actions: availableActions(dmrLifecycle, d, user),
  };
}
