import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { hasPermission } from '../../identity/roles.ts';
import { actorOf } from '../../identity/authService.ts';
import { IsoDate, Quantity, optional } from '../../platform/fields.ts';
import { Text } from '../../platform/schemas.ts';
import { todayUtc } from '../../platform/dates.ts';
import { streamOf } from '../../records/registry.ts';
import { items, locations } from '../items/service.ts';
import { createLot, lots } from '../inventory/service.ts';
import type { CellIssue, KindDef } from './kindTypes.ts';
import { strip, text } from './kindTypes.ts';

// Opening stock (issue 14 item 3): the lots and serialized units on hand at go-live, each into a
// location and released as the opening balance. The lot is made by the inventory module's own
// createLot (the path its events declare for "a migration may create a lot in another status"),
// as the importer, with its source `opening-balance`. Releasing stock is QA's (ISO 13485:2016
// 7.4.3 / 8.2.6: product released only after verification): the importer needs the right to
// release inventory. Traceability of each lot/serial to its item is ISO 13485:2016 7.5.9.

const OpeningStockBody = z
  .object({
    partNumber: Text(40).min(1),
    lotNumber: Text(60).min(1),
    serial: optional(Text(60).min(1)),
    location: Text(40).min(1),
    quantity: Quantity,
    mfgDate: optional(IsoDate),
    expiryDate: optional(IsoDate),
    supplierLot: optional(Text(60).min(1)),
  })
  .strict();
type OpeningStock = z.infer<typeof OpeningStockBody>;

async function itemOf(s: Services, pn: string) {
  const claimed = (await s.ledger.read(`partnumber:${pn.toUpperCase()}`))[0]?.data as { itemId?: string } | undefined;
  return claimed?.itemId ? items(s).findOne({ _id: claimed.itemId }) : null;
}

const issue = (key: string, en: string, zh: string): CellIssue => ({ key, en, zh });

