import { randomUUID } from 'node:crypto';
import type { Client, TestServer } from '../../../test/harness.ts';
import { SYSTEM_ACTOR } from '../../platform/context.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { createLot } from '../inventory/service.ts';

// Test factories for sales: stock of a seeded item in a given status with a given expiry, and an
// order entered (and confirmed) through the API.

export async function itemId(c: Client, partNumber: string): Promise<string> {
  const items = (await c.get('/api/v1/items')).body as Array<{ id: string; partNumber: string }>;
  return items.find((i) => i.partNumber === partNumber)!.id;
}

/** A lot (or, with `serial`, one serialized unit) of a seeded item, released unless told. */
export async function stockLot(
  t: TestServer,
  c: Client,
  o: {
    partNumber?: string;
    quantity?: number;
    status?: string;
    serial?: string;
    lotNumber?: string;
    expiryInDays?: number | null;
    workOrderId?: string;
  } = {},
) {
  const items = (await c.get('/api/v1/items')).body as Array<Record<string, string>>;
  const item = items.find((i) => i.partNumber === (o.partNumber ?? 'FG-IFS-20'))!;
  const id = randomUUID();
  const lotNumber = o.lotNumber ?? `SO-${id.slice(0, 8)}`;
  await createLot(
    t.services,
    id,
    'lot.produced',
    {
      item: { id: item.id, partNumber: item.partNumber, name: item.name, unit: item.unit, control: item.control },
      lotNumber,
      kind: o.serial ? 'serial' : 'lot',
      serial: o.serial ?? null,
      quantity: o.serial ? 1 : (o.quantity ?? 20),
      location: 'WH2-FG-01',
      status: o.status ?? 'released',
      mfgDate: addDays(todayUtc(), -10),
      expiryDate: o.expiryInDays === null || o.serial ? null : addDays(todayUtc(), o.expiryInDays ?? 300),
      source: 'test-factory',
      workOrderId: o.workOrderId ?? null,
    },
    SYSTEM_ACTOR,
  );
  return { id, lotNumber };
}

export interface Order {
  id: string;
  number: string;
  version: number;
  status: string;
  lines: Array<{
    lineId: string;
    quantity: number;
    allocated: number;
    shipped: number;
    allocations: Array<{ lotId: string; lotNumber: string; serial: string | null; quantity: number }>;
  }>;
  shipments: Array<{
    id: string;
    number: string;
    lines: Array<{ lotId: string; quantity: number; udi: string | null }>;
    delivery: unknown;
  }>;
  actions: Array<{ action: string; target?: Record<string, string> }>;
}

/** An order of `lines` for a seeded customer, entered by `c` and confirmed unless `draft`. */
export async function orderOf(
  c: Client,
  lines: Array<{ itemId: string; quantity: number }>,
  o: { customer?: string; draft?: boolean } = {},
): Promise<Order> {
  const r = await c.post('/api/v1/sales-orders', {
    customer: o.customer ?? 'CUS-RJH',
    customerPo: 'PO-RJH-7781',
    lines: lines.map((l) => ({ ...l, requestedDate: addDays(todayUtc(), 14) })),
  });
  if (r.status !== 201) throw new Error(`create SO: ${JSON.stringify(r.body)}`);
  if (o.draft) return r.body as Order;
  const k = await c.post(`/api/v1/sales-orders/${r.body.id}/confirm`, {});
  if (k.status !== 200) throw new Error(`confirm SO: ${JSON.stringify(k.body)}`);
  return k.body as Order;
}
