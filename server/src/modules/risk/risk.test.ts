import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { complaintBody, refused } from '../complaints/complaints.factory.ts';
import type { DmrDoc } from '../dmr/dmr.record.ts';
import type { LotDoc } from '../inventory/lot.record.ts';
import { demo, fileAct, hazardRow, planAct, planContent, riskDevice, ZONES_REV1 } from './risk.factory.ts';

// The risk management file judged against the plan's policy as data (ISO 14971:2019 4.4 d, 5.5,
// 6, 7, Annex C P = P1 × P2), its pFMEA over real DMR routing steps, benefit-risk before
// approval (7.4), and post-production feedback from real complaints and shipments (clause 10).
let t: TestServer;
let qa: Client, eng: Client, wh: Client;
let devId = '';
let inputId = '';
let pumpId = '';
let pumpDmr: DmrDoc;
const sign = { password: DEMO_PASSWORD };
const evaluation = { overallResidualRisk: 'Acceptable overall.', overallAcceptable: true, review: 'Plan implemented.' };
/** Residual after the control: P1 5e-4 × P2 1e-2 = 5e-6, band [1e-6, 1e-4) = level 3 ("Occasional"). */
const residual = { severity: 3, p1: 5e-4, p2: 1e-2 };
const control = {
  kind: 'protective_measure',
  description: 'Ultrasonic air-in-line detector stops the pump',
  implementation: 'Verified in VER-031 (detector present on every unit).',
};
const row1 = (over: Record<string, unknown> = {}) =>
  hazardRow({ imdrfCodes: ['A0201', 'E2403'], controls: [{ ...control, designInputId: inputId }], residual, ...over });

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, eng, wh] = await Promise.all(['qa.manager', 'qa.engineer', 'warehouse'].map((u) => as(t.url, u)));
  // a device of this test's own: the demo pump already has its risk file (seed/risk.ts)
  pumpId = (await demo(t)).pump._id;
  ({ itemId: devId, inputId } = await riskDevice(t, 'FG-RSK-T1'));
  pumpDmr = (await t.services.db.collection<DmrDoc>('dmrs').findOne({ itemId: pumpId }))!;
  expect((await eng.post('/api/v1/risk-plans', { itemId: devId, content: planContent() })).status).toBe(201);
  expect((await planAct(qa, devId, 'approve', sign)).status).toBe(200);
  expect((await eng.post('/api/v1/risk-files', { itemId: devId })).status).toBe(201);
});
afterAll(async () => {
  await t?.stop();
});

