import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import type { PoDoc } from './purchasing.record.ts';
import type { RequisitionDoc } from './requisition.record.ts';
import { POS, REQUISITIONS } from './collections.ts';

// Reads of purchasing projections.
export const purchaseOrders = (s: Services) => s.db.collection<PoDoc>(POS);
export const requisitions = (s: Services) => s.db.collection<RequisitionDoc>(REQUISITIONS);

export async function getPo(s: Services, id: string): Promise<PoDoc> {
  const po = await purchaseOrders(s).findOne({ _id: id });
  if (!po) throw errors.notFound('purchase order');
  return po;
}

export async function getRequisition(s: Services, id: string): Promise<RequisitionDoc> {
  const r = await requisitions(s).findOne({ _id: id });
  if (!r) throw errors.notFound('requisition');
  return r;
}

export const listRequisitions = (s: Services) => requisitions(s).find({}).sort({ createdAt: -1 }).limit(500).toArray();
