import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { complaintBody, releasedProducedLot } from './complaints.factory.ts';
import { lotOf, ncOn } from '../nc/nc.factory.ts';
import { capaCast, capaInProgress } from '../capa/capa.factory.ts';
import { exportedPdfText, flat, inOrder } from '../../../test/pdfExport.ts';

// Sealed PDF exports of the quality records through HTTP on the real engine: 'nc', 'capa',
// 'complaint' (fields, signatures as 21 CFR 11.50 manifestations, history) and 'complaint-report'
// in each regulator's form (FDA 3500A sections A, B, D, E, F, G, H; EU MIR sections 1-5; NMPA
// 可疑医疗器械不良事件报告表 header, A-D), each verified by pdfsig, its SHA-256 on the ledger.
let t: TestServer, qa: Client, qaEng: Client, auditor: Client;
let dir: string;
let complaint: { id: string; number: string };
let lotNumber: string;
const NATURE = 'Infusion set leaked at the drip chamber during use.';

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, qaEng, auditor] = await Promise.all(['qa.manager', 'qa.engineer', 'auditor'].map((u) => as(t.url, u)));
  const { lot } = await releasedProducedLot(t);
  lotNumber = lot.lotNumber;
  const r = await qaEng.post('/api/v1/complaints', complaintBody(lot.lotNumber));
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  complaint = r.body;
  // NMPA: a serious injury, decided reportable (20-day clock; NMPA 2019 Art. 25)
  const d = await qa.post('/api/v1/reporting/decisions', {
    complaintId: complaint.id,
    jurisdiction: 'CN',
    awareAt: '2026-11-21T02:00:00Z',
    facts: { seriousInjury: true },
  });
  expect(d.status, JSON.stringify(d.body)).toBe(201);
  const decided = await qa.post(`/api/v1/reporting/decisions/${d.body.id}/decide`, {
    password: DEMO_PASSWORD,
    reportable: true,
    rationale: 'Serious injury: leak during infusion',
  });
  expect(decided.status, JSON.stringify(decided.body)).toBeLessThan(300);
  dir = mkdtempSync(path.join(tmpdir(), 'provenant-quality-exports-'));
}, 120_000);
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const exported = (c: Client, body: Record<string, unknown>, pdfa = false) =>
  exportedPdfText(t, c, body, dir, pdfa ? { pdfa: '2b' } : {});