describe('the acceptability policy', () => {
  it('refuses a plan with a missing cell, a duplicate level or a single level, writing nothing', async () => {
    const { set } = await demo(t);
    const bad = (content: unknown) => () => eng.post('/api/v1/risk-plans', { itemId: set._id, content });
    const p = planContent();
    await refused(t, bad({ ...p, zones: p.zones.slice(1) }), 400, 'VALIDATION_FAILED');
    await refused(
      t,
      bad({ ...p, severity: [p.severity[0], p.severity[0], p.severity[2], p.severity[3]] }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(t, bad({ ...p, severity: [p.severity[0]], zones: [p.zones[0]] }), 400, 'VALIDATION_FAILED');
    await refused(t, bad({ ...p, scope: { $ne: null } }), 400, 'VALIDATION_FAILED');
  });
});

describe('hazard rows on the plan scale', () => {
  it('refuses severity or probability outside the plan scale, unknown IMDRF codes and injected operators', async () => {
    await refused(
      t,
      () => fileAct(eng, devId, 'save_row', { row: hazardRow({ initial: { severity: 5, p1: 1e-3, p2: 1e-2 } }) }),
      400,
      'RISK_SEVERITY_OUT_OF_SCALE',
    );
    // 1e-6 × 1e-6 = 1e-12, below the lowest band [1e-10, 1e-8)
    await refused(
      t,
      () => fileAct(eng, devId, 'save_row', { row: hazardRow({ initial: { severity: 2, p1: 1e-6, p2: 1e-6 } }) }),
      400,
      'RISK_PROBABILITY_OUT_OF_SCALE',
    );
    await refused(
      t,
      () => fileAct(eng, devId, 'save_row', { row: hazardRow({ initial: { severity: 2, probability: 3 } }) }),
      400,
      'RISK_ESTIMATE_MODE',
    );
    await refused(
      t,
      () => fileAct(eng, devId, 'save_row', { row: hazardRow({ initial: { severity: 2, p1: 2, p2: 0.1 } }) }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      t,
      () => fileAct(eng, devId, 'save_row', { row: row1({ residual: { severity: 4, p1: 1, p2: 1e-12 } }) }),
      400,
      'RISK_PROBABILITY_OUT_OF_SCALE',
    );
    await refused(
      t,
      () => fileAct(eng, devId, 'save_row', { row: hazardRow({ imdrfCodes: ['A9999'] }) }),
      400,
      'RISK_CODE_UNKNOWN',
    );
    await refused(
      t,
      () => fileAct(eng, devId, 'save_row', { row: hazardRow({ hazard: { $ne: null } }) }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      t,
      () => fileAct(eng, devId, 'save_row', { row: hazardRow({ rowId: 'H-404' }) }),
      404,
      'RISK_ROW_UNKNOWN',
    );
    expect((await eng.get('/api/v1/risk-files?item[$ne]=x')).status).toBe(400);
  });

  it('places P1 × P2 in its band and reads the zone from the matrix; controls in the 7.1 option order', async () => {
    const r = await fileAct(eng, devId, 'save_row', {
      row: row1({
        controls: [
          { kind: 'information_for_safety', description: 'IFU warning: prime fully' },
          { ...control, designInputId: inputId },
        ],
      }),
    });
    expect(r.status).toBe(200);
    const h = r.body.hazards[0];
    // 1e-3 × 1e-2 = 1e-5: band [1e-6, 1e-4) = level 3; severity 3 × level 3 = ZONES_REV1[2][2]
    expect(h.initialRisk).toMatchObject({ severity: 3, probability: 3, zone: ZONES_REV1[2][2] });
    expect(h.initialRisk.zone).toBe('afap');
    expect(h.residualRisk).toMatchObject({ probability: 3, zone: 'afap' });
    expect(h.controls.map((c: any) => c.kind)).toEqual(['protective_measure', 'information_for_safety']);
    expect(h.controls[0].designInputId).toBe(inputId);
  });
});

describe('process FMEA on DMR routing steps', () => {
  it('validates the step, shows the RPN and judges acceptability by the matrix', async () => {
    const seq = pumpDmr.revisions[0].content.routing[0].seq;
    const fmea = {
      dmrId: pumpDmr._id,
      seq,
      failureMode: 'Seal not seated',
      effect: 'Leak',
      cause: 'Fixture wear',
      severity: 4,
      occurrence: 2,
      detection: 7,
      controls: 'Leak test 100%',
    };
    await refused(t, () => fileAct(eng, devId, 'save_fmea', { row: { ...fmea, seq: 9999 } }), 400, 'RISK_STEP_UNKNOWN');
    await refused(
      t,
      () => fileAct(eng, devId, 'save_fmea', { row: { ...fmea, dmrId: 'no-such-dmr' } }),
      400,
      'RISK_STEP_UNKNOWN',
    );
    await refused(
      t,
      () => fileAct(eng, devId, 'save_fmea', { row: { ...fmea, occurrence: 6 } }),
      400,
      'RISK_PROBABILITY_OUT_OF_SCALE',
    );
    await refused(
      t,
      () => fileAct(eng, devId, 'save_fmea', { row: { ...fmea, severity: 5 } }),
      400,
      'RISK_SEVERITY_OUT_OF_SCALE',
    );
    await refused(
      t,
      () => fileAct(eng, devId, 'save_fmea', { row: { ...fmea, dmrId: { $ne: null } } }),
      400,
      'VALIDATION_FAILED',
    );
    const r = await fileAct(eng, devId, 'save_fmea', { row: fmea });
    expect(r.status).toBe(200);
    // RPN 4 × 2 × 7 = 56 is shown; the zone is the matrix cell severity 4 × probability level 2
    expect(r.body.fmeaRows[0]).toMatchObject({
      id: 'F-001',
      rpn: 56,
      zone: ZONES_REV1[3][1],
      step: pumpDmr.revisions[0].content.routing[0].name,
    });
    expect(r.body.fmeaRows[0].zone).toBe('afap');
  });
});

describe('approval needs verified controls and benefit-risk (ISO 14971:2019 7.2, 7.4)', () => {
  it('refuses approval while a control is unverified, then while a not-acceptable residual has no benefit-risk analysis', async () => {
    await refused(t, () => fileAct(qa, devId, 'approve', { ...sign, ...evaluation }), 409, 'RISK_CONTROL_UNVERIFIED');
    expect((await qa.get(`/api/v1/risk-files/${devId}`)).body.actions.map((a: any) => a.action)).not.toContain(
      'approve',
    );
    const verified = {
      ...control,
      designInputId: inputId,
      effectiveness: 'VER-032: bubbles ≥ 50 µL stop the pump in 20/20 trials.',
    };
    await fileAct(eng, devId, 'save_row', { row: row1({ rowId: 'H-001', controls: [verified] }) });
    await fileAct(eng, devId, 'save_row', {
      row: hazardRow({
        hazard: 'Battery depletion',
        imdrfCodes: ['F02'],
        initial: { severity: 1, p1: 1e-3, p2: 1e-3 },
      }),
    });
    const r = await refused(
      t,
      () => fileAct(qa, devId, 'approve', { ...sign, ...evaluation }),
      409,
      'RISK_BENEFIT_RISK_MISSING',
    );
    expect((r.body as any).error.details.benefitRisk).toEqual(['H-001']);
    await fileAct(eng, devId, 'save_row', {
      row: row1({
        rowId: 'H-001',
        controls: [verified],
        benefitRisk: 'Therapy benefit of accurate infusion outweighs the residual risk (clinical evaluation CER-04).',
      }),
    });
    const ok = await fileAct(qa, devId, 'approve', { ...sign, ...evaluation });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', planChangedSinceApproval: false });
  });
});

describe('the matrix is data', () => {
  it("a newly approved plan revision changes the row's zone and marks the file for review", async () => {
    const before = (await qa.get(`/api/v1/risk-files/${devId}`)).body;
    expect(before.hazards[0].residualRisk.zone).toBe('afap');
    const zones = ZONES_REV1.map((r) => [...r]);
    zones[2][2] = 'acceptable';
    expect((await planAct(eng, devId, 'edit', { content: planContent(zones) })).status).toBe(200);
    // the draft changes nothing until it is approved
    expect((await qa.get(`/api/v1/risk-files/${devId}`)).body.hazards[0].residualRisk.zone).toBe('afap');
    expect((await planAct(qa, devId, 'approve', sign)).body.revision).toBe(2);
    const after = (await qa.get(`/api/v1/risk-files/${devId}`)).body;
    expect(after.hazards[0].residualRisk.zone).toBe('acceptable');
    expect(after).toMatchObject({ planRevision: 2, planChangedSinceApproval: true, approval: { planRevision: 1 } });
  });
});

describe('post-production feedback (ISO 14971:2019 clause 10)', () => {
  it("divides the pump's real complaints per IMDRF code by real units shipped and flags a row above its estimate", async () => {
    // the demo pump's own risk file (seed/risk.ts): the flow-inaccuracy row carries A0201 with a
    // residual P1 of 1e-4; the free-flow row carries F02 (death), set against P1 × P2 = 1e-9
    const url = `/api/v1/risk-files/${pumpId}/post-production`;
    const before = (await qa.get(url)).body;
    const rowWith = (b: any, code: string) => b.rows.find((r: any) => r.codes.some((c: any) => c.code === code));
    const codeOf = (b: any, code: string) => rowWith(b, code).codes.find((c: any) => c.code === code);
    expect(rowWith(before, 'A0201').harm).toContain('Under- or overdose');
    const pumps = await t.services.db
      .collection<LotDoc>('lots')
      .find({ 'item.id': pumpId, status: 'released', kind: 'serial' })
      .limit(2)
      .toArray();
    // the demo ships most of its pumps (seed/history.ts): one or two are left in stock
    expect(pumps.length).toBeGreaterThan(0);
    for (const p of pumps) {
      const s = await wh.post(`/api/v1/lots/${p._id}/ship`, {
        customer: 'CUS-RJH',
        shipDate: '2026-11-02',
        reference: `DN-${p.serial}`,
      });
      expect(s.status).toBe(200);
    }
    const c = await eng.post(
      '/api/v1/complaints',
      complaintBody(pumps[0].serial!, { codes: { A: ['A0201'], E: ['E2403'] } }),
    );
    expect(c.status).toBe(201);
    const after = (await qa.get(url)).body;
    expect(after.unitsShipped).toBe(before.unitsShipped + pumps.length);
    const code = codeOf(after, 'A0201');
    expect(code.complaints).toBe(codeOf(before, 'A0201').complaints + 1);
    expect(code.observedRate).toBeCloseTo(code.complaints / after.unitsShipped, 12);
    // a device-problem code (Annex A) is set against P1 (1e-4); one complaint in the units shipped exceeds it
    expect(code).toMatchObject({ compares: 'p1', estimate: 1e-4, exceeds: true });
    expect(after.flagged).toContain(rowWith(after, 'A0201').rowId);
    const death = codeOf(after, 'F02');
    expect(death).toMatchObject({ compares: 'p1_x_p2', complaints: 0, observedRate: 0, exceeds: false });
    expect(death.estimate).toBeCloseTo(1e-9, 20);
    expect(after.flagged).not.toContain(rowWith(after, 'F02').rowId);
  });
});
