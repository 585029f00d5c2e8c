import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { domainError, errors } from '../../platform/errors.ts';
import { assertQuantityInRange, sumQty } from '../../platform/fields.ts';
import { fefo } from '../inventory/queries.ts';
import { assertIssuable, getLot, issueLot } from '../inventory/service.ts';
import { getWorkOrder, onWorkOrder, requirePermission, requireState } from './service.ts';
import { requiredFor, type ReconLine, type WorkOrderState } from './workorder.model.ts';

// Material issue and reconciliation (ISO 13485 7.5.1, 7.5.9): only released, unexpired lots of
// the BOM's items, never more than the BOM requires without a reason, and at the end every
// issued quantity accounted for as consumed or scrapped.
const ISSUE_STATES = ['released', 'in_progress'] as const;

function bomLine(w: WorkOrderState, itemId: string, partNumber: string) {
  const line = w.bom.find((l) => l.itemId === itemId);
  if (!line) throw domainError('ITEM_NOT_IN_BOM', `${partNumber} is not in the BOM of ${w.number} (DMR revision ${w.dmr.revision}).`, `${partNumber} 不在工单 ${w.number} 的物料清单中(DMR 版本 ${w.dmr.revision})。`);
  return line;
}

/** FEFO suggestions for what each BOM line still needs. */
export async function materialSuggestions(s: Services, id: string) {
  const w = await getWorkOrder(s, id);
  return Promise.all(w.bom.map(async (l) => {
    const remaining = Math.max(0, sumQty(l.required, -l.issued));
    const picks = remaining > 0 ? (await fefo(s, l.itemId, remaining)).picks : [];
    return { itemId: l.itemId, partNumber: l.partNumber, unit: l.unit, required: l.required, issued: l.issued, remaining,
      suggestions: picks.map((p) => ({ lotId: p.lotId, lotNumber: p.lotNumber, location: p.location, available: p.available, expiryDate: p.expiryDate })) };
  }));
}

/** materialIssuer: the lot's own rules (released, unexpired, enough at the place) decide the issue; the order records it. */
export async function issueMaterial(s: Services, user: SessionUser, id: string, i: { lotId: string; quantity: number; location?: string; reason?: string }) {
  requirePermission(user, 'issue');
  const w = await getWorkOrder(s, id);
  requireState(w, 'issue', ISSUE_STATES);
  const lot = await getLot(s, i.lotId);
  const line = bomLine(w, lot.item.id, lot.item.partNumber);
  assertIssuable(lot);
  assertQuantityInRange(sumQty(line.issued, i.quantity), { en: `${line.partNumber} issued to ${w.number}`, zh: `工单 ${w.number} 已发 ${line.partNumber}` });
  if (sumQty(line.issued, i.quantity) > line.required && !i.reason) {
    throw domainError('OVER_ISSUE', `${line.partNumber}: ${line.issued} of ${line.required} ${line.unit} issued; issuing ${i.quantity} more needs a reason.`,
      `${line.partNumber}:已发 ${line.issued}/${line.required} ${line.unit},再发 ${i.quantity} 需填写原因。`, 409, { required: line.required, issued: line.issued });
  }
  const issued = await issueLot(s, user, i.lotId, { quantity: i.quantity, location: i.location, workOrder: w.number });
  return onWorkOrder(s, user, id, (cur) => {
    requireState(cur, 'issue', ISSUE_STATES);
    return { type: 'workorder.materialIssued', data: {
      lotId: lot._id, lotNumber: lot.lotNumber, itemId: lot.item.id, partNumber: lot.item.partNumber, quantity: i.quantity,
      location: issued.movements[issued.movements.length - 1]?.from ?? i.location ?? null,
      supplier: lot.supplier, supplierLot: lot.supplierLot, expiryDate: lot.expiryDate, coaRef: lot.coaRef,
    }, ...(i.reason ? { reason: i.reason } : {}) };
  });
}

/** materialReconciler: per BOM line, issued = consumed + scrapped; a difference from the standard needs a reason. */
export async function reconcileMaterials(s: Services, user: SessionUser, id: string, r: { lines: Array<{ itemId: string; consumed: number; scrapped: number }>; reason?: string }) {
  requirePermission(user, 'reconcile_materials');
  return onWorkOrder(s, user, id, (w) => {
    requireState(w, 'reconcile materials', ['in_progress', 'completed']);
    const produced = w.output ? sumQty(w.output.goodQuantity, w.output.scrappedQuantity) : w.plannedQuantity;
    const lines: ReconLine[] = w.bom.map((l) => {
      const i = r.lines.findIndex((x) => x.itemId === l.itemId);
      if (i < 0) throw errors.validation('body.lines', `${l.partNumber} is missing`);
      const { consumed, scrapped } = r.lines[i];
      if (sumQty(consumed, scrapped) !== l.issued) {
        throw domainError('MATERIAL_COUNT_MISMATCH', `${l.partNumber}: consumed ${consumed} + scrapped ${scrapped} is not the ${l.issued} ${l.unit} issued.`,
          `${l.partNumber}:消耗 ${consumed} + 报废 ${scrapped} 不等于已发 ${l.issued} ${l.unit}。`, 409, { itemId: l.itemId, issued: l.issued });
      }
      const standard = requiredFor(l.quantityPer, produced);
      return { itemId: l.itemId, partNumber: l.partNumber, standard, issued: l.issued, consumed, scrapped, variance: sumQty(consumed, -standard) };
    });
    if (r.lines.length !== w.bom.length) throw errors.validation('body.lines', 'one line per BOM item, no others');
    if (lines.some((l) => l.variance !== 0 || l.scrapped > 0) && !r.reason) throw errors.validation('body.reason', 'a variance from the standard or a scrapped quantity needs a reason');
    return { type: 'workorder.materialsReconciled', data: { lines } as unknown as Record<string, unknown>, ...(r.reason ? { reason: r.reason } : {}) };
  });
}
