import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';

// Equipment overdue for preventive maintenance is refused on the shop floor like equipment overdue
// for calibration (ISO 13485:2016 6.3: maintenance at the documented interval; 7.5.1 c "use of
// suitable equipment"; QMSR 820.70(g) by reference to ISO 13485). A step with such equipment is
// refused with a bilingual 409 naming the equipment and its due date, nothing written; once the
// maintenance is recorded by signature the same step is accepted. Maintenance due appears in the inbox.
let t: TestServer;
let sup: Client, op2: Client;
const sign = { password: DEMO_PASSWORD };
const today = todayUtc();

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [sup, op2] = await Promise.all(['prod.supervisor', 'operator2'].map((u) => as(t.url, u)));
});
afterAll(async () => {
  await t?.stop();
});

describe('maintenance on the shop floor', () => {
  it('refuses a step with equipment overdue for maintenance, writing nothing, and accepts it after maintenance', async () => {
    const pump = (await sup.get('/api/v1/items')).body.find((i: { partNumber: string }) => i.partNumber === 'FG-PMP-1');
    const tq = (
      await sup.post('/api/v1/equipment', {
        code: 'T-TQ-PM',
        name: { zh: '扭力螺丝刀 PM', en: 'Torque screwdriver PM' },
        type: 'Torque screwdriver',
        location: 'PROD-1',
        calibrationIntervalDays: 365,
        lastCalibratedOn: addDays(today, -1), // calibrated: only maintenance is in question
      })
    ).body;
    const planned = await sup.put(`/api/v1/equipment/${tq.id}/maintenance-plan`, {
      intervalDays: 30,
      checklist: [{ zh: '检查刀头磨损', en: 'Check bit wear' }],
      lastMaintainedOn: addDays(today, -40),
    });
    expect(planned.body).toMatchObject({
      calibrated: true,
      maintenanceDue: addDays(today, -10),
      maintenanceOverdue: true,
    });

    const inbox = (await sup.get('/api/v1/tasks')).body;
    const list = Array.isArray(inbox) ? inbox : inbox.tasks;
    expect(list.find((x: { id: string }) => x.id === `maintenance.${tq.id}`)).toMatchObject({
      kind: 'maintenance',
      number: 'T-TQ-PM',
      due: addDays(today, -10),
      link: { route: 'equipment-item', id: tq.id },
    });

    const wo = (
      await sup.post('/api/v1/workorders', {
        itemId: pump.id,
        plannedQuantity: 1,
        plannedStart: today,
        plannedEnd: addDays(today, 2),
      })
    ).body;
    const released = await sup.post(`/api/v1/workorders/${wo.id}/actions/release`, {
      version: wo.ledgerVersion,
      ...sign,
    });
    expect(released.status).toBe(200);
    const step = { values: { 'Screw torque': 0.6 }, equipmentIds: [tq.id], ...sign };

    const mark = await markLedger(t.services);
    const refused = await op2.post(`/api/v1/workorders/${wo.id}/steps/10/perform`, step);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('EQUIPMENT_MAINTENANCE_OVERDUE');
    expect(refused.body.error.message).toContain('T-TQ-PM');
    expect(refused.body.error.message).toContain(addDays(today, -10));
    op2.locale = 'zh-CN';
    const zh = await op2.post(`/api/v1/workorders/${wo.id}/steps/10/perform`, step);
    op2.locale = 'en-US';
    expect(zh.body.error.message).toMatch(new RegExp(`T-TQ-PM.*${addDays(today, -10)}.*维护`));
    await expectNothingWritten(t.services, mark);
    expect((await sup.get(`/api/v1/workorders/${wo.id}`)).body.operations[0].status).toBe('pending');

    const done = await sup.post(`/api/v1/equipment/${tq.id}/maintenance`, {
      date: today,
      checks: [{ id: 'c1', ok: true }],
      ...sign,
    });
    expect(done.body).toMatchObject({ maintenanceDue: addDays(today, 30), maintenanceOverdue: false });
    const ok = await op2.post(`/api/v1/workorders/${wo.id}/steps/10/perform`, step);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const after = (await sup.get('/api/v1/tasks')).body;
    expect(
      (Array.isArray(after) ? after : after.tasks).some((x: { id: string }) => x.id === `maintenance.${tq.id}`),
    ).toBe(false);
  });
});
