import { streamOf } from '../../records/registry.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import type { LotDoc } from './lot.record.ts';
import { DECIDED_ON_INSPECTION, lotLifecycle } from './lot.lifecycle.ts';

/** What this user may do to the lot now, from its lifecycle (release, reject and conditional use are offered on its inspection). */
export const lotActions = (l: LotDoc, user: SessionUser) =>
  availableActions(lotLifecycle, l, user).filter((a) => !DECIDED_ON_INSPECTION.has(a.action));

// The only shape of a lot that leaves the server (its trace view, trace/lotTrace.ts, adds the neighbours).
export const presentLot = (l: LotDoc, user: SessionUser) => ({
  id: l._id,
  stream: streamOf('lot', l._id),
  lotNumber: l.lotNumber,
  kind: l.kind,
  serial: l.serial,
  item: l.item,
  status: l.status,
  quantity: l.quantity,
  initialQuantity: l.initialQuantity,
  balances: l.balances,
  supplier: l.supplier,
  supplierLot: l.supplierLot,
  po: l.po,
  receiptId: l.receiptId,
  mfgDate: l.mfgDate,
  expiryDate: l.expiryDate,
  coaRef: l.coaRef,
  source: l.source,
  inspectionId: l.inspectionId,
  inspection: l.inspection,
  pending: l.pending,
  disposition: l.disposition,
  hold: l.hold,
  shipment: l.shipment,
  createdAt: l.createdAt,
  version: l.ledgerVersion,
  actions: lotActions(l, user),
});
