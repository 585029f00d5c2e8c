import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { assertQuantityInRange, sumQty } from '../../platform/fields.ts';
import type { CommandContext } from '../../records/lifecycle.ts';
import type { Change } from '../../records/ledgerOps.ts';
import { fefo } from '../inventory/queries.ts';
import { assertIssuable, getLot, issueLot } from '../inventory/service.ts';
import type { LotDoc } from '../inventory/lot.record.ts';
import { E } from './errors.ts';
import { productionEvents } from './events.ts';
import { getWorkOrder } from './service.ts';
import { requiredFor, type ReconLine, type WorkOrderState } from './workorder.model.ts';

// Material issue and reconciliation (ISO 13485 7.5.1, 7.5.9): only released, unexpired lots of
// the BOM's items, never more than the BOM requires without a reason, and at the end every
// issued quantity accounted for as consumed or scrapped. workorder.lifecycle.ts declares
// `issue` and `reconcile_materials`; these are their hooks.
type Ctx = CommandContext<WorkOrderState>;
export interface IssueInput {
  lotId: string;
  quantity: number;
  location?: string;
  reason?: string;
}
export interface IssuePlan {
  input: IssueInput;
  lot: LotDoc;
  location: string | null;
}

/** FEFO suggestions for what each BOM line still needs. */
export async function materialSuggestions(s: Services, id: string) {
  const w = await getWorkOrder(s, id);
  return Promise.all(
    w.bom.map(async (l) => {
      const remaining = Math.max(0, sumQty(l.required, -l.issued));
      const picks = remaining > 0 ? (await fefo(s, l.itemId, remaining)).picks : [];
      return {
        itemId: l.itemId,
        partNumber: l.partNumber,
        unit: l.unit,
        required: l.required,
        issued: l.issued,
        remaining,
        suggestions: picks.map((p) => ({
          lotId: p.lotId,
          lotNumber: p.lotNumber,
          location: p.location,
          available: p.available,
          expiryDate: p.expiryDate,
        })),
      };
    }),
  );
}

/** materialIssuer: the lot's own rules (released, unexpired) and the BOM decide before anything is written. */
export async function prepareIssue(c: Ctx): Promise<IssuePlan> {
  const input = c.input as unknown as IssueInput;
  const w = c.state;
  const lot = await getLot(c.s, input.lotId);
  const line = w.bom.find((l) => l.itemId === lot.item.id);
  if (!line) throw E.ITEM_NOT_IN_BOM({ partNumber: lot.item.partNumber, number: w.number, revision: w.dmr.revision });
  assertIssuable(lot);
  const total = sumQty(line.issued, input.quantity);
  assertQuantityInRange(total, {
    en: `${line.partNumber} issued to ${w.number}`,
    zh: `工单 ${w.number} 已发 ${line.partNumber}`,
  });
  if (total > line.required && !input.reason) {
    throw E.OVER_ISSUE(
      {
        partNumber: line.partNumber,
        issued: line.issued,
        required: line.required,
        unit: line.unit,
        quantity: input.quantity,
      },
      { required: line.required, issued: line.issued },
    );
  }
  return { input, lot, location: null };
}

/** The lot gives the quantity first (its stream refuses what it cannot give); the order then records where it came from. */
export async function issueFromLot(c: Ctx, plan: IssuePlan) {
  const issued = await issueLot(c.s, c.user, plan.lot._id, {
    quantity: plan.input.quantity,
    location: plan.input.location,
    workOrder: c.state.number,
  });
  plan.location = issued.movements[issued.movements.length - 1]?.from ?? plan.input.location ?? null;
}

export function issueEvent({ input, lot, location }: IssuePlan): Change {
  return productionEvents.change(
    'workorder.materialIssued',
    {
      lotId: lot._id,
      lotNumber: lot.lotNumber,
      itemId: lot.item.id,
      partNumber: lot.item.partNumber,
      quantity: input.quantity,
      location,
      supplier: lot.supplier,
      supplierLot: lot.supplierLot,
      expiryDate: lot.expiryDate,
      coaRef: lot.coaRef,
    },
    input.reason,
  );
}

/** materialReconciler: per BOM line, issued = consumed + scrapped; a difference from the standard needs a reason. */
export function reconciliationEvent(w: WorkOrderState, c: Ctx): Change {
  const r = c.input as unknown as {
    lines: Array<{ itemId: string; consumed: number; scrapped: number }>;
    reason?: string;
  };
  const produced = w.output ? sumQty(w.output.goodQuantity, w.output.scrappedQuantity) : w.plannedQuantity;
  const lines: ReconLine[] = w.bom.map((l) => {
    const i = r.lines.findIndex((x) => x.itemId === l.itemId);
    if (i < 0) throw errors.validation('body.lines', { en: `${l.partNumber} is missing`, zh: `缺少 ${l.partNumber}` });
    const { consumed, scrapped } = r.lines[i];
    if (sumQty(consumed, scrapped) !== l.issued) {
      throw E.MATERIAL_COUNT_MISMATCH(
        { partNumber: l.partNumber, consumed, scrapped, issued: l.issued, unit: l.unit },
        { itemId: l.itemId, issued: l.issued },
      );
    }
    const standard = requiredFor(l.quantityPer, produced);
    return {
      itemId: l.itemId,
      partNumber: l.partNumber,
      standard,
      issued: l.issued,
      consumed,
      scrapped,
      variance: sumQty(consumed, -standard),
    };
  });
  if (r.lines.length !== w.bom.length)
    throw errors.validation('body.lines', {
      en: 'one line per BOM item, no others',
      zh: '每个物料清单项一行,不得有其他行',
    });
  if (lines.some((l) => l.variance !== 0 || l.scrapped > 0) && !r.reason) {
    throw errors.validation('body.reason', {
      en: 'a variance from the standard or a scrapped quantity needs a reason',
      zh: '与标准用量有差异或有报废数量时须填写原因',
    });
  }
  return productionEvents.change('workorder.materialsReconciled', { lines }, r.reason);
}
