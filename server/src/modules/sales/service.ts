import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { yearlyNumber } from '../../records/ledgerOps.ts';
import { hasPermission } from '../../identity/roles.ts';
import { activeItem, getCustomer } from '../items/service.ts';
import { InventoryErrors } from '../inventory/errors.ts';
import { SalesErrors as E } from './errors.ts';
import { salesEvents } from './events.ts';
import { SALES_ORDERS, type SalesOrderDoc } from './salesorder.record.ts';
import type { NewSalesOrder, SalesOrderFilter } from './schema.ts';

export const salesOrders = (s: Services) => s.db.collection<SalesOrderDoc>(SALES_ORDERS);
const soStream = (id: string) => streamOf('salesorder', id);

export async function getSalesOrder(s: Services, id: string): Promise<SalesOrderDoc> {
  const o = await salesOrders(s).findOne({ _id: id });
  if (!o) throw errors.notFound('sales order');
  return o;
}

export function listSalesOrders(s: Services, f: SalesOrderFilter) {
  const q: Record<string, unknown> = {};
  if (f.status) q.status = f.status;
  if (f.customer) q['customer.code'] = f.customer;
  return salesOrders(s).find(q).sort({ createdAt: -1 }).limit(500).toArray();
}

/**
 * Enters a sales order in draft: the customer (active) and each line's item (active) are checked,
 * a serialized item's quantity is whole, then the number is taken and the order written. Not a
 * lifecycle action (there is no record yet): it runs as the user, like opening an NC.
 */
export function createSalesOrder(s: Services, user: SessionUser, n: NewSalesOrder) {
  return asUser(user, async () => {
    if (!hasPermission(user, 'sales.write')) throw errors.forbidden('enter sales orders');
    const customer = await getCustomer(s, n.customer);
    if (!customer.active) throw InventoryErrors.CUSTOMER_INACTIVE({ customer: n.customer });
    const lines = [];
    for (const [i, l] of n.lines.entries()) {
      const item = await activeItem(s, l.itemId);
      if (item.control === 'serial' && !Number.isInteger(l.quantity))
        throw errors.validation(`body.lines.${i}.quantity`, {
          en: E.SO_SERIAL_WHOLE().localized('en-US'),
          zh: E.SO_SERIAL_WHOLE().localized('zh-CN'),
        });
      lines.push({
        lineId: String(i + 1),
        item: {
          id: item._id,
          partNumber: item.partNumber,
          name: item.name,
          unit: item.unit,
          control: item.control,
          gtin: item.gtin ?? null,
        },
        quantity: l.quantity,
        requestedDate: l.requestedDate,
      });
    }
    const id = randomUUID();
    const created = salesEvents.change('salesorder.created', {
      number: await yearlyNumber(s, 'SO'),
      customer: { code: customer.code, name: customer.name },
      customerPo: n.customerPo ?? null,
      lines,
    });
    await s.ledger.append(soStream(id), created.type, created.data, { expectedVersion: 0 });
    return getSalesOrder(s, id);
  });
}

/** Every action on a sales order (salesorder.lifecycle.ts declares them), through the one command path. */
export async function salesOrderAction(
  s: Services,
  user: SessionUser,
  id: string,
  action: string,
  input: Record<string, unknown>,
) {
  await getSalesOrder(s, id);
  await runCommand(s, user, soStream(id), action, input);
  return getSalesOrder(s, id);
}
