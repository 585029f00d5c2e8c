import type { Services } from '../../platform/services.ts';
import { sumQty } from '../../platform/fields.ts';
import { todayUtc } from '../../platform/dates.ts';
import { lots } from '../inventory/service.ts';
import type { LotDoc } from '../inventory/lot.record.ts';
import { SALES_ORDERS } from './collection.ts';
import type { Allocation, SalesOrderDoc, SalesOrderState } from './salesorder.record.ts';

// What stock a sales order line may take: released lots of the line's item, not past their expiry
// date, less what other orders (and this one) already hold. Held, quarantined, rejected and
// expired lots are never candidates (21 CFR 820.86 / ISO 13485 7.5.8, 8.3: nonconforming or
// unreleased product does not ship). Lots go first-expiry-first-out (earliest expiry date, then
// lot number; a lot without expiry last); serialized units by serial number.

export interface Candidate {
  lotId: string;
  lotNumber: string;
  serial: string | null;
  expiryDate: string | null;
  mfgDate: string | null;
  quantity: number;
  available: number;
}

/** ISO dates compare as strings; a lot without an expiry date sorts after every dated one. */
export const fefo = (a: Candidate, b: Candidate) =>
  (a.expiryDate ?? '9999-12-31').localeCompare(b.expiryDate ?? '9999-12-31') ||
  a.lotNumber.localeCompare(b.lotNumber) ||
  (a.serial ?? '').localeCompare(b.serial ?? '');
const bySerial = (a: Candidate, b: Candidate) =>
  (a.serial ?? '').localeCompare(b.serial ?? '') || a.lotNumber.localeCompare(b.lotNumber);

/** Released, unexpired stock of `itemId` with what is still free of reservations, in picking order. */
export async function candidates(s: Services, order: SalesOrderState, itemId: string): Promise<Candidate[]> {
  const today = todayUtc();
  const found = (await lots(s)
    .find({ 'item.id': itemId, status: 'released', quantity: { $gt: 0 } })
    .toArray()) as LotDoc[];
  const fresh = found.filter((l) => !l.expiryDate || l.expiryDate >= today);
  const ids = fresh.map((l) => l._id);
  const held = new Map<string, number>();
  const add = (r: Array<{ lotId: string; quantity: number }>) => {
    for (const x of r) held.set(x.lotId, sumQty(held.get(x.lotId) ?? 0, x.quantity));
  };
  if (ids.length) {
    const others = await s.db
      .collection<SalesOrderDoc>(SALES_ORDERS)
      .find({ 'reserved.lotId': { $in: ids }, _id: { $ne: order.id } }, { projection: { reserved: 1 } })
      .toArray();
    for (const o of others) add(o.reserved);
  }
  add(order.reserved);
  const list = fresh.map((l) => ({
    lotId: l._id,
    lotNumber: l.lotNumber,
    serial: l.serial,
    expiryDate: l.expiryDate,
    mfgDate: l.mfgDate,
    quantity: l.quantity,
    available: Math.max(0, sumQty(l.quantity, -(held.get(l._id) ?? 0))),
  }));
  return list.filter((c) => c.available > 0).sort(found[0]?.kind === 'serial' ? bySerial : fefo);
}

/** FEFO: take from the first-expiring candidates until `quantity` is covered (null: not enough). */
export function pickFefo(list: Candidate[], quantity: number, serial: boolean): Allocation[] | null {
  const out: Allocation[] = [];
  let left = quantity;
  for (const c of list) {
    if (left <= 0) break;
    const take = serial ? 1 : Math.min(c.available, left);
    out.push({
      lotId: c.lotId,
      lotNumber: c.lotNumber,
      serial: c.serial,
      expiryDate: c.expiryDate,
      mfgDate: c.mfgDate,
      quantity: take,
    });
    left = sumQty(left, -take);
  }
  return left > 0 ? null : out;
}
