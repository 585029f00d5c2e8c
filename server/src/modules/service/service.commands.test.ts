import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestServer } from '../../../test/harness.ts';
import { startTestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { SYSTEM_ACTOR } from '../../platform/context.ts';
import { addDays, addMonths } from '../../platform/dates.ts';
import { createLot } from '../inventory/service.ts';
import { ok, recallCase, sign, type RecallCase } from '../recall/recall.factory.ts';

// Service records (QMSR 820.35(b): device, UDI, date, technician, service performed, test data)
// through HTTP on the real engine. Warranty: ship date + the item's warranty months; the end date
// itself is covered (day before and at the end: in warranty; the day after: out). Screening
// (21 CFR 820.198): yes opens a linked complaint through the complaints module. Completion is
// refused for the wrong role, the recorder signing (separation of duties, ISO 13485:2016 4.2.5),
// a wrong password and a stale version, each writing nothing.
let t: TestServer;
let k: RecallCase;
let months = 0;
let end = '';
const refused = async (f: () => Promise<{ status: number; body: any }>, status: number, code: string, users = 0) => {
  const mark = await markLedger(t.services);
  const r = await f();
  expect([r.status, r.body?.error?.code], JSON.stringify(r.body)).toEqual([status, code]);
  await expectNothingWritten(t.services, mark, { allowUserEvents: users });
};
const record = (c: Client, lotId: string, serviceDate: string) =>
  c.post('/api/v1/service-records', {
    lotId,
    serviceDate,
    technician: 'Li Wei',
    performed: 'Replaced the motor; recalibrated the flow sensor.',
    testData: 'Flow 100.0 mL/h ±2%: 99.4; occlusion alarm at 60 kPa: pass',
  });
async function act(c: Client, id: string, action: string, input: Record<string, unknown> = {}) {
  const v = (await c.get(`/api/v1/service-records/${id}`)).body.version;
  return c.post(`/api/v1/service-records/${id}/actions/${action}`, { version: v, ...input });
}

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  k = await recallCase(t);
  const item = (await k.qa.get('/api/v1/items')).body.find((i: { partNumber: string }) => i.partNumber === 'FG-PMP-1');
  months = item.warrantyMonths;
  // U[3] ships so that its warranty ends yesterday: ship date = end − months
  end = addDays(k.today, -1);
  const shipDate = addMonths(end, -months);
  expect(addMonths(shipDate, months)).toBe(end);
  ok(await k.wh.post(`/api/v1/lots/${k.U[3]}/ship`, { customer: 'CUS-ZJU1', shipDate, reference: 'DN-SV-1' }), 'ship');
}, 240_000);
afterAll(async () => {
  await t?.stop();
});

