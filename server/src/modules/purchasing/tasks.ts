import type { TaskSource } from '../../records/contributions.ts';
import { hasPermission } from '../../identity/roles.ts';
import { tasksFromActions } from '../tasks/fromActions.ts';
import { poLifecycle } from './po.lifecycle.ts';
import { poRecord } from './purchasing.record.ts';
import type { purchaseOrders } from './queries.ts';
import { openRecords, sortedBy, type DocOf } from '../../records/openRecords.ts';

const OPEN = ['pending_approval', 'approved', 'partially_received'];

// What purchasing puts in a user's inbox (registered in modules/contributions.ts), read off
// po.lifecycle.ts: orders waiting for an approval signature (ISO 13485:2016 7.4.2, purchasing
// information approved before it is communicated), and approved orders with goods still to receive
// (7.4.3: what is received is verified; the receipt opens the incoming inspection).
export const purchasingTasks: TaskSource = {
  kinds: ['po_approval', 'po_receipt'],
  async tasksFor(s, user) {
    if (!hasPermission(user, 'purchasing.approve') && !hasPermission(user, 'purchasing.receive')) return [];
    const all = await openRecords<DocOf<typeof purchaseOrders>>(s, poRecord, 'open', (po) => OPEN.includes(po.status));
    const open = sortedBy(all, (po) => po.createdAt, 1, 500);
    return tasksFromActions(s, user, poLifecycle, open, (po, a) => {
      const ref = { number: po.number, title: po.supplier.name, link: { route: 'purchase-order', id: po._id } };
      if (a.action === 'approve')
        return { id: `po_approval.${po._id}`, kind: 'po_approval', ...ref, revision: po.supplier.code, due: null };
      if (a.action === 'receive') {
        const due = po.lines.filter((l) => l.received < l.quantity).map((l) => l.dueDate);
        const first = due.length ? due.reduce((x, y) => (x < y ? x : y)) : null;
        return { id: `po_receipt.${po._id}`, kind: 'po_receipt', ...ref, revision: po.supplier.code, due: first };
      }
      return null;
    });
  },
};
