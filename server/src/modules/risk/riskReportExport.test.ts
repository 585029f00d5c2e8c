import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import type { DmrDoc } from '../dmr/dmr.record.ts';
import { demo, fileAct, hazardRow, planAct, planContent, riskDevice } from './risk.factory.ts';
import { exportedPdfText, flat, inOrder } from '../../../test/pdfExport.ts';

// The risk management report as a sealed PDF (export kind 'risk-report'; ISO 14971:2019 clauses 8
// and 9) through HTTP on the real engine: the plan's matrix (4.4 d), the hazard row with its
// initial and residual zone on that matrix, its control with verification (7.1, 7.2), the
// benefit-risk analysis (7.4), the pFMEA row with RPN S × O × D and its matrix zone, the overall
// evaluation and the approval signature (21 CFR 11.50); verified by pdfsig, its SHA-256 on the
// ledger; 403 without risk.read, 404 for a device without a risk file.
let t: TestServer;
let qa: Client, eng: Client, op: Client;
let pumpId = '';
let inputId = '';
let dir: string;
const sign = { password: DEMO_PASSWORD };
const evaluation = {
  overallResidualRisk: 'Overall residual risk acceptable against the benefit of infusion therapy.',
  overallAcceptable: true,
  review: 'Risk management plan implemented; production feedback methods in place.',
};
const control = {
  kind: 'protective_measure',
  description: 'Ultrasonic air-in-line detector stops the pump',
  implementation: 'Verified in VER-031',
  effectiveness: 'VER-032 bubbles stop the pump in 20/20 trials',
};
const design = {
  ...control,
  kind: 'inherent_safety',
  description: 'Drip chamber geometry traps air',
};

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, eng, op] = await Promise.all(['qa.manager', 'qa.engineer', 'operator'].map((u) => as(t.url, u)));
  // a device of this test's own (the demo pump has its seeded file), with a design input to name
  const demoPump = (await demo(t)).pump._id;
  ({ itemId: pumpId, inputId } = await riskDevice(t, 'FG-RSK-R1'));
  const dmr = (await t.services.db.collection<DmrDoc>('dmrs').findOne({ itemId: demoPump }))!;
  expect((await eng.post('/api/v1/risk-plans', { itemId: pumpId, content: planContent() })).status).toBe(201);
  expect((await planAct(qa, pumpId, 'approve', sign)).status).toBe(200);
  expect((await eng.post('/api/v1/risk-files', { itemId: pumpId })).status).toBe(201);
  // initial: S3 × (1e-3 × 1e-2 = 1e-5, level 3) = reduce as far as possible; residual S3 × (5e-6, level 3) same zone
  const row = hazardRow({
    controls: [control, design].map((c) => ({ ...c, designInputId: inputId })),
    residual: { severity: 3, p1: 5e-4, p2: 1e-2 },
    benefitRisk: 'Therapy benefit outweighs the residual risk (CER-04)',
  });
  expect((await fileAct(eng, pumpId, 'save_row', { row })).status).toBe(200);
  const fmea = {
    dmrId: dmr._id,
    seq: dmr.revisions[0].content.routing[0].seq,
    failureMode: 'Seal not seated',
    effect: 'Leak',
    cause: 'Fixture wear',
    severity: 2,
    occurrence: 2,
    detection: 7,
    controls: 'Leak test 100%',
  };
  expect((await fileAct(eng, pumpId, 'save_fmea', { row: fmea })).status).toBe(200);
  const ok = await fileAct(qa, pumpId, 'approve', { ...sign, ...evaluation });
  expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  dir = mkdtempSync(path.join(tmpdir(), 'provenant-risk-report-'));
}, 120_000);
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const exported = (c: Client, body: Record<string, unknown>) => exportedPdfText(t, c, body, dir);

describe('risk management report export', () => {
  it('prints the matrix, hazard zones, controls in 7.1 order, the pFMEA, the evaluation and the approval, in English and in Chinese', async () => {
    const en = await exported(qa, { kind: 'risk-report', id: pumpId, locale: 'en-US' });
    const s = inOrder(en, [
      'Risk management report FG-RSK-R1',
      'Acceptability matrix (ISO 14971:2019 4.4 d)',
      'Hazard analysis and risk evaluation',
      'Risk controls (ISO 14971:2019 7.1, 7.2)',
      'Benefit-risk analysis (ISO 14971:2019 7.4)',
      'Process FMEA',
      'Overall residual risk and review (ISO 14971:2019 8, 9)',
      'Signatures (21 CFR 11.50)',
      'History (audit trail)',
    ]);
    const matrix = flat(s['Acceptability matrix (ISO 14971:2019 4.4 d)']);
    for (const w of ['Improbable', 'Frequent', 'Negligible', 'Critical', 'Unacceptable', 'Acceptable'])
      expect(matrix).toContain(w);
    const hazards = flat(s['Hazard analysis and risk evaluation']);
    expect(hazards).toContain('Air embolism');
    // severity 3 "Serious" × level 3 "Occasional" is the AFAP cell of the plan (ZONES_REV1[2][2])
    // both the initial and the residual cell (table cells wrap in the text layer)
    expect(hazards.split('Reduce as far as').length - 1).toBe(2);
    const controls = flat(s['Risk controls (ISO 14971:2019 7.1, 7.2)']);
    // 7.1: inherent safety by design before protective measures, whatever order they were entered in
    expect(controls.indexOf('Inherent')).toBeGreaterThanOrEqual(0);
    expect(controls.indexOf('Inherent')).toBeLessThan(controls.indexOf('Protective'));
    expect(controls).toContain('VER-032');
    expect(flat(s['Benefit-risk analysis (ISO 14971:2019 7.4)'])).toContain('CER-04');
    // RPN 2 × 2 × 7 = 28 shown; zone severity 2 × occurrence 2 = acceptable
    const fmea = flat(s['Process FMEA']);
    expect(fmea).toContain('Seal not seated');
    expect(fmea).toMatch(/ 28 Acceptable/);
    expect(flat(s['Overall residual risk and review (ISO 14971:2019 8, 9)'])).toContain(
      'Overall residual risk acceptable against the benefit',
    );
    expect(s['Signatures (21 CFR 11.50)']).not.toContain('No signatures');
    expect(s['History (audit trail)']).toContain('riskfile.created');
    const zh = await exported(qa, { kind: 'risk-report', id: pumpId, locale: 'zh-CN' });
    const z = inOrder(zh, [
      '风险管理报告 FG-RSK-R1',
      '可接受性矩阵',
      '危险分析与风险评价',
      '风险控制措施',
      '受益-风险分析',
      '过程 FMEA',
      '综合剩余风险评价与评审',
      '电子签名',
      '历史记录',
    ]);
    expect(flat(z['可接受性矩阵'])).toContain('不可接受');
    expect(flat(z['危险分析与风险评价'])).toContain('尽可能');
    expect(flat(z['风险控制措施'])).toContain('固有');
  }, 240_000);

  it('refuses a role without risk.read (403) and a device without a risk file (404)', async () => {
    const denied = await op.post('/api/v1/exports', { kind: 'risk-report', id: pumpId, locale: 'en-US' });
    expect(denied.status).toBe(403);
    const set = (await demo(t)).set._id;
    const unknown = await qa.post('/api/v1/exports', { kind: 'risk-report', id: set, locale: 'en-US' });
    expect(unknown.status).toBe(404);
  });
});
