import type { Services } from '../../platform/services.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { roundQty } from '../../platform/fields.ts';
import { items } from '../items/service.ts';
import { lots, sweepExpired } from './service.ts';
import { lotRecord, type LotDoc } from './lot.record.ts';
import { openRecords, sortedBy } from '../../records/openRecords.ts';

export const EXPIRY_WARNING_DAYS = 30;

/**
 * The lots list, from the in-process index of every lot (records/openRecords.ts; a filter query on the
 * embedded engine scans and decodes the whole collection, twice with the expiry sweep's). The sweep
 * runs first whenever a lot in the index is past its expiry and still expirable, as before every list.
 */
export async function listLots(s: Services, f: { status?: string; item?: string; location?: string; q?: string }) {
  const today = todayUtc();
  const expirable = ['quarantine', 'released', 'on_hold'];
  const pastExpiry = (l: LotDoc) => expirable.includes(l.status) && !!l.expiryDate && l.expiryDate < today;
  let all = await openRecords<LotDoc>(s, lotRecord, 'all', () => true);
  if (all.some(pastExpiry)) {
    await sweepExpired(s);
    all = await openRecords<LotDoc>(s, lotRecord, 'all', () => true);
  }
  const found = sortedBy(
    all.filter(
      (l) =>
        (!f.status || l.status === f.status) &&
        (!f.item || l.item.id === f.item) &&
        (!f.location || l.locations.includes(f.location)),
    ),
    (l) => l.createdAt,
    -1,
    2000,
  );
  if (!f.q) return found;
  const needle = f.q.toLowerCase();
  return found.filter((l) =>
    [l.lotNumber, l.serial ?? '', l.supplierLot ?? '', l.item.partNumber].some((x) => x.toLowerCase().includes(needle)),
  );
}

const byExpiry = (a: LotDoc, b: LotDoc) =>
  (a.expiryDate ?? '9999-12-31').localeCompare(b.expiryDate ?? '9999-12-31') || a.createdAt.localeCompare(b.createdAt);

/** First-expired-first-out: released, unexpired lots of the item in expiry order, with what to take from where. */
export async function fefo(s: Services, itemId: string, qty: number) {
  await sweepExpired(s);
  const today = todayUtc();
  const candidates = (await lots(s).find({ 'item.id': itemId, status: 'released' }).toArray())
    .filter((l) => !l.expiryDate || l.expiryDate >= today)
    .sort(byExpiry);
  let open = qty;
  const picks = [];
  for (const l of candidates) {
    for (const b of l.balances) {
      if (open <= 0) break;
      const take = Math.min(open, b.quantity);
      picks.push({
        lotId: l._id,
        lotNumber: l.lotNumber,
        serial: l.serial,
        expiryDate: l.expiryDate,
        location: b.location,
        available: b.quantity,
        take: roundQty(take),
      });
      open = roundQty(open - take);
    }
  }
  return { item: itemId, requested: qty, picks, shortfall: Math.max(0, open) };
}

/** Expiry alerts (expired, expiring within 30 days) and safety stock / reorder point per item. */
export async function inventoryAlerts(s: Services) {
  await sweepExpired(s);
  const today = todayUtc();
  const horizon = addDays(today, EXPIRY_WARNING_DAYS);
  const alerts: Array<Record<string, unknown>> = [];
  const dated = await lots(s)
    .find({
      status: { $in: ['quarantine', 'released', 'on_hold', 'expired'] },
      expiryDate: { $lte: horizon, $ne: null },
    })
    .toArray();
  for (const l of dated.sort(byExpiry)) {
    if (l.quantity <= 0) continue;
    const daysLeft = Math.round((Date.parse(l.expiryDate!) - Date.parse(today)) / 86_400_000);
    alerts.push({
      kind: l.status === 'expired' ? 'lot_expired' : 'lot_expiring',
      lot: { id: l._id, lotNumber: l.lotNumber, status: l.status, quantity: l.quantity, locations: l.locations },
      item: { id: l.item.id, partNumber: l.item.partNumber, name: l.item.name },
      expiryDate: l.expiryDate,
      daysLeft,
    });
  }
  const stocked = await lots(s)
    .find({ status: 'released' }, { projection: { 'item.id': 1, quantity: 1, expiryDate: 1 } })
    .toArray();
  const onHand = new Map<string, number>();
  for (const l of stocked)
    if (!l.expiryDate || l.expiryDate >= today)
      onHand.set(l.item.id, roundQty((onHand.get(l.item.id) ?? 0) + l.quantity));
  for (const it of await items(s)
    .find({ active: true, $or: [{ safetyStock: { $gt: 0 } }, { reorderPoint: { $gt: 0 } }] })
    .toArray()) {
    const qty = onHand.get(it._id) ?? 0;
    const base = {
      item: { id: it._id, partNumber: it.partNumber, name: it.name, unit: it.unit },
      available: qty,
      safetyStock: it.safetyStock,
      reorderPoint: it.reorderPoint,
    };
    if (qty < it.safetyStock) alerts.push({ kind: 'below_safety_stock', ...base });
    else if (qty <= it.reorderPoint) alerts.push({ kind: 'reorder', ...base });
  }
  return alerts;
}
