import { streamOf } from '../../records/registry.ts';
import type { CustomerDoc, ItemDoc, LocationDoc } from './item.record.ts';

// The only shapes of master data that leave the server.
export const presentItem = (i: ItemDoc) => ({
  id: i._id,
  stream: streamOf('item', i._id),
  partNumber: i.partNumber,
  revision: i.revision,
  name: i.name,
  type: i.type,
  unit: i.unit,
  control: i.control,
  shelfLifeDays: i.shelfLifeDays,
  storage: i.storage,
  safetyStock: i.safetyStock,
  reorderPoint: i.reorderPoint,
  warrantyMonths: i.warrantyMonths,
  gtin: i.gtin,
  aql: i.aql,
  characteristics: i.characteristics,
  active: i.active,
  revisions: i.revisions,
  version: i.ledgerVersion,
});
export const presentLocation = (l: LocationDoc) => ({
  code: l._id,
  name: l.name,
  kind: l.kind,
  warehouse: l.warehouse,
  area: l.area,
  bin: l.bin,
  active: l.active,
  version: l.ledgerVersion,
});
export const presentCustomer = (c: CustomerDoc) => ({
  code: c._id,
  name: c.name,
  country: c.country,
  address: c.address,
  contact: c.contact,
  active: c.active,
  version: c.ledgerVersion,
});
