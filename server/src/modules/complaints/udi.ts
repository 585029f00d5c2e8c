import type { Services } from '../../platform/services.ts';
import { AppError } from '../../platform/errors.ts';
import { getItem } from '../items/service.ts';
import { getLot } from '../inventory/service.ts';
import { listLots } from '../inventory/queries.ts';
import type { LotDoc } from '../inventory/lot.record.ts';
import type { ItemDoc } from '../items/item.record.ts';
import { ComplaintErrors as E } from './errors.ts';

// The device and UDI a complaint names (QMSR 820.35(a): "any UDI or UPC, and any other device
// identification(s) and control number(s) used"), read from the inventory projections through the
// inventory module's queries: the DI is the item's GTIN, the PI the lot or serial with its expiry
// and manufacturing date (UDI = DI + PI: 21 CFR 801.20, NMPA UDI rules 2019), and the DHR is the
// work order that produced the lot.

/** GS1 (17)/(11) dates are YYMMDD. */
const yymmdd = (iso: string) => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);

/** The GS1 human-readable interpretation: (01) DI, (11) production date, (17) expiry, (10) lot, (21) serial. */
export function udiHri(u: {
  di: string | null;
  mfgDate: string | null;
  expiryDate: string | null;
  lot: string | null;
  serial: string | null;
}) {
  if (!u.di) return null;
  return [
    `(01)${u.di}`,
    u.mfgDate ? `(11)${yymmdd(u.mfgDate)}` : '',
    u.expiryDate ? `(17)${yymmdd(u.expiryDate)}` : '',
    u.lot ? `(10)${u.lot}` : '',
    u.serial ? `(21)${u.serial}` : '',
  ].join('');
}

/** A lot by its id, its lot number or its serial number. */
async function findLot(s: Services, ref: string): Promise<LotDoc | null> {
  try {
    return await getLot(s, ref);
  } catch (err) {
    if (!(err instanceof AppError) || err.status !== 404) throw err;
  }
  const found = await listLots(s, { q: ref });
  return found.find((l) => l.lotNumber === ref || l.serial === ref) ?? null;
}

export interface DeviceRef {
  lot?: string;
  itemId?: string;
}

/** The device, UDI and DHR link of a complaint, from the lot or serial named (or the device alone when none is known). */
export async function lookUpDevice(s: Services, ref: DeviceRef) {
  const lot = ref.lot ? await findLot(s, ref.lot) : null;
  if (ref.lot && !lot) throw E.COMPLAINT_DEVICE_UNKNOWN({ ref: ref.lot });
  let item: ItemDoc;
  try {
    item = await getItem(s, lot ? lot.item.id : ref.itemId!);
  } catch {
    throw E.COMPLAINT_DEVICE_UNKNOWN({ ref: ref.itemId ?? '' });
  }
  if (item.type !== 'finished') throw E.COMPLAINT_NOT_A_DEVICE({ partNumber: item.partNumber });
  const pi = {
    di: item.gtin ?? null,
    lot: lot ? lot.lotNumber : null,
    serial: lot?.serial ?? null,
    expiryDate: lot?.expiryDate ?? null,
    mfgDate: lot?.mfgDate ?? null,
  };
  return {
    device: { itemId: item._id, partNumber: item.partNumber, name: item.name },
    udi: { ...pi, hri: udiHri(pi) },
    lotId: lot?._id ?? null,
    workOrderId: lot?.workOrderId ?? null,
  };
}
