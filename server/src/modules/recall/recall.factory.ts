import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { as, DEMO_PASSWORD, type Client, type TestServer } from '../../../test/harness.ts';
import { SYSTEM_ACTOR } from '../../platform/context.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { createLot } from '../inventory/service.ts';

// Test factory for recalls: a constructed field population, each step through HTTP as the client
// takes it (work order released by signature, the motor lot issued by the real issue command, the
// pumps shipped by the lot ship command), with factory-made output serials (completion needs a
// full DHR, tested elsewhere):
//
//   M (motor lot) ─1 each─▶ WO (pump order) ─▶ U1, U2 ─ship─▶ CUS-RJH
//                                           ├▶ U3     ─ship─▶ CUS-ZJU1
//                                           └▶ U4     (in stock: affected, not in the field)
export const sign = { password: DEMO_PASSWORD };
type Res = Awaited<ReturnType<Client['get']>>;
export function ok(r: Res, what: string) {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function recallCase(t: TestServer) {
  const [sup, wh, qa, eng, operator] = await Promise.all(
    ['prod.supervisor', 'warehouse', 'qa.manager', 'qa.engineer', 'operator'].map((u) => as(t.url, u)),
  );
  const items = new Map<string, { id: string; partNumber: string; name: object; unit: string; control: string }>();
  for (const i of (await sup.get('/api/v1/items')).body) items.set(i.partNumber, i);
  const today = todayUtc();
  const produced = async (partNumber: string, o: { workOrderId?: string; serial?: string; quantity?: number }) => {
    const i = items.get(partNumber)!;
    const id = randomUUID();
    await createLot(
      t.services,
      id,
      'lot.produced',
      {
        item: { id: i.id, partNumber: i.partNumber, name: i.name, unit: i.unit, control: i.control },
        lotNumber: `RC-${id.slice(0, 8)}`,
        kind: o.serial ? 'serial' : 'lot',
        serial: o.serial ?? null,
        quantity: o.serial ? 1 : (o.quantity ?? 10),
        location: 'WH1-RAW-01',
        status: 'released',
        expiryDate: o.serial ? null : addDays(today, 300),
        source: 'test-factory',
        workOrderId: o.workOrderId ?? null,
      },
      SYSTEM_ACTOR,
    );
    return id;
  };
  const M = await produced('CP-MTR-100', { quantity: 10 });
  const wo = ok(
    await sup.post('/api/v1/workorders', {
      itemId: items.get('FG-PMP-1')!.id,
      plannedQuantity: 4,
      plannedStart: today,
      plannedEnd: addDays(today, 5),
    }),
    'work order',
  );
  ok(await sup.post(`/api/v1/workorders/${wo.id}/actions/release`, { version: wo.ledgerVersion, ...sign }), 'release');
  ok(await wh.post(`/api/v1/workorders/${wo.id}/materials`, { lotId: M, quantity: 4 }), 'issue');
  const tag = randomUUID().slice(0, 6);
  const U: string[] = [];
  for (let n = 1; n <= 4; n++) U.push(await produced('FG-PMP-1', { workOrderId: wo.id, serial: `PMP-RC-${tag}-${n}` }));
  const ship = async (lot: string, customer: string, ref: string, shipDate: string) =>
    expect((await wh.post(`/api/v1/lots/${lot}/ship`, { customer, shipDate, reference: ref })).status).toBe(200);
  await ship(U[0], 'CUS-RJH', 'DN-RC-1', addDays(today, -20));
  await ship(U[1], 'CUS-RJH', 'DN-RC-1', addDays(today, -20));
  await ship(U[2], 'CUS-ZJU1', 'DN-RC-2', addDays(today, -10));
  return { sup, wh, qa, eng, operator, M, U, today };
}
export type RecallCase = Awaited<ReturnType<typeof recallCase>>;

export const recallBody = (k: RecallCase, over: Record<string, unknown> = {}) => ({
  title: 'Infusion pump motor may stall',
  reason: 'Motor lot bearings out of tolerance; the pump may stop delivering without an occlusion alarm.',
  level: 'II',
  kind: 'removal',
  jurisdictions: ['US', 'EU', 'CN'],
  initiatedOn: k.today,
  fromLot: k.M,
  ...over,
});

/** POST /recalls/:id/actions/<action> at the version the user sees now. */
export async function act(c: Client, id: string, action: string, body: Record<string, unknown> = {}) {
  const v = (await c.get(`/api/v1/recalls/${id}`)).body.version;
  return c.post(`/api/v1/recalls/${id}/actions/${action}`, { version: v, ...body });
}
