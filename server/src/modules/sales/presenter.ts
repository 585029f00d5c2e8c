import { streamOf } from '../../records/registry.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import type { SalesOrderDoc } from './salesorder.record.ts';
import { salesOrderLifecycle } from './salesorder.lifecycle.ts';

/** The only shape of a sales order that leaves the server, with what this user may do now. */
export const presentSalesOrder = (o: SalesOrderDoc, user: SessionUser) => ({
  id: o._id,
  stream: streamOf('salesorder', o._id),
  number: o.number,
  status: o.status,
  customer: o.customer,
  customerPo: o.customerPo,
  lines: o.lines,
  shipments: o.shipments,
  createdBy: o.createdBy,
  createdAt: o.createdAt,
  confirmed: o.confirmed,
  cancellation: o.cancellation,
  version: o.ledgerVersion,
  actions: availableActions(salesOrderLifecycle, o, user),
});