export const openingStockKind: KindDef = {
  keyColumn: 'lotNumber',
  foldCase: true,
  schema: OpeningStockBody,
  columns: [
    { key: 'partNumber', en: 'Part number', zh: '物料编码', required: true, example: 'PN-1001' },
    { key: 'lotNumber', en: 'Lot number', zh: '批号', required: true, example: 'L-2025-001' },
    { key: 'serial', en: 'Serial number (serialized items)', zh: '序列号(序列号管理物料)', example: '' },
    { key: 'location', en: 'Location code', zh: '库位编码', required: true, example: 'WH1-A-01' },
    { key: 'quantity', en: 'Quantity', zh: '数量', required: true, number: true, example: '100' },
    {
      key: 'mfgDate',
      en: 'Manufactured or received (YYYY-MM-DD)',
      zh: '生产或收货日期(YYYY-MM-DD)',
      date: true,
      example: '2025-06-01',
    },
    {
      key: 'expiryDate',
      en: 'Expiry date (YYYY-MM-DD)',
      zh: '有效期至(YYYY-MM-DD)',
      date: true,
      example: '2027-06-01',
    },
    { key: 'supplierLot', en: 'Supplier lot', zh: '供应商批号', example: '' },
  ],
  body: (v) =>
    strip({
      partNumber: text(v.partNumber),
      lotNumber: text(v.lotNumber),
      serial: text(v.serial),
      location: text(v.location),
      quantity: v.quantity,
      mfgDate: text(v.mfgDate),
      expiryDate: text(v.expiryDate),
      supplierLot: text(v.supplierLot),
    }),
  // a lot is one item's: the same lot number may be another item's lot; a serial is one unit
  keyOf: (v) =>
    v.partNumber === undefined || v.lotNumber === undefined
      ? undefined
      : [v.partNumber, v.lotNumber, v.serial ?? ''].map((x) => String(x).toUpperCase()).join('\u0000'),
  exists: async (s, key) => {
    const [pn, lotNumber, serial] = key.split('\u0000');
    const it = await itemOf(s, pn);
    if (!it) return false;
    const found = await lots(s)
      .find({ 'item.id': it._id }, { projection: { lotNumber: 1, serial: 1 } })
      .toArray();
    return found.some(
      (l) => l.lotNumber.toUpperCase() === lotNumber && String(l.serial ?? '').toUpperCase() === (serial ?? ''),
    );
  },
  check: async (s, user, _v, parsed) => {
    const r = parsed as OpeningStock;
    if (!hasPermission(user, 'inventory.release'))
      return [
        issue(
          'lotNumber',
          'releasing opening stock needs the right to release inventory',
          '以期初库存放行需要库存放行权限',
        ),
      ];
    const out: CellIssue[] = [];
    const it = await itemOf(s, r.partNumber);
    if (!it)
      out.push(
        issue('partNumber', `no item with part number ${r.partNumber}`, `没有物料编码为 ${r.partNumber} 的物料`),
      );
    else if (!it.active)
      out.push(issue('partNumber', `item ${r.partNumber} is inactive`, `物料 ${r.partNumber} 已停用`));
    else if (it.control === 'serial') {
      if (!r.serial)
        out.push(issue('serial', 'a serialized item needs its serial number', '序列号管理的物料需要序列号'));
      if (r.quantity !== 1)
        out.push(issue('quantity', 'a serialized unit has quantity 1', '序列号管理的单件数量应为 1'));
    } else if (r.serial)
      out.push(issue('serial', `item ${r.partNumber} is not serialized`, `物料 ${r.partNumber} 不按序列号管理`));
    const loc = await locations(s).findOne({ _id: r.location });
    if (!loc) out.push(issue('location', `no location ${r.location}`, `没有库位 ${r.location}`));
    else if (!loc.active)
      out.push(issue('location', `location ${r.location} is inactive`, `库位 ${r.location} 已停用`));
    else if (loc.kind !== 'storage')
      out.push(
        issue(
          'location',
          `released stock goes to a storage location, not ${loc.kind}`,
          `放行库存应放入存储库位,而非 ${loc.kind}`,
        ),
      );
    if (r.mfgDate && r.mfgDate > todayUtc()) out.push(issue('mfgDate', 'a date in the future', '日期不能晚于今天'));
    if (r.expiryDate && r.mfgDate && r.expiryDate <= r.mfgDate)
      out.push(
        issue(
          'expiryDate',
          `expires on or before it was made or received (${r.mfgDate})`,
          `有效期不晚于生产或收货日期(${r.mfgDate})`,
        ),
      );
    else if (r.expiryDate && r.expiryDate <= todayUtc())
      out.push(issue('expiryDate', 'already expired: not stock to release', '已过期:不能作为可放行库存'));
    if (it && it.control !== 'serial' && it.shelfLifeDays && !r.expiryDate)
      out.push(
        issue(
          'expiryDate',
          `item ${r.partNumber} has a shelf life: its expiry date is required`,
          `物料 ${r.partNumber} 有有效期:需填写有效期至`,
        ),
      );
    return out;
  },
  create: async (s, user, parsed) => {
    const r = parsed as OpeningStock;
    const it = (await itemOf(s, r.partNumber))!;
    const id = randomUUID();
    await createLot(
      s,
      id,
      'lot.received',
      {
        item: { id: it._id, partNumber: it.partNumber, name: it.name, unit: it.unit, control: it.control },
        lotNumber: r.lotNumber,
        kind: it.control === 'serial' ? 'serial' : 'lot',
        serial: r.serial ?? null,
        quantity: r.quantity,
        location: r.location,
        status: 'released',
        supplierLot: r.supplierLot ?? null,
        mfgDate: r.mfgDate ?? null,
        expiryDate: r.expiryDate ?? null,
        source: 'opening-balance',
      },
      actorOf(user),
    );
    return streamOf('lot', id);
  },
};
