import type { Services } from '../../platform/services.ts';
import type { CommandContext } from '../../records/lifecycle.ts';
import type { Change } from '../../records/ledgerOps.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { LABEL_COUNT_MAX, assertQuantityInRange } from '../../platform/fields.ts';
import { buildUdi } from '../labels/udi.ts';
import { renderLabelPng, renderLabelSheetPdf } from '../labels/render.ts';
import { E } from './errors.ts';
import { productionEvents } from './events.ts';
import { getWorkOrder } from './service.ts';
import type { WorkOrderState } from './workorder.model.ts';

// Labels (QMSR 820.45, ISO 13485 7.5.8): UDI per the DMR's labeling spec, printed against the
// order, and reconciled (printed = used + destroyed) before QA may release. workorder.lifecycle.ts
// declares print_labels and reconcile_labels (with their preconditions); these are their hooks.
type UdiElement = '01' | '17' | '10' | '21' | '11';
export const MAX_LABELS_PER_SHEET = 60;

/**
 * The order's production and expiry dates: fixed by the first label print, else today and today
 * plus the device's shelf life (what a print now would fix). Labels, UDI and output lots share them.
 */
export function labelDates(w: WorkOrderState): { productionDate: string; expiryDate: string | null } {
  const productionDate = w.labels.productionDate ?? todayUtc();
  return {
    productionDate,
    expiryDate: w.labels.expiryDate ?? (w.item.shelfLifeDays ? addDays(productionDate, w.item.shelfLifeDays) : null),
  };
}

/** The UDI of one unit of the order (the serial only for serialized devices). */
export function udiOf(w: WorkOrderState, serial?: string) {
  const { productionDate, expiryDate } = labelDates(w);
  return buildUdi(
    {
      gtin: w.item.gtin ?? '',
      lot: w.lotNumber,
      serial: serial ?? w.serials[0],
      expiry: expiryDate ?? undefined,
      productionDate,
    },
    w.labeling.udiElements as UdiElement[],
  );
}

/** A sample label's human-readable UDI, or null when the order has no labeling spec or its data cannot make one. */
export function sampleHri(w: WorkOrderState): string | null {
  if (!w.labeling.udiElements.length) return null;
  try {
    return udiOf(w).hri;
  } catch {
    return null;
  }
}

/** labelPrinter: the production and expiry dates are fixed by the first print; a lot or serial a GS1 label cannot carry is refused. */
export function printEvent(w: WorkOrderState, c: CommandContext<WorkOrderState>): Change {
  const quantity = c.input.quantity as number;
  assertQuantityInRange(
    w.labels.printed + quantity,
    { en: `Labels printed for ${w.number}`, zh: `工单 ${w.number} 已打印标签数` },
    LABEL_COUNT_MAX,
  );
  const { productionDate, expiryDate } = labelDates(w);
  udiOf(w); // refuses a lot or serial a GS1 label cannot carry
  return productionEvents.change('workorder.labelsPrinted', { quantity, productionDate, expiryDate });
}

/** labelReconciler: printed = used + destroyed; destroyed labels need a reason. */
export function prepareLabelReconciliation(c: CommandContext<WorkOrderState>) {
  const r = c.input as unknown as { used: number; destroyed: number; reason?: string };
  if (r.destroyed > 0 && !r.reason) throw E.REASON_REQUIRED();
  return { used: r.used, destroyed: r.destroyed, reason: r.reason };
}
export function labelReconciliationEvent(
  w: WorkOrderState,
  r: { used: number; destroyed: number; reason?: string },
): Change {
  if (r.used + r.destroyed !== w.labels.printed)
    throw E.LABEL_COUNT_MISMATCH(
      { printed: w.labels.printed, used: r.used, destroyed: r.destroyed },
      { printed: w.labels.printed },
    );
  return productionEvents.change('workorder.labelsReconciled', { used: r.used, destroyed: r.destroyed }, r.reason);
}

const labelOf = (w: WorkOrderState, serial?: string) => {
  const udi = udiOf(w, serial);
  return {
    udi,
    partNumber: w.item.partNumber,
    name: w.item.name,
    lot: w.lotNumber,
    serial: serial ?? null,
    expiry: labelDates(w).expiryDate,
  };
};

export async function sampleLabelPng(s: Services, id: string) {
  const w = await getWorkOrder(s, id);
  return renderLabelPng(labelOf(w));
}

/** The label sheet: one label per serial for serialized devices, else the printed count (up to a sheet). */
export async function labelSheetPdf(s: Services, id: string, locale: 'zh-CN' | 'en-US') {
  const w = await getWorkOrder(s, id);
  const labels = w.serials.length
    ? w.serials.map((sn) => labelOf(w, sn))
    : Array.from({ length: Math.max(1, Math.min(w.labels.printed, MAX_LABELS_PER_SHEET)) }, () => labelOf(w));
  return renderLabelSheetPdf(labels.slice(0, MAX_LABELS_PER_SHEET), locale);
}
