import { streamOf } from '../../records/registry.ts';
import type { PoDoc, RequisitionDoc } from './purchasing.record.ts';

// The only shapes of purchasing records that leave the server.
export const presentPoSummary = (p: PoDoc) => ({
  id: p._id, number: p.number, supplier: p.supplier, currency: p.currency, total: p.total, status: p.status, createdAt: p.createdAt,
  dueDate: p.lines.map((l) => l.dueDate).sort()[0] ?? null,
});

export const presentPo = (p: PoDoc) => ({
  ...presentPoSummary(p), stream: streamOf('po', p._id), lines: p.lines, requisitionId: p.requisitionId, createdBy: p.createdBy, issuedAt: p.issuedAt,
  needsApproval: p.needsApproval, threshold: p.threshold, approval: p.approval, receipts: p.receipts, closeReason: p.closeReason, version: p.ledgerVersion,
});

export const presentRequisition = (r: RequisitionDoc) => ({
  id: r._id, number: r.number, requestedBy: r.requestedBy, createdAt: r.createdAt, note: r.note, lines: r.lines, status: r.status,
  poId: r.poId, poNumber: r.poNumber, version: r.ledgerVersion,
});
