import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import { streamOf } from '../../records/registry.ts';
import { dmrLifecycle } from './dmr.lifecycle.ts';
import type { DmrDoc } from './dmr.record.ts';
import { labelOf } from '../../platform/labels.ts';

type Content = DmrDoc['revisions'][number]['content'];
/** Capture and equipment-type labels in both languages, the name or code where none was given (issue 15 item 8). */
const withLabels = (c: Content): Content => ({
  ...c,
  routing: c.routing.map((op) => ({
    ...op,
    equipmentTypeLabel: labelOf(op.equipmentTypeLabel, op.equipmentType),
    captures: op.captures.map((x) => ({ ...x, label: labelOf(x.label, x.name) })),
  })),
});

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
      content: withLabels(r.content),
      submittedAt: r.submittedAt,
      reviews: r.reviews,
      approvals: r.approvals,
      effectiveDate: r.effectiveDate,
      supersededAt: r.supersededAt,
    })),
    actions: availableActions(dmrLifecycle, d, user),
  };
}
