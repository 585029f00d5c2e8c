import type { SessionUser } from '../../identity/sessionUser.ts';
import { streamOf } from '../../records/registry.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { PoDoc } from './purchasing.record.ts';
import type { RequisitionDoc } from './requisition.record.ts';
import { poLifecycle } from './po.lifecycle.ts';
import { requisitionLifecycle } from './requisition.lifecycle.ts';

// The only shapes of purchasing records that leave the server. A single record carries the
// actions this user may take on it now (from its lifecycle): the client repeats no state rule.
export const presentPoSummary = (p: PoDoc) => ({
  id: p._id,
  number: p.number,
  supplier: p.supplier,
  currency: p.currency,
  total: p.total,
  status: p.status,
  createdAt: p.createdAt,
  dueDate: p.lines.map((l) => l.dueDate).sort()[0] ?? null,
});

export const presentPo = (p: PoDoc, user: SessionUser) => ({
  ...presentPoSummary(p),
  stream: streamOf('po', p._id),
  lines: p.lines,
  requisitionId: p.requisitionId,
  createdBy: p.createdBy,
  issuedAt: p.issuedAt,
  needsApproval: p.needsApproval,
  threshold: p.threshold,
  approval: p.approval,
  receipts: p.receipts,
  closeReason: p.closeReason,
  version: p.ledgerVersion,
  actions: availableActions(poLifecycle, p, user),
});

export const presentRequisitionSummary = (r: RequisitionDoc) => ({
  id: r._id,
  number: r.number,
  requestedBy: r.requestedBy,
  createdAt: r.createdAt,
  note: r.note,
  lines: r.lines,
  status: r.status,
  poId: r.poId,
  poNumber: r.poNumber,
  version: r.ledgerVersion,
});

export const presentRequisition = (r: RequisitionDoc, user: SessionUser) => ({
  ...presentRequisitionSummary(r),
  stream: streamOf('requisition', r._id),
  actions: availableActions(requisitionLifecycle, r, user),
});