describe('service records', () => {
  it('computes the warranty around its end date: the day before and the end date in, the day after out', async () => {
    expect(months).toBeGreaterThan(0);
    const day = async (d: string) => ok(await record(k.eng, k.U[3], d), d);
    expect((await day(addDays(end, -1))).inWarranty).toBe(true);
    const at = await day(end);
    expect(at).toMatchObject({ inWarranty: true, warrantyEnd: end, warrantyMonths: months, customer: 'CUS-ZJU1' });
    expect(at.udi.hri).toContain(at.serial);
    expect((await day(addDays(end, 1))).inWarranty).toBe(false);
  }, 240_000);

  it('refuses a device never shipped, a future date and injected operators, writing nothing', async () => {
    await refused(() => record(k.eng, k.M, k.today), 409, 'SERVICE_DEVICE_NOT_SHIPPED');
    await refused(() => record(k.eng, k.U[0], addDays(k.today, 1)), 400, 'SERVICE_DATE_OUT_OF_RANGE');
    await refused(() => record(k.eng, { $ne: null } as never, k.today), 400, 'VALIDATION_FAILED');
    await refused(() => record(k.operator, k.U[0], k.today), 403, 'FORBIDDEN');
  }, 240_000);

  it('issues parts from stock, ships the exchange replacement, opens a complaint on a yes, completes by signature', async () => {
    const rec = ok(await record(k.wh, k.U[0], k.today), 'record');
    // a part issued through the lot's own issue command
    ok(await act(k.wh, rec.id, 'issue_part', { lotId: k.M, quantity: 1 }), 'part');
    expect((await k.qa.get(`/api/v1/lots/${k.M}`)).body.quantity).toBe(5);
    // a warranty exchange: a released pump of the same device ships to the same customer
    const i = (await k.qa.get('/api/v1/items')).body.find((x: { partNumber: string }) => x.partNumber === 'FG-PMP-1');
    const repl = randomUUID();
    await createLot(
      t.services,
      repl,
      'lot.produced',
      {
        item: { id: i.id, partNumber: i.partNumber, name: i.name, unit: i.unit, control: i.control },
        lotNumber: `SV-${repl.slice(0, 8)}`,
        kind: 'serial',
        serial: `PMP-SV-${repl.slice(0, 6)}`,
        quantity: 1,
        location: 'WH1-RAW-01',
        status: 'released',
        source: 'test-factory',
      },
      SYSTEM_ACTOR,
    );
    const ex = ok(await act(k.wh, rec.id, 'exchange', { replacementLotId: repl }), 'exchange');
    expect(ex.exchange).toMatchObject({ faultySerial: rec.serial, replacementSerial: `PMP-SV-${repl.slice(0, 6)}` });
    expect((await k.qa.get(`/api/v1/lots/${repl}`)).body).toMatchObject({
      status: 'shipped',
      shipment: { customer: 'CUS-RJH' },
    });
    // screening yes: a complaint opened and linked
    const scr = ok(
      await act(k.qa, rec.id, 'screen', {
        possibleComplaint: true,
        complaint: {
          complainant: { name: 'Ruijin Hospital', address: '197 Ruijin 2nd Rd, Shanghai', phone: '+86 21 6437 0045' },
          nature: 'Pump stopped delivering during infusion; no alarm.',
          country: 'CN',
          failedSpecifications: 'yes',
          usedForTreatmentOrDiagnosis: 'yes',
          relationship: 'unknown',
          codes: { A: ['A0201'] },
        },
      }),
      'screen',
    );
    expect(scr.complaint?.number).toMatch(/^CMP-/);
    const cmp = (await k.qa.get(`/api/v1/complaints/${scr.complaint.id}`)).body;
    expect(cmp.udi?.serial ?? cmp.serial ?? JSON.stringify(cmp)).toContain(rec.serial);

    // completion: the four refusals, then signed by someone other than the recorder
    await refused(() => act(k.operator, rec.id, 'complete', { ...sign, summary: 'done' }), 403, 'FORBIDDEN');
    await refused(
      () => act(k.wh, rec.id, 'complete', { ...sign, summary: 'done' }),
      409,
      'SERVICE_TECHNICIAN_CANNOT_SIGN',
    );
    await refused(
      () => act(k.qa, rec.id, 'complete', { password: 'wrong-password', summary: 'done' }),
      401,
      'INVALID_CREDENTIALS',
      1,
    );
    await refused(
      () => k.qa.post(`/api/v1/service-records/${rec.id}/actions/complete`, { ...sign, summary: 'done', version: 1 }),
      409,
      'STALE_VERSION',
    );
    expect(
      (await k.qa.get(`/api/v1/service-records/${rec.id}`)).body.actions.map((a: { action: string }) => a.action),
    ).toContain('complete');
    const done = ok(await act(k.qa, rec.id, 'complete', { ...sign, summary: 'Serviced and retested.' }), 'complete');
    expect(done.state).toBe('completed');
    expect(done.completion.signatureId).toBeTruthy();
  }, 240_000);

  it('screening no records the reason in both languages', async () => {
    const rec = ok(await record(k.eng, k.U[1], k.today), 'record');
    const tasks = JSON.stringify((await k.qa.get('/api/v1/tasks')).body);
    expect(tasks).toContain(rec.id);
    // the global search finds the record by its serial
    const found = (await k.qa.get(`/api/v1/search?q=${encodeURIComponent(rec.serial)}`)).body;
    expect(found.groups.find((g: { kind: string }) => g.kind === 'service-record')?.hits).toEqual(
      expect.arrayContaining([expect.objectContaining({ number: rec.number })]),
    );
    const r = ok(
      await act(k.qa, rec.id, 'screen', {
        possibleComplaint: false,
        reason: { en: 'Scheduled preventive maintenance; no failure reported.', zh: '计划内预防性维护;未报告故障。' },
      }),
      'screen no',
    );
    expect(r).toMatchObject({ state: 'screened', complaint: null, screening: { possibleComplaint: false } });
    expect(r.screening.reason.zh).toContain('预防性维护');
  }, 240_000);
});