describe('quality record exports', () => {
  it('exports a complaint with its fields, signatures and history, in English and in Chinese', async () => {
    const en = await exported(qa, { kind: 'complaint', id: complaint.id, locale: 'en-US' }, true);
    const s = inOrder(en, [
      'Complaint record',
      'IMDRF codes',
      'Investigation',
      'Reportability decisions',
      'Signatures (21 CFR 11.50)',
      'History (audit trail)',
    ]);
    expect(flat(s['Complaint record'])).toContain(NATURE);
    expect(s['Complaint record']).toContain(lotNumber);
    expect(s['IMDRF codes']).toContain('A0201 Product Quality Problem');
    expect(s['Reportability decisions']).toContain('CN');
    expect(s['History (audit trail)']).toContain('complaint.received');
    const zh = await exported(qa, { kind: 'complaint', id: complaint.id, locale: 'zh-CN' });
    inOrder(zh, ['投诉记录', 'IMDRF 代码', '调查', '可报告性决定', '电子签名', '历史记录']);
    expect(zh).toContain('无签名'); // not yet investigated: no signature on the complaint itself
  }, 240_000);

  it('prints the NC and the CAPA with their signatures as 11.50 manifestations', async () => {
    const nc = await ncOn(qa, await lotOf(t, qa, { quantity: 20 }), 5);
    const ncText = await exported(qa, { kind: 'nc', id: nc.id, locale: 'zh-CN' });
    inOrder(ncText, [`不合格品 ${nc.number}`, '受影响批次', '处置(评审委员会)', '关闭记录', '电子签名', '历史记录']);
    expect(ncText).toContain('nc.opened');
    const k = await capaCast(t.url);
    const capaId = await capaInProgress(k);
    const capaText = await exported(qa, { kind: 'capa', id: capaId, locale: 'en-US' });
    const s = inOrder(capaText, [
      'Decision to open',
      'Investigation',
      'Actions',
      'Signatures (21 CFR 11.50)',
      'History (audit trail)',
    ]);
    expect(s['Investigation']).toContain('5 Why');
    expect(s['Actions']).toContain('Revise the leak-test work instruction');
    expect(flat(s['Signatures (21 CFR 11.50)'])).toMatch(/— Approved — \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/); // QA's decision
  }, 240_000);

  it("prints the complaint report in FDA 3500A's section order with the complaint's values", async () => {
    const text = await exported(
      qa,
      { kind: 'complaint-report', id: complaint.id, form: 'fda-3500a', locale: 'en-US' },
      true,
    );
    const s = inOrder(text, [
      'A. Patient information',
      'B. Adverse event or product problem',
      'D. Suspect medical device',
      'E. Initial reporter',
      'F. For use by user facility/importer',
      'G. All manufacturers',
      'H. Device manufacturers only',
    ]);
    expect(flat(s['B. Adverse event or product problem'])).toContain(NATURE);
    expect(s['D. Suspect medical device']).toContain(lotNumber);
    expect(s['E. Initial reporter']).toContain('Ward 5, City Hospital');
    expect(s['G. All manufacturers']).toContain('2026-11-21'); // G4 date received = awareness date
    expect(s['H. Device manufacturers only']).toContain('A0201');
    expect(text).not.toContain('Signatures (21 CFR 11.50)');
  }, 240_000);

  it("prints the complaint report in the EU MIR's section order", async () => {
    const text = await exported(qa, { kind: 'complaint-report', id: complaint.id, form: 'eu-mir', locale: 'en-US' });
    const s = inOrder(text, [
      'Section 1: Administrative information',
      'Section 2: Medical device information',
      'Section 3: Incident information',
      "Section 4: Manufacturer's analysis",
      'Section 5: Comments',
    ]);
    expect(s['Section 1: Administrative information']).toContain('2026-11-21'); // 1.2c awareness
    expect(s['Section 1: Administrative information']).toContain(complaint.number); // 1.3.1b
    expect(s['Section 2: Medical device information']).toContain(lotNumber);
    expect(flat(s['Section 3: Incident information'])).toContain(NATURE);
    expect(s['Section 3: Incident information']).toContain('E2403');
  }, 240_000);

  it('prints the complaint report in the order of the NMPA form, in Chinese', async () => {
    const text = await exported(qa, { kind: 'complaint-report', id: complaint.id, form: 'nmpa', locale: 'zh-CN' });
    expect(text).toContain('可疑医疗器械不良事件报告表');
    const s = inOrder(text, ['报告基本情况', 'A.患者资料', 'B.不良事件情况', 'C.医疗器械情况', 'D.不良事件评价']);
    expect(flat(s['B.不良事件情况'])).toContain(NATURE);
    expect(s['B.不良事件情况']).toContain('2026-11-21'); // 7. 发现或者知悉时间
    expect(s['C.医疗器械情况']).toContain(lotNumber); // 15. 产品批号
    expect(text).toContain('未经核对'); // the form's order is marked as not verified against the 2019 form
  }, 240_000);

  it('refuses a user without read permission, an unknown or missing form, injected input: nothing written', async () => {
    const mark = await markLedger(t.services);
    for (const kind of ['nc', 'capa', 'complaint'])
      expect((await auditor.post('/api/v1/exports', { kind, id: complaint.id })).status).toBe(403);
    expect(
      (await auditor.post('/api/v1/exports', { kind: 'complaint-report', id: complaint.id, form: 'nmpa' })).status,
    ).toBe(403);
    const bad = await qa.post('/api/v1/exports', { kind: 'complaint-report', id: complaint.id, form: 'who-form' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await qa.post('/api/v1/exports', { kind: 'complaint-report', id: complaint.id })).status).toBe(400);
    expect(
      (await qa.post('/api/v1/exports', { kind: 'complaint-report', id: complaint.id, form: { $ne: null } })).status,
    ).toBe(400);
    expect((await qa.post('/api/v1/exports', { kind: 'complaint', id: 'no-such-complaint' })).status).toBe(404);
    expect((await qa.post('/api/v1/exports', { kind: 'nc', id: 'no-such-nc' })).status).toBe(404);
    await expectNothingWritten(t.services, mark);
  });
});
