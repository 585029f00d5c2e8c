import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { domainError } from '../../platform/errors.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { LABEL_COUNT_MAX, assertQuantityInRange } from '../../platform/fields.ts';
import { buildUdi } from '../labels/udi.ts';
import { renderLabelPng, renderLabelSheetPdf } from '../labels/render.ts';
import { getWorkOrder, onWorkOrder, requirePermission, requireState } from './service.ts';
import type { WorkOrderState } from './workorder.model.ts';

// Labels (QMSR 820.45, ISO 13485 7.5.8): UDI per the DMR's labeling spec, printed against the
// order, and reconciled (printed = used + destroyed) before QA may release.
type UdiElement = '01' | '17' | '10' | '21' | '11';
export const MAX_LABELS_PER_SHEET = 60;

/**
 * The order's production and expiry dates: fixed by the first label print, else today and today
 * plus the device's shelf life (what a print now would fix). Labels, UDI and output lots share them.
 */
export function labelDates(w: WorkOrderState): { productionDate: string; expiryDate: string | null } {
  const productionDate = w.labels.productionDate ?? todayUtc();
  return { productionDate, expiryDate: w.labels.expiryDate ?? (w.item.shelfLifeDays ? addDays(productionDate, w.item.shelfLifeDays) : null) };
}

/** The UDI of one unit of the order (the serial only for serialized devices). */
export function udiOf(w: WorkOrderState, serial?: string) {
  const { productionDate, expiryDate } = labelDates(w);
  return buildUdi({ gtin: w.item.gtin ?? '', lot: w.lotNumber, serial: serial ?? w.serials[0], expiry: expiryDate ?? undefined, productionDate }, w.labeling.udiElements as UdiElement[]);
}

/** A sample label's human-readable UDI, or null when the order has no labeling spec or its data cannot make one. */
export function sampleHri(w: WorkOrderState): string | null {
  if (!w.labeling.udiElements.length) return null;
  try { return udiOf(w).hri; } catch { return null; }
}

export async function printLabels(s: Services, user: SessionUser, id: string, quantity: number) {
  requirePermission(user, 'print_labels');
  return onWorkOrder(s, user, id, (w) => {
    requireState(w, 'print labels', ['released', 'in_progress', 'completed']);
    if (w.labeling.udiElements.length === 0) throw domainError('NO_LABELING_SPEC', `DMR revision ${w.dmr.revision} has no UDI labeling spec.`, `DMR 版本 ${w.dmr.revision} 未规定 UDI 标签。`);
    if (w.labeling.udiElements.includes('01') && !w.item.gtin) throw domainError('NO_GTIN', `${w.item.partNumber} has no GTIN; a UDI label needs one.`, `${w.item.partNumber} 没有 GTIN,无法生成 UDI 标签。`);
    assertQuantityInRange(w.labels.printed + quantity, { en: `Labels printed for ${w.number}`, zh: `工单 ${w.number} 已打印标签数` }, LABEL_COUNT_MAX);
    const { productionDate, expiryDate } = labelDates(w);
    udiOf(w); // refuses a lot or serial a GS1 label cannot carry
    return { type: 'workorder.labelsPrinted', data: { quantity, productionDate, expiryDate } };
  });
}

export async function reconcileLabels(s: Services, user: SessionUser, id: string, r: { used: number; destroyed: number; reason?: string }) {
  requirePermission(user, 'reconcile_labels');
  return onWorkOrder(s, user, id, (w) => {
    requireState(w, 'reconcile labels', ['in_progress', 'completed']);
    if (r.used + r.destroyed !== w.labels.printed) {
      throw domainError('LABEL_COUNT_MISMATCH', `${w.labels.printed} labels were printed; used ${r.used} + destroyed ${r.destroyed} does not account for them.`,
        `共打印 ${w.labels.printed} 张标签,使用 ${r.used} + 销毁 ${r.destroyed} 与之不符。`, 409, { printed: w.labels.printed });
    }
    if (r.destroyed > 0 && !r.reason) throw domainError('REASON_REQUIRED', 'Say why labels were destroyed.', '请说明标签销毁的原因。', 400);
    return { type: 'workorder.labelsReconciled', data: { used: r.used, destroyed: r.destroyed }, ...(r.reason ? { reason: r.reason } : {}) };
  });
}

const labelOf = (w: WorkOrderState, serial?: string) => {
  const udi = udiOf(w, serial);
  return { udi, partNumber: w.item.partNumber, name: w.item.name, lot: w.lotNumber, serial: serial ?? null, expiry: labelDates(w).expiryDate };
};

export async function sampleLabelPng(s: Services, id: string) {
  const w = await getWorkOrder(s, id);
  return renderLabelPng(labelOf(w));
}

/** The label sheet: one label per serial for serialized devices, else the printed count (up to a sheet). */
export async function labelSheetPdf(s: Services, id: string, locale: 'zh-CN' | 'en-US') {
  const w = await getWorkOrder(s, id);
  const labels = w.serials.length ? w.serials.map((sn) => labelOf(w, sn)) : Array.from({ length: Math.max(1, Math.min(w.labels.printed, MAX_LABELS_PER_SHEET)) }, () => labelOf(w));
  return renderLabelSheetPdf(labels.slice(0, MAX_LABELS_PER_SHEET), locale);
}
