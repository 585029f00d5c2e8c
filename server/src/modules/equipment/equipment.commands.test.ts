import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';

// Equipment on the one command path (equipment.lifecycle.ts). A calibration is not signed (the
// calibration certificate is the evidence, as before) and has no separation-of-duties rule (the
// calibrator records the laboratory's result; no one reviews it). Maintenance and repairs are
// signed `performed` by who did the work (ISO 13485:2016 6.3 records of maintenance; 21 CFR 11.50):
// wrong role, wrong password and stale version write nothing. Nothing on equipment is numbered.
let t: TestServer;
let qa: Client, qaEng: Client, op: Client, sup: Client;
const sign = { password: DEMO_PASSWORD };
const names = (actions: Array<{ action: string }>) => actions.map((a) => a.action).sort();

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, qaEng, op, sup] = await Promise.all(
    ['qa.manager', 'qa.engineer', 'operator', 'prod.supervisor'].map((u) => as(t.url, u)),
  );
});
afterAll(async () => {
  await t?.stop();
});

async function register(code: string) {
  const r = await qa.post('/api/v1/equipment', {
    code,
    name: { zh: '测试仪', en: 'Test gauge' },
    type: 'Gauge',
    location: 'Lab',
    calibrationIntervalDays: 180,
    lastCalibratedOn: addDays(todayUtc(), -10),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; ledgerVersion: number; actions: Array<{ action: string }> };
}

describe('equipment actions', () => {
  it('GET returns the actions this user may take now; an operator may only report a breakdown', async () => {
    const q = await register('G-ACT-01');
    expect(names(q.actions)).toEqual([
      'calibrate',
      'report_breakdown',
      'retire',
      'set_maintenance_plan',
      'take_out_of_service',
    ]);
    expect((await qaEng.get(`/api/v1/equipment/${q.id}`)).body.actions).toEqual([
      { action: 'calibrate', signature: null, needsReason: false, needsDate: false, needsValues: true, scope: null },
    ]);
    // the operator may only report a breakdown (whoever finds it broken on the shop floor)
    expect(names((await op.get(`/api/v1/equipment/${q.id}`)).body.actions)).toEqual(['report_breakdown']);
    const out = await qa.post(`/api/v1/equipment/${q.id}/status`, { status: 'out_of_service', reason: 'dropped' });
    expect(names(out.body.actions)).toEqual([
      'calibrate',
      'report_breakdown',
      'retire',
      'return_to_service',
      'set_maintenance_plan',
    ]);
    const retired = await qa.post(`/api/v1/equipment/${q.id}/status`, { status: 'retired', reason: 'beyond repair' });
    expect(retired.body).toMatchObject({ status: 'retired', actions: [] });
    const decl = (await op.get('/api/v1/lifecycles/equipment')).body;
    expect(decl.transitions.map((x: { name: string }) => x.name)).toEqual([
      'calibrate',
      'take_out_of_service',
      'return_to_service',
      'retire',
      'set_maintenance_plan',
      'record_maintenance',
      'report_breakdown',
      'repair',
    ]);
  });

  it('the wrong role, the wrong state, a stale version and a date before the last calibration write nothing', async () => {
    const q = await register('G-REF-01');
    const mark = await markLedger(t.services);
    expect(
      (
        await op.post(`/api/v1/equipment/${q.id}/calibrations`, {
          date: todayUtc(),
          result: 'pass',
          certificate: 'C-1',
        })
      ).status,
    ).toBe(403);
    const role = await qaEng.post(`/api/v1/equipment/${q.id}/status`, { status: 'retired', reason: 'old' });
    expect(role.status).toBe(403);
    const same = await qa.post(`/api/v1/equipment/${q.id}/status`, { status: 'active', reason: 'fine' });
    expect(same.body.error.code).toBe('EQUIPMENT_SAME_STATUS');
    const stale = await qaEng.post(`/api/v1/equipment/${q.id}/calibrations`, {
      date: todayUtc(),
      result: 'pass',
      certificate: 'C-1',
      version: q.ledgerVersion + 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('STALE_VERSION');
    const early = await qaEng.post(`/api/v1/equipment/${q.id}/calibrations`, {
      date: addDays(todayUtc(), -20),
      result: 'pass',
      certificate: 'C-0',
    });
    expect(early.status).toBe(400);
    expect(early.body.error.message).toMatch(/last calibration/);
    const future = await qaEng.post(`/api/v1/equipment/${q.id}/calibrations`, {
      date: addDays(todayUtc(), 1),
      result: 'pass',
      certificate: 'C-2',
    });
    expect(future.status).toBe(400);
    await expectNothingWritten(t.services, mark);

    const ok = await qaEng.post(`/api/v1/equipment/${q.id}/calibrations`, {
      date: todayUtc(),
      result: 'fail',
      certificate: 'C-3',
      version: q.ledgerVersion,
    });
    expect(ok.body).toMatchObject({ status: 'out_of_service', calibrated: false });
    await qa.post(`/api/v1/equipment/${q.id}/status`, { status: 'retired', reason: 'beyond repair' });
    const after = await markLedger(t.services);
    const retired = await qaEng.post(`/api/v1/equipment/${q.id}/calibrations`, {
      date: todayUtc(),
      result: 'pass',
      certificate: 'C-4',
    });
    expect(retired.body.error.code).toBe('EQUIPMENT_RETIRED');
    const back = await qa.post(`/api/v1/equipment/${q.id}/status`, { status: 'active', reason: 'found' });
    expect(back.body.error.code).toBe('EQUIPMENT_RETIRED');
    await expectNothingWritten(t.services, after);
  });
});

describe('equipment labels (issue 15 item 8)', () => {
  it('a zh-CN GET of the demo leak tester carries its Chinese type and location labels; equipment without labels shows the code', async () => {
    op.locale = 'zh-CN';
    const list = (await op.get('/api/v1/equipment')).body as Array<{ id: string; code: string }>;
    const got = await op.get(`/api/v1/equipment/${list.find((q) => q.code === 'EQ-LKT-01')!.id}`);
    op.locale = 'en-US';
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      type: 'Leak tester', // the code an operation's equipmentType is matched against
      typeLabel: { zh: '泄漏测试仪', en: 'Leak tester' },
      locationLabel: { zh: '洁净室 1', en: 'Clean room 1' },
    });
    const plain = await register('EQ-LBL-1');
    expect(plain).toMatchObject({ typeLabel: { zh: 'Gauge', en: 'Gauge' }, locationLabel: { zh: 'Lab', en: 'Lab' } });
    const mark = await markLedger(t.services);
    const bad = await qa.post('/api/v1/equipment', {
      code: 'EQ-LBL-2',
      name: { zh: '测试仪', en: 'Test gauge' },
      type: 'Gauge',
      typeLabel: { zh: { $ne: null } },
      location: 'Lab',
      calibrationIntervalDays: 180,
    });
    expect(bad.status).toBe(400);
    await expectNothingWritten(t.services, mark);
  });
});

describe('equipment maintenance (ISO 13485:2016 6.3)', () => {
  const today = todayUtc();
  const checklist = [
    { zh: '清洁夹具', en: 'Clean the fixture' },
    { zh: '检查气路泄漏', en: 'Check the air lines for leaks' },
  ];
  const allOk = [
    { id: 'c1', ok: true },
    { id: 'c2', ok: true },
  ];

  it('sets a plan: interval and bilingual checklist; the due date is one interval after the last maintenance', async () => {
    const q = await register('G-PM-01');
    const mark = await markLedger(t.services);
    const url = `/api/v1/equipment/${q.id}/maintenance-plan`;
    expect((await op.put(url, { intervalDays: 90, checklist })).status).toBe(403);
    expect((await qa.put(url, { intervalDays: 0, checklist })).status).toBe(400);
    expect((await qa.put(url, { intervalDays: 90, checklist: [] })).status).toBe(400);
    expect((await qa.put(url, { intervalDays: 90.5, checklist })).status).toBe(400);
    expect((await qa.put(url, { intervalDays: { $ne: null }, checklist })).status).toBe(400);
    expect((await qa.put(url, { intervalDays: 90, checklist: [{ en: 'only English' }] })).status).toBe(400);
    expect((await qa.put(url, { intervalDays: 90, checklist, lastMaintainedOn: addDays(today, 1) })).status).toBe(400);
    await expectNothingWritten(t.services, mark);
    const r = await qa.put(url, { intervalDays: 90, checklist, lastMaintainedOn: addDays(today, -10) });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      maintenancePlan: { intervalDays: 90, checklist: [{ id: 'c1', text: checklist[0] }, { id: 'c2' }] },
      maintenanceDue: addDays(today, 80),
      maintenanceOverdue: false,
    });
    expect(names(r.body.actions)).toContain('record_maintenance');
    expect(names((await sup.get(`/api/v1/equipment/${q.id}`)).body.actions)).toContain('record_maintenance');
    expect(names((await qaEng.get(`/api/v1/equipment/${q.id}`)).body.actions)).not.toContain('record_maintenance');
  });

  it('records maintenance by signature; wrong role, wrong password, stale version and bad input write nothing', async () => {
    const q = await register('G-PM-02');
    const planned = await qa.put(`/api/v1/equipment/${q.id}/maintenance-plan`, {
      intervalDays: 30,
      checklist,
      lastMaintainedOn: addDays(today, -40),
    });
    expect(planned.body).toMatchObject({ maintenanceDue: addDays(today, -10), maintenanceOverdue: true });
    const url = `/api/v1/equipment/${q.id}/maintenance`;
    const body = {
      date: today,
      checks: allOk,
      findings: 'fine',
      parts: [{ description: 'O-ring 12 mm', quantity: 2 }],
    };
    const v = planned.body.ledgerVersion;
    const mark = await markLedger(t.services);
    expect((await qaEng.post(url, { ...body, ...sign })).status).toBe(403);
    expect((await op.post(url, { ...body, ...sign })).status).toBe(403);
    const wrong = await sup.post(url, { ...body, password: 'not-my-password', version: v });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const stale = await sup.post(url, { ...body, ...sign, version: v - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('STALE_VERSION');
    expect((await sup.post(url, body)).status).toBe(400); // no password
    expect((await sup.post(url, { ...body, ...sign, checks: [allOk[0]] })).status).toBe(400); // an item unanswered
    expect((await sup.post(url, { ...body, ...sign, checks: [...allOk, allOk[0]] })).status).toBe(400);
    expect((await sup.post(url, { ...body, ...sign, checks: [allOk[0], { id: 'c2', ok: false }] })).status).toBe(400);
    expect((await sup.post(url, { ...body, ...sign, date: addDays(today, 1) })).status).toBe(400);
    expect((await sup.post(url, { ...body, ...sign, parts: [{ description: 'x', quantity: -1 }] })).status).toBe(400);
    await expectNothingWritten(t.services, mark, { allowUserEvents: 1 }); // the failed attempt on the signer's account

    const done = await sup.post(url, { ...body, ...sign, version: v });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({
      status: 'active',
      lastMaintainedOn: today,
      maintenanceDue: addDays(today, 30), // advanced by the plan's interval
      maintenanceOverdue: false,
      maintenance: [
        {
          kind: 'preventive',
          date: today,
          checks: [
            { id: 'c1', ok: true, note: '' },
            { id: 'c2', ok: true, note: '' },
          ],
          findings: 'fine',
          parts: [{ description: 'O-ring 12 mm', quantity: 2 }],
          by: expect.stringContaining('Zhou Qiang'),
        },
      ],
    });
    expect(done.body.maintenance[0].signatureId).toBeTruthy();
    const events = await t.services.ledger.read(`equipment:${q.id}`);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['equipment.maintenanceProposed', SIGNATURE_EVENT]);
    expect(events.at(-1)!.data).toMatchObject({ meaning: 'performed' });

    // an item not met: recorded with its note, the equipment is not fit for use and the due date stays
    const failed = await sup.post(url, {
      date: today,
      checks: [allOk[0], { id: 'c2', ok: false, note: 'air leak at the inlet' }],
      ...sign,
    });
    expect(failed.body).toMatchObject({ status: 'out_of_service', maintenanceDue: addDays(today, 30) });
    expect(failed.body.maintenance).toHaveLength(2);
  });

  it('a breakdown takes it out of service until a signed repair returns it', async () => {
    const q = await register('G-PM-03');
    const reported = await op.post(`/api/v1/equipment/${q.id}/breakdowns`, {
      date: today,
      description: 'Display dead',
    });
    expect(reported.status, JSON.stringify(reported.body)).toBe(200);
    expect(reported.body).toMatchObject({
      status: 'out_of_service',
      breakdowns: [{ date: today, description: 'Display dead', repairedOn: null }],
    });
    expect(names((await sup.get(`/api/v1/equipment/${q.id}`)).body.actions)).toContain('repair');
    const mark = await markLedger(t.services);
    const again = await op.post(`/api/v1/equipment/${q.id}/breakdowns`, { date: today, description: 'still dead' });
    expect(again.body.error.code).toBe('BREAKDOWN_OPEN');
    const back = await qa.post(`/api/v1/equipment/${q.id}/status`, { status: 'active', reason: 'looks fine' });
    expect(back.body.error.code).toBe('BREAKDOWN_OPEN');
    const repair = { date: today, findings: 'Display replaced', parts: [{ description: 'LCD module', quantity: 1 }] };
    expect((await qaEng.post(`/api/v1/equipment/${q.id}/repairs`, { ...repair, ...sign })).status).toBe(403);
    expect((await sup.post(`/api/v1/equipment/${q.id}/repairs`, { ...repair, password: 'nope' })).status).toBe(401);
    expect((await sup.post(`/api/v1/equipment/${q.id}/repairs`, { ...repair, findings: '', ...sign })).status).toBe(
      400,
    );
    const early = await sup.post(`/api/v1/equipment/${q.id}/repairs`, { ...repair, date: addDays(today, -1), ...sign });
    expect(early.status).toBe(400);
    await expectNothingWritten(t.services, mark, { allowUserEvents: 1 });

    const fixed = await sup.post(`/api/v1/equipment/${q.id}/repairs`, { ...repair, ...sign });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect(fixed.body).toMatchObject({
      status: 'active',
      breakdowns: [{ repairedOn: today, repairedBy: expect.stringContaining('Zhou Qiang') }],
      maintenance: [
        { kind: 'repair', findings: 'Display replaced', parts: [{ description: 'LCD module', quantity: 1 }] },
      ],
    });
    const none = await sup.post(`/api/v1/equipment/${q.id}/repairs`, { ...repair, ...sign });
    expect(none.body.error.code).toBe('NO_OPEN_BREAKDOWN');
  });
});
