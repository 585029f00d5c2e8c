import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';

// Equipment on the one command path (equipment.lifecycle.ts). Nothing on equipment is signed (the
// calibration certificate is the evidence, as before), so there is no password to get wrong, and
// there is no separation-of-duties rule (the calibrator records the laboratory's result; no one
// reviews it). Nothing on equipment is numbered. The tests show the role, state and version rules.
let t: TestServer;
let qa: Client, qaEng: Client, op: Client;
const names = (actions: Array<{ action: string }>) => actions.map((a) => a.action).sort();

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, qaEng, op] = await Promise.all(['qa.manager', 'qa.engineer', 'operator'].map((u) => as(t.url, u)));
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
  it('GET returns the actions this user may take now, and none for a reader', async () => {
    const q = await register('G-ACT-01');
    expect(names(q.actions)).toEqual(['calibrate', 'retire', 'take_out_of_service']);
    expect((await qaEng.get(`/api/v1/equipment/${q.id}`)).body.actions).toEqual([
      { action: 'calibrate', signature: null, needsReason: false, needsDate: false, needsValues: true, scope: null },
    ]);
    expect((await op.get(`/api/v1/equipment/${q.id}`)).body.actions).toEqual([]);
    const out = await qa.post(`/api/v1/equipment/${q.id}/status`, { status: 'out_of_service', reason: 'dropped' });
    expect(names(out.body.actions)).toEqual(['calibrate', 'retire', 'return_to_service']);
    const retired = await qa.post(`/api/v1/equipment/${q.id}/status`, { status: 'retired', reason: 'beyond repair' });
    expect(retired.body).toMatchObject({ status: 'retired', actions: [] });
    const decl = (await op.get('/api/v1/lifecycles/equipment')).body;
    expect(decl.transitions.map((x: { name: string }) => x.name)).toEqual([
      'calibrate',
      'take_out_of_service',
      'return_to_service',
      'retire',
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
