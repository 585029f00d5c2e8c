import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { actorOf } from '../../identity/authService.ts';
import { domainError, errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { claim, mutate } from '../../records/ledgerOps.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { sumQty } from '../../platform/fields.ts';
import { getItem, getLocation, locations } from '../items/service.ts';
import type { ItemDoc } from '../items/item.record.ts';
import { allocateLotNumber, createLot } from '../inventory/service.ts';
import { openInspection } from '../inspection/service.ts';
import { getPo } from './service.ts';
import { assertMayDeliver } from '../suppliers/service.ts';
import type { PoState, ReceiptLine } from './purchasing.record.ts';

export interface ReceiptInput {
  location?: string;
  lines: Array<{ lineNo: number; quantity: number; supplierLot: string; mfgDate?: string; expiryDate?: string; coaRef?: string; serials?: string[] }>;
}

const RECEIVABLE = ['approved', 'partially_received'];
const notApproved = (p: { number: string; status: string }) =>
  domainError('PO_NOT_APPROVED', `PO ${p.number} is ${p.status}; only approved orders are received.`, `采购订单 ${p.number} 处于"${p.status}"状态,只有已批准的订单才能收货。`, 409, { status: p.status });

function overReceipt(p: PoState, lineNo: number, quantity: number) {
  const l = p.lines.find((x) => x.lineNo === lineNo)!;
  const open = sumQty(l.quantity, -l.received);
  return domainError('OVER_RECEIPT', `Line ${lineNo} of PO ${p.number} has ${open} ${l.unit} open; ${quantity} cannot be received.`,
    `采购订单 ${p.number} 第 ${lineNo} 行未交数量为 ${open} ${l.unit},不能收货 ${quantity}。`, 409, { lineNo, ordered: l.quantity, received: l.received, open, requested: quantity });
}

/** Over-receipt judged on a PO state, counting several receipt lines for the same PO line together. */
function assertWithinOrder(p: PoState, lines: ReceiptInput['lines']) {
  const asked = new Map<number, number>();
  for (const l of lines) asked.set(l.lineNo, sumQty(asked.get(l.lineNo) ?? 0, l.quantity));
  for (const [lineNo, quantity] of asked) {
    const line = p.lines.find((x) => x.lineNo === lineNo)!;
    if (sumQty(line.received, quantity) > line.quantity) throw overReceipt(p, lineNo, quantity);
  }
}

/**
 * Receives goods against an approved PO: each line becomes a lot (or one record per serial) in
 * quarantine with the supplier's lot number, dates and certificate-of-analysis reference, and an
 * incoming inspection with its sampling plan. The receipt is first recorded on the PO at the
 * version its open quantities were judged on, so concurrent receipts can never over-receive.
 */
export async function receive(s: Services, user: SessionUser, poId: string, input: ReceiptInput) {
  const po = await getPo(s, poId);
  if (!RECEIVABLE.includes(po.status)) throw notApproved(po);
  const location = input.location ? await getLocation(s, input.location) : await locations(s).findOne({ kind: 'quarantine', active: true }, { sort: { _id: 1 } });
  if (!location) throw domainError('NO_QUARANTINE_LOCATION', 'No quarantine location is set up.', '尚未设置待检库位。', 409);
  if (location.kind !== 'quarantine' || !location.active) {
    throw domainError('LOCATION_NOT_ALLOWED', 'Received goods go to an active quarantine location.', '收货必须放入有效的待检库位。', 409, { location: location._id, kind: location.kind });
  }
  // a supplier disqualified (or an item taken off its ASL) since the order was approved delivers nothing more
  for (const [i, l] of input.lines.entries()) {
    const line = po.lines.find((x) => x.lineNo === l.lineNo);
    if (line) await assertMayDeliver(s, po.supplier.code, line.itemId, `body.lines.${i}`);
  }
  const items = new Map<number, ItemDoc>();
  const today = todayUtc();
  for (const [i, l] of input.lines.entries()) {
    const line = po.lines.find((x) => x.lineNo === l.lineNo);
    if (!line) throw errors.validation(`body.lines.${i}.lineNo`, `PO ${po.number} has no line ${l.lineNo}`);
    const item = await getItem(s, line.itemId);
    items.set(l.lineNo, item);
    if (item.control === 'serial') {
      if (!l.serials || l.serials.length !== l.quantity) throw errors.validation(`body.lines.${i}.serials`, `one serial number per unit (${l.quantity})`);
      if (new Set(l.serials).size !== l.serials.length) throw errors.validation(`body.lines.${i}.serials`, 'serial numbers repeat');
    } else if (l.serials?.length) throw errors.validation(`body.lines.${i}.serials`, `${item.partNumber} is not serialized`);
    if (l.mfgDate && l.mfgDate > today) throw errors.validation(`body.lines.${i}.mfgDate`, 'manufactured in the future');
    const expiry = l.expiryDate ?? (item.shelfLifeDays ? addDays(l.mfgDate ?? today, item.shelfLifeDays) : null);
    if (expiry && expiry < today) throw domainError('RECEIPT_EXPIRED', `Line ${l.lineNo}: the goods expired on ${expiry}.`, `第 ${l.lineNo} 行:货物已于 ${expiry} 过期。`, 409);
  }
  assertWithinOrder(po, input.lines); // early, so that a refused receipt burns no lot or serial numbers
  const actor = actorOf(user);
  for (const l of input.lines) for (const serial of l.serials ?? []) await claim(s, `serial:${items.get(l.lineNo)!._id}.${serial}`, { poId }, `serial number ${serial}`, actor);
  const receiptId = randomUUID();
  const lines: ReceiptLine[] = [];
  for (const l of input.lines) {
    const item = items.get(l.lineNo)!;
    lines.push({
      lineNo: l.lineNo, quantity: l.quantity, lotIds: (l.serials ?? [null]).map(() => randomUUID()), lotNumber: await allocateLotNumber(s, actor),
      supplierLot: l.supplierLot, mfgDate: l.mfgDate ?? null, expiryDate: l.expiryDate ?? (item.shelfLifeDays ? addDays(l.mfgDate ?? today, item.shelfLifeDays) : null),
      coaRef: l.coaRef ?? null, serials: l.serials ?? null, inspectionId: randomUUID(),
    });
  }
  await mutate<PoState>(s, streamOf('po', poId), actor, (p) => {
    if (!RECEIVABLE.includes(p!.status)) throw notApproved(p!);
    assertWithinOrder(p!, input.lines);
    return { type: 'po.receiptRecorded', data: { receiptId, location: location._id, lines: lines as unknown as Record<string, unknown>[] } };
  });
  const supplier = po.supplier;
  for (const l of lines) {
    const item = items.get(l.lineNo)!;
    const common = {
      item: { id: item._id, partNumber: item.partNumber, name: item.name, unit: item.unit, control: item.control }, supplier, supplierLot: l.supplierLot,
      po: { id: po._id, number: po.number }, receiptId, location: location._id, mfgDate: l.mfgDate, expiryDate: l.expiryDate, coaRef: l.coaRef,
      source: `po:${po.number}/receipt:${receiptId}`, inspectionId: l.inspectionId, lotNumber: l.lotNumber,
    };
    for (const [k, lotId] of l.lotIds.entries()) {
      const serial = l.serials?.[k] ?? null;
      await createLot(s, lotId, 'lot.received', { ...common, kind: serial ? 'serial' : 'lot', serial, quantity: serial ? 1 : l.quantity }, actor);
    }
    await openInspection(s, actor, l.inspectionId, { lotIds: l.lotIds, lotNumber: l.lotNumber, item, quantity: l.quantity, supplier, po: { id: po._id, number: po.number }, receiptId });
  }
  return { receiptId, po: await getPo(s, poId), lots: lines.flatMap((l) => l.lotIds), inspections: lines.map((l) => l.inspectionId) };
}
