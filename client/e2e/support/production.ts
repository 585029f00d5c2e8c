import { expect } from 'vitest';
import { as, type Client } from '../../../server/test/harness.ts';
import { DEMO_PASSWORD } from '../../../seed/demo-users.ts';

// API set-up for the production browser tests: equipment, and work orders brought to a given
// point through the same endpoints the screens use (the browser then does the part under test).
const sign = { password: DEMO_PASSWORD };
export const today = () => new Date().toISOString().slice(0, 10);
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);

export const INFUSION_SET = 'FG-IFS-20';
export const STEP_VALUES: Record<number, Record<string, number>> = {
  10: { 'Tubing length': 1500, 'UV cure time': 10 },
  20: { 'Test pressure': 50, 'Pressure decay': 0.1 },
  30: { 'Exposure temperature': 55, 'Relative humidity': 60, 'Exposure time': 8 },
};
export const EQUIPMENT = {
  cutter: { code: 'E2E-CUT-OK', type: 'Tube cutter / UV bonding station', lastCalibratedOn: -20 },
  staleCutter: { code: 'E2E-CUT-OLD', type: 'Tube cutter / UV bonding station', lastCalibratedOn: -400 },
  leak: { code: 'E2E-LEAK-OK', type: 'Leak tester', lastCalibratedOn: -20 },
  eo: { code: 'E2E-EO-OK', type: 'EO sterilizer', lastCalibratedOn: -20 },
} as const;

export interface ProductionFixture {
  sup: Client;
  op: Client;
  op2: Client;
  equipment: Map<string, string>;
  itemId: string;
}

export async function productionFixture(url: string): Promise<ProductionFixture> {
  const [sup, op, op2] = await Promise.all(['prod.supervisor', 'operator', 'operator2'].map((u) => as(url, u)));
  const items = (await sup.get('/api/v1/items')).body as Array<{ id: string; partNumber: string }>;
  const equipment = new Map<string, string>();
  for (const e of Object.values(EQUIPMENT)) {
    const r = await sup.post('/api/v1/equipment', {
      code: e.code,
      name: { zh: `设备 ${e.code}`, en: `Equipment ${e.code}` },
      type: e.type,
      location: 'PROD-1',
      calibrationIntervalDays: 365,
      lastCalibratedOn: addDays(today(), e.lastCalibratedOn),
    });
    expect(r.status).toBe(201);
    equipment.set(e.code, r.body.id);
  }
  return { sup, op, op2, equipment, itemId: items.find((i) => i.partNumber === INFUSION_SET)!.id };
}

/** A released work order for the infusion set, ready for its first step on the shop floor. */
export async function releasedWorkOrder(f: ProductionFixture, quantity = 10): Promise<{ id: string; number: string }> {
  const created = await f.sup.post('/api/v1/workorders', {
    itemId: f.itemId,
    plannedQuantity: quantity,
    plannedStart: today(),
    plannedEnd: addDays(today(), 3),
  });
  expect(created.status).toBe(201);
  const released = await f.sup.post(`/api/v1/workorders/${created.body.id}/actions/release`, {
    version: created.body.ledgerVersion,
    ...sign,
  });
  expect(released.status).toBe(200);
  return { id: created.body.id, number: created.body.number };
}

/** A work order with every step performed and verified: ready for labels, output and reconciliation. */
export async function stepsDoneWorkOrder(f: ProductionFixture): Promise<{ id: string; number: string }> {
  const wo = await releasedWorkOrder(f);
  const equipmentFor: Record<number, string> = {
    10: EQUIPMENT.cutter.code,
    20: EQUIPMENT.leak.code,
    30: EQUIPMENT.eo.code,
  };
  for (const seq of [10, 20, 30]) {
    const r = await f.op.post(`/api/v1/workorders/${wo.id}/steps/${seq}/perform`, {
      values: STEP_VALUES[seq],
      equipmentIds: [f.equipment.get(equipmentFor[seq]!)],
      ...sign,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    if (seq !== 10)
      expect((await f.op2.post(`/api/v1/workorders/${wo.id}/steps/${seq}/verify`, sign)).status).toBe(200);
  }
  return wo;
}

/** The earliest work order of a device in a state: the seed's, as the seed numbers first. */
export async function seededWorkOrder(
  f: ProductionFixture,
  partNumber: string,
  state: string,
): Promise<{ id: string; number: string }> {
  const list = (await f.sup.get(`/api/v1/workorders?state=${state}`)).body as Array<{
    id: string;
    number: string;
    item: { partNumber: string };
  }>;
  const found = list
    .filter((w) => w.item.partNumber === partNumber)
    .sort((a, b) => a.number.localeCompare(b.number))[0];
  if (!found) throw new Error(`the seed has no ${state} work order for ${partNumber}`);
  return found;
}
