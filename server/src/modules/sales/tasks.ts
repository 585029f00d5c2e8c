import type { TaskSource } from '../../records/contributions.ts';
import { tasksFromActions } from '../tasks/fromActions.ts';
import { salesOrderLifecycle } from './salesorder.lifecycle.ts';
import { salesOrders } from './service.ts';

// What sales orders put in an inbox (ISO 13485:2016 7.2.2 order review, 7.5.8/7.5.9 shipment to the
// consignee), read off salesorder.lifecycle.ts: the order desk's draft to confirm and confirmed
// order to allocate, the warehouse's allocated stock to ship, and the delivery to confirm.
const KIND_OF: Record<string, string> = {
  confirm: 'sales_order_confirmation',
  allocate: 'sales_order_allocation',
  ship: 'sales_order_shipment',
  deliver: 'sales_order_delivery',
};

export const salesOrderTasks: TaskSource = {
  kinds: Object.values(KIND_OF),
  async tasksFor(s, user) {
    const open = await salesOrders(s)
      .find({ status: { $in: ['draft', 'confirmed', 'allocated', 'partially_shipped', 'shipped'] } })
      .limit(500)
      .toArray();
    return tasksFromActions(s, user, salesOrderLifecycle, open, (o, a) => {
      const kind = KIND_OF[a.action];
      if (!kind) return null;
      return {
        id: `${kind}.${o._id}`,
        kind,
        number: o.number,
        title: o.customer.name,
        revision: '',
        due: o.lines.map((l) => l.requestedDate).sort()[0] ?? null,
        link: { route: 'sales-order', id: o._id },
      };
    });
  },
};
