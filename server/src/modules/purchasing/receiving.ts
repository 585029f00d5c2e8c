import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { currentActor } from '../../platform/context.ts';
import { runCommand } from '../../records/command.ts';
import type { CommandContext, Transition } from '../../records/lifecycle.ts';
import { streamOf } from '../../records/registry.ts';
import { claim } from '../../records/ledgerOps.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { sumQty } from '../../platform/fields.ts';
import { getItem, getLocation, locations } from '../items/service.ts';
import type { ItemDoc, LocationDoc } from '../items/item.record.ts';
import { E as MasterData } from '../items/errors.ts';
import { allocateLotNumber, createLot } from '../inventory/service.ts';
import { openInspection } from '../inspection/service.ts';
import { assertMayDeliver } from '../suppliers/service.ts';
import type { PoState, ReceiptLine } from './purchasing.record.ts';
import { poEvents } from './events.ts';
import { E } from './errors.ts';
import { getPo } from './queries.ts';

// Receiving goods against an approved PO: the `receive` action of po.lifecycle.ts. Each line
// becomes a lot (or one record per serial) in quarantine with the supplier's lot number, dates
// and certificate-of-analysis reference, and an incoming inspection with its sampling plan.
export interface ReceiptInput {
  location?: string;
  lines: Array<{
    lineNo: number;
    quantity: number;
    supplierLot: string;
    mfgDate?: string;
    expiryDate?: string;
    coaRef?: string;
    serials?: string[];
  }>;
}
interface Plan {
  receiptId: string;
  input: ReceiptInput;
  location: LocationDoc;
  items: Map<number, ItemDoc>;
  lines: ReceiptLine[];
}

/** Over-receipt judged on a PO state, counting several receipt lines for the same PO line together. */
function assertWithinOrder(p: PoState, lines: ReceiptInput['lines']) {
  const asked = new Map<number, number>();
  for (const l of lines) asked.set(l.lineNo, sumQty(asked.get(l.lineNo) ?? 0, l.quantity));
  for (const [lineNo, quantity] of asked) {
    const line = p.lines.find((x) => x.lineNo === lineNo)!;
    const open = sumQty(line.quantity, -line.received);
    if (sumQty(line.received, quantity) > line.quantity) {
      throw E.OVER_RECEIPT(
        { number: p.number, lineNo, open, unit: line.unit, quantity },
        { lineNo, ordered: line.quantity, received: line.received, open, requested: quantity },
      );
    }
  }
}

const expiryOf = (l: ReceiptInput['lines'][number], item: ItemDoc, today: string) =>
  l.expiryDate ?? (item.shelfLifeDays ? addDays(l.mfgDate ?? today, item.shelfLifeDays) : null);

/** Every check of a receipt, before anything is claimed or numbered. */
async function prepare({ s, state: po, input }: CommandContext<PoState>): Promise<Plan> {
  const receipt = input as unknown as ReceiptInput & { receiptId?: string };
  const location = receipt.location
    ? await getLocation(s, receipt.location)
    : await locations(s).findOne({ kind: 'quarantine', active: true }, { sort: { _id: 1 } });
  if (!location) throw MasterData.NO_QUARANTINE_LOCATION();
  if (location.kind !== 'quarantine' || !location.active) {
    throw MasterData.LOCATION_NOT_ALLOWED(
      { en: 'Received goods go to an active quarantine location.', zh: '收货必须放入有效的待检库位。' },
      { location: location._id, kind: location.kind },
    );
  }
  // a supplier disqualified (or an item taken off its ASL) since the order was approved delivers nothing more
  for (const [i, l] of receipt.lines.entries()) {
    const line = po.lines.find((x) => x.lineNo === l.lineNo);
    if (line) await assertMayDeliver(s, po.supplier.code, line.itemId, `body.lines.${i}`);
  }
  const items = new Map<number, ItemDoc>();
  const today = todayUtc();
  for (const [i, l] of receipt.lines.entries()) {
    const at = `body.lines.${i}`;
    const line = po.lines.find((x) => x.lineNo === l.lineNo);
    if (!line)
      throw errors.validation(`${at}.lineNo`, {
        en: `PO ${po.number} has no line ${l.lineNo}`,
        zh: `采购订单 ${po.number} 没有第 ${l.lineNo} 行`,
      });
    const item = await getItem(s, line.itemId);
    items.set(l.lineNo, item);
    if (item.control === 'serial') {
      if (!l.serials || l.serials.length !== l.quantity)
        throw errors.validation(`${at}.serials`, {
          en: `one serial number per unit (${l.quantity})`,
          zh: `每件一个序列号(共 ${l.quantity} 个)`,
        });
      if (new Set(l.serials).size !== l.serials.length)
        throw errors.validation(`${at}.serials`, { en: 'serial numbers repeat', zh: '序列号重复' });
    } else if (l.serials?.length)
      throw errors.validation(`${at}.serials`, {
        en: `${item.partNumber} is not serialized`,
        zh: `${item.partNumber} 不按序列号管理`,
      });
    if (l.mfgDate && l.mfgDate > today)
      throw errors.validation(`${at}.mfgDate`, { en: 'manufactured in the future', zh: '生产日期晚于今天' });
    const expiry = expiryOf(l, item, today);
    if (expiry && expiry < today) throw E.RECEIPT_EXPIRED({ lineNo: l.lineNo, expiry });
  }
  assertWithinOrder(po, receipt.lines);
  return { receiptId: receipt.receiptId ?? randomUUID(), input: receipt, location, items, lines: [] };
}

