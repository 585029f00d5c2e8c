import { streamOf } from '../../records/registry.ts';
import type { LotDoc } from './lot.record.ts';
import type { lotEvidence } from './queries.ts';

// The only shapes of a lot that leave the server.
export const presentLot = (l: LotDoc) => ({
  id: l._id, stream: streamOf('lot', l._id), lotNumber: l.lotNumber, kind: l.kind, serial: l.serial, item: l.item, status: l.status,
  quantity: l.quantity, initialQuantity: l.initialQuantity, balances: l.balances, supplier: l.supplier, supplierLot: l.supplierLot, po: l.po,
  receiptId: l.receiptId, mfgDate: l.mfgDate, expiryDate: l.expiryDate, coaRef: l.coaRef, source: l.source, inspectionId: l.inspectionId,
  inspection: l.inspection, pending: l.pending, disposition: l.disposition, hold: l.hold, shipment: l.shipment, createdAt: l.createdAt, version: l.ledgerVersion,
});

export const presentLotDetail = (e: Awaited<ReturnType<typeof lotEvidence>>) => ({
  ...presentLot(e.lot), movements: e.lot.movements, receipt: e.receipt, inspectionRecord: e.inspection, nonconformance: e.nonconformance,
  signatures: e.signatures, ledger: e.ledger,
});
