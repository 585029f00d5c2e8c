import { errors } from '../../platform/errors.ts';
import { currentActor } from '../../platform/context.ts';
import { assertQuantityInRange, sumQty } from '../../platform/fields.ts';
import { streamOf } from '../../records/registry.ts';
import { mutate, type Change } from '../../records/ledgerOps.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import type { CommandContext } from '../../records/lifecycle.ts';
import type { SignatureData } from '../../../../signatures/esign/seal.ts';
import { locations } from '../items/service.ts';
import { createLot } from '../inventory/service.ts';
import type { LotState } from '../inventory/lot.record.ts';
import { E } from './errors.ts';
import { E as MasterData } from '../items/errors.ts';
import { productionEvents } from './events.ts';
import { labelDates } from './labels.ts';
import { woStream } from './service.ts';
import { requiredFor, type WorkOrderState } from './workorder.model.ts';

// Completion and product release, the hooks of `complete` and `qa_release` (workorder.lifecycle.ts):
// the good output goes to quarantine as one lot, or one unit per serial; the QA release signature
// on a complete DHR releases it.
type Ctx = CommandContext<WorkOrderState>;
export interface CompleteInput {
  goodQuantity: number;
  scrappedQuantity: number;
  scrappedSerials?: string[];
  reason?: string;
}
export interface CompletionPlan {
  input: CompleteInput;
  quarantine: string;
  lotIds: string[];
  serials: string[];
}

/** workOrderCompleter's checks, before anything is written: where the output goes, and what it is. */
export async function prepareCompletion(c: Ctx): Promise<CompletionPlan> {
  const input = c.input as unknown as CompleteInput;
  const w = c.state;
  const quarantine = (await locations(c.s).find({ kind: 'quarantine', active: true }).toArray()).sort((a, b) =>
    a.code.localeCompare(b.code),
  )[0];
  if (!quarantine) throw MasterData.NO_QUARANTINE_LOCATION();
  if (input.scrappedQuantity > 0 && !input.reason)
    throw errors.validation('body.reason', { en: 'scrapped output needs a reason', zh: '有报废产出时须填写原因' });
  // the output and the material it stands for stay quantities (the reconciliation's standard is computed from them)
  const produced = sumQty(input.goodQuantity, input.scrappedQuantity);
  assertQuantityInRange(produced, { en: `The output of ${w.number}`, zh: `工单 ${w.number} 的产出` });
  for (const l of w.bom)
    assertQuantityInRange(requiredFor(l.quantityPer, produced), {
      en: `${l.partNumber} for this output`,
      zh: `该产出所需的 ${l.partNumber}`,
    });
  let serials: string[] = [];
  if (w.serials.length) {
    const scrapped = input.scrappedSerials ?? [];
    if (scrapped.some((sn) => !w.serials.includes(sn)) || scrapped.length !== input.scrappedQuantity) {
      throw errors.validation('body.scrappedSerials', {
        en: 'name each scrapped serial of this order',
        zh: '请逐一列出本工单报废的序列号',
      });
    }
    serials = w.serials.filter((sn) => !scrapped.includes(sn));
    if (serials.length !== input.goodQuantity) {
      throw errors.validation('body.goodQuantity', {
        en: `${serials.length} serials remain good`,
        zh: `合格序列号剩余 ${serials.length} 个`,
      });
    }
  }
  const lotIds = w.serials.length
    ? serials.map(() => crypto.randomUUID())
    : input.goodQuantity > 0
      ? [crypto.randomUUID()]
      : [];
  return { input, quarantine: quarantine._id, lotIds, serials };
}

export function completionEvent({ input, lotIds, serials }: CompletionPlan): Change {
  return productionEvents.change(
    'workorder.completed',
    { goodQuantity: input.goodQuantity, scrappedQuantity: input.scrappedQuantity, lotIds, serials },
    input.reason,
  );
}

/** The recorded output enters the stock in quarantine, with the order's production and expiry dates. */
export async function createOutputLots(c: Ctx, w: WorkOrderState, plan: CompletionPlan) {
  const { productionDate: mfgDate, expiryDate } = labelDates(w);
  const item = {
    id: w.item.id,
    partNumber: w.item.partNumber,
    name: w.item.name,
    unit: w.item.unit,
    control: w.item.control,
  };
  for (const [i, lotId] of (w.output?.lotIds ?? []).entries()) {
    const serial = w.output?.serials[i] ?? null;
    await createLot(
      c.s,
      lotId,
      'lot.produced',
      {
        item,
        lotNumber: w.lotNumber,
        kind: serial ? 'serial' : 'lot',
        serial,
        quantity: serial ? 1 : plan.input.goodQuantity,
        location: plan.quarantine,
        source: `work-order:${w.number}`,
        workOrderId: w.id,
        mfgDate,
        expiryDate,
      },
      currentActor(),
    );
  }
}

/**
 * The released DHR releases its output: each lot or serial leaves quarantine, carrying the work
 * order's QA release signature itself, so the lot's own stream proves its release (the lot reducer
 * counts the event only with that sealed signature, see releasedByItsDhr).
 */
export async function releaseOutput(c: Ctx, w: WorkOrderState) {
  if (w.state !== 'closed') return;
  const events = await c.s.ledger.read(woStream(w.id));
  const signature = events.find(
    (e) => e.type === SIGNATURE_EVENT && (e.data as SignatureData).signatureId === w.release?.signatureId,
  )?.data as SignatureData | undefined;
  if (!signature) throw E.RELEASE_SIGNATURE_MISSING({ number: w.number });
  for (const lotId of w.output?.lotIds ?? []) {
    await mutate<LotState>(c.s, streamOf('lot', lotId), undefined, (l) =>
      l && l.status === 'quarantine'
        ? {
            type: 'lot.releasedByDhr',
            data: { workOrder: w.number, workOrderId: w.id, signatureId: signature.signatureId, signature },
          }
        : null,
    );
  }
}