/** Once every check passed: the serials are claimed and each line gets its lot number. */
async function allocate({ s, stream }: CommandContext<PoState>, plan: Plan) {
  const today = todayUtc();
  for (const l of plan.input.lines)
    for (const serial of l.serials ?? [])
      await claim(
        s,
        `serial:${plan.items.get(l.lineNo)!._id}.${serial}`,
        { poId: stream.slice(3) },
        `serial number ${serial}`,
      );
  for (const l of plan.input.lines) {
    plan.lines.push({
      lineNo: l.lineNo,
      quantity: l.quantity,
      lotIds: (l.serials ?? [null]).map(() => randomUUID()),
      lotNumber: await allocateLotNumber(s, currentActor()),
      supplierLot: l.supplierLot,
      mfgDate: l.mfgDate ?? null,
      expiryDate: expiryOf(l, plan.items.get(l.lineNo)!, today),
      coaRef: l.coaRef ?? null,
      serials: l.serials ?? null,
      inspectionId: randomUUID(),
    });
  }
}

/** The receipt landed on the PO: its lots in quarantine and their incoming inspections. */
async function after({ s }: CommandContext<PoState>, po: PoState, plan: Plan) {
  const actor = currentActor();
  const ref = { id: po.id, number: po.number };
  for (const l of plan.lines) {
    const item = plan.items.get(l.lineNo)!;
    const common = {
      item: { id: item._id, partNumber: item.partNumber, name: item.name, unit: item.unit, control: item.control },
      supplier: po.supplier,
      supplierLot: l.supplierLot,
      po: ref,
      receiptId: plan.receiptId,
      location: plan.location._id,
      mfgDate: l.mfgDate,
      expiryDate: l.expiryDate,
      coaRef: l.coaRef,
      source: `po:${po.number}/receipt:${plan.receiptId}`,
      inspectionId: l.inspectionId,
      lotNumber: l.lotNumber,
    };
    for (const [k, lotId] of l.lotIds.entries()) {
      const serial = l.serials?.[k] ?? null;
      await createLot(
        s,
        lotId,
        'lot.received',
        { ...common, kind: serial ? 'serial' : 'lot', serial, quantity: serial ? 1 : l.quantity },
        actor,
      );
    }
    await openInspection(s, actor, l.inspectionId, {
      lotIds: l.lotIds,
      lotNumber: l.lotNumber,
      item,
      quantity: l.quantity,
      supplier: po.supplier,
      po: ref,
      receiptId: plan.receiptId,
    });
  }
}

/** The `receive` action's hooks: the receipt is recorded on the PO at the version its open quantities were judged on, so concurrent receipts never over-receive. */
export const receiveSteps: Pick<Transition<PoState>, 'prepare' | 'allocate' | 'event' | 'recheck' | 'after'> = {
  prepare,
  allocate,
  event: (_p, plan: Plan) =>
    poEvents.change('po.receiptRecorded', {
      receiptId: plan.receiptId,
      location: plan.location._id,
      lines: plan.lines,
    }),
  recheck: (p, plan: Plan) => assertWithinOrder(p, plan.input.lines),
  after,
};

/** Receives goods (POST /purchase-orders/:id/receipts): the PO after it, the receipt's lots and inspections. */
export async function receive(s: Services, user: SessionUser, poId: string, input: ReceiptInput) {
  const receiptId = randomUUID();
  await runCommand(s, user, streamOf('po', poId), 'receive', { ...input, receiptId });
  const po = await getPo(s, poId);
  const lines = po.receipts.find((r) => r.id === receiptId)!.lines;
  return { receiptId, po, lots: lines.flatMap((l) => l.lotIds), inspections: lines.map((l) => l.inspectionId) };
}
