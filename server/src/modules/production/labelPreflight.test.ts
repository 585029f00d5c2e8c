import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, as, type TestServer } from '../../../test/harness.ts';

// Issue 9 (second review): an order whose UDI labels cannot be printed could never be released
// (the DHR checklist needs printed, reconciled labels), yet it was planned, numbered and could be
// released to the floor. Refused at planning instead, before anything is numbered.
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ seed: true });
});
afterAll(async () => {
  await t?.stop();
});

describe("planning checks that the order's labels can be printed", () => {
  it('refuses serials GS1 cannot carry in (21) with 409 and nothing written; plans once the numbering fits', async () => {
    const admin = await as(t.url, 'admin');
    const sup = await as(t.url, 'prod.supervisor');
    const pump = ((await sup.get('/api/v1/items')).body as Array<{ id: string; partNumber: string }>).find(
      (i) => i.partNumber === 'FG-PMP-1',
    )!;
    const plan = () =>
      sup.post('/api/v1/workorders', {
        itemId: pump.id,
        plannedQuantity: 2,
        plannedStart: '2027-01-04',
        plannedEnd: '2027-01-05',
      });
    expect(
      (
        await admin.put('/api/v1/production/numbering-schemes/serial', {
          pattern: 'PUMP-SERIAL-{pn}-{yyyy}{mm}-{seq:6}',
        })
      ).status,
    ).toBe(200);
    const before = await t.services.ledger.count();
    const refused = await plan();
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'LABELS_NOT_PRINTABLE',
      details: { cause: 'UDI_VALUE_TOO_LONG', ai: '21' },
    });
    expect(refused.body.error.message).toMatch(/longer than 20 characters/);
    expect(await t.services.ledger.count()).toBe(before); // no order, lot or serial number taken
    expect((await admin.put('/api/v1/production/numbering-schemes/serial', { pattern: 'P{yy}{seq:6}' })).status).toBe(
      200,
    );
    const planned = await plan();
    expect(planned.status, JSON.stringify(planned.body)).toBe(201);
    const sample = await sup.bytes(`/api/v1/workorders/${planned.body.id}/labels/sample.png`);
    expect(sample.status).toBe(200);
  });
});
