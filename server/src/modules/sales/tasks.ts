import { lifecycleTaskSource } from '../tasks/fromActions.ts';
import { salesOrderLifecycle } from './salesorder.lifecycle.ts';
import { salesOrders } from './service.ts';
import { salesOrderRecord } from './salesorder.record.ts';
import { openRecords, type DocOf } from '../../records/openRecords.ts';

// What sales orders put in an inbox (ISO 13485:2016 7.2.2 order review, 7.5.8/7.5.9 shipment to the
// consignee), read off salesorder.lifecycle.ts: the order desk's draft to confirm and confirmed
// order to allocate, the warehouse's allocated stock to ship, and the delivery to confirm.
export const salesOrderTasks = lifecycleTaskSource({
  decl: salesOrderLifecycle,
  kindOf: {
    confirm: 'sales_order_confirmation',
    allocate: 'sales_order_allocation',
    ship: 'sales_order_shipment',
    deliver: 'sales_order_delivery',
  },
  load: async (s) =>
    (
      await openRecords<DocOf<typeof salesOrders>>(s, salesOrderRecord, 'open', (o) =>
        ['draft', 'confirmed', 'allocated', 'partially_shipped', 'shipped'].includes(o.status),
      )
    ).slice(0, 500),
  task: (o, _a, kind) => ({
    id: `${kind}.${o._id}`,
    number: o.number,
    title: o.customer.name,
    revision: '',
    due: o.lines.map((l) => l.requestedDate).sort()[0] ?? null,
    link: { route: 'sales-order', id: o._id },
  }),
});
