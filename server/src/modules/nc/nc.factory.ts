import { randomUUID } from 'node:crypto';
import type { Client, TestServer } from '../../../test/harness.ts';
import { SYSTEM_ACTOR } from '../../platform/context.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { createLot } from '../inventory/service.ts';

// Test factories for nonconformances: a lot of a seeded item in a given status, and an NC opened on it.

/** A lot (or, with `serial`, one serialized unit) of a seeded item. */
export async function lotOf(
  t: TestServer,
  c: Client,
  o: { partNumber?: string; quantity?: number; status?: string; location?: string; serial?: string } = {},
) {
  const items = (await c.get('/api/v1/items')).body as Array<Record<string, string>>;
  const item = items.find((i) => i.partNumber === (o.partNumber ?? 'CP-LUER-001'))!;
  const id = randomUUID();
  await createLot(
    t.services,
    id,
    'lot.produced',
    {
      item: { id: item.id, partNumber: item.partNumber, name: item.name, unit: item.unit, control: item.control },
      lotNumber: `NC-${id.slice(0, 8)}`,
      kind: o.serial ? 'serial' : 'lot',
      serial: o.serial ?? null,
      quantity: o.serial ? 1 : (o.quantity ?? 20),
      location: o.location ?? 'WH1-RAW-01',
      status: o.status ?? 'released',
      expiryDate: o.serial ? null : addDays(todayUtc(), 300),
      source: 'test-factory',
    },
    SYSTEM_ACTOR,
  );
  return id;
}

/** An NC from an internal audit on one lot, opened by `c`. */
export async function ncOn(c: Client, lotId: string, quantity: number, extra: Record<string, unknown> = {}) {
  const r = await c.post('/api/v1/ncs', {
    source: { kind: 'internal_audit', reference: 'IA-2026-07 finding 3' },
    lots: [{ lotId, quantity }],
    description: 'Luer caps with flash on the sealing face',
    containment: 'Lot segregated and put on hold',
    ...extra,
  });
  if (r.status !== 201) throw new Error(`open NC: ${JSON.stringify(r.body)}`);
  return r.body as { id: string; number: string; version: number; actions: Array<{ action: string }> };
}
