import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { actOn, changeBody, changeCast, draftDocument, ok, sign, type ChangeCast } from './changes.factory.ts';
import { exportedPdfText, flat, inOrder } from '../../../test/pdfExport.ts';

// The change record as a sealed PDF (export kind 'change'; ISO 13485:2016 7.3.9) through HTTP on
// the real engine: the named revision, the twelve 7.3.9 impact answers, the classification, the
// board's approval and its 21 CFR 11.50 manifestation, the history; verified by pdfsig, its
// SHA-256 on the ledger; refused (403) without change.read, 404 for an unknown change.
let t: TestServer;
let k: ChangeCast;
let dir: string;
let change: { id: string; number: string };

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  k = await changeCast(t.url);
  const doc = await draftDocument(k, 'Leak test work instruction', 'work_instruction');
  const c = ok(
    await k.qaEng.post('/api/v1/changes', changeBody({ items: [{ kind: 'document', id: doc.id, revision: 'A' }] })),
    'open',
  );
  ok(await actOn(k.qaEng, c.id, 'submit'), 'submit');
  expect(ok(await actOn(k.qa, c.id, 'approve', sign), 'approve').state).toBe('approved');
  change = c;
  dir = mkdtempSync(path.join(tmpdir(), 'provenant-change-export-'));
}, 120_000);
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const exported = (c: Client, body: Record<string, unknown>) => exportedPdfText(t, c, body, dir);

describe('change record export', () => {
  it('prints what the change names, the 7.3.9 impact answers, the classification, the board approval and the history, in English and in Chinese', async () => {
    const en = await exported(k.sup, { kind: 'change', id: change.id, locale: 'en-US' });
    const s = inOrder(en, [
      `Change request ${change.number}`,
      'Revisions changed',
      'Impact assessment (ISO 13485:2016 7.3.9)',
      'Classification',
      'Change board decisions',
      'Decisions on work orders in progress',
      'Implementation',
      'Signatures (21 CFR 11.50)',
      'History (audit trail)',
    ]);
    expect(flat(s['Revisions changed'])).toContain('Leak test work instruction');
    const impact = flat(s['Impact assessment (ISO 13485:2016 7.3.9)']);
    // the twelve questions of ISO 13485:2016 7.3.9 / the list, each with its answer
    for (const q of [
      'Function',
      'Performance',
      'Usability',
      'Safety',
      'Regulatory / registration',
      'Risk management file',
      'Verification and validation needed',
      'Labeling',
      'Suppliers',
      'Inventory on hand',
      'Work orders in progress',
      'Product already delivered',
    ])
      expect(impact).toContain(q);
    expect(impact).toContain('labeling assessed');
    expect(flat(s.Classification)).toContain('Minor');
    expect(flat(s.Classification)).toContain('no change to intended use');
    expect(s['Change board decisions']).toContain('Approved');
    // 21 CFR 11.50: printed name, date and time, meaning
    expect(flat(s['Signatures (21 CFR 11.50)'])).toMatch(/Approved|approved/);
    expect(s['History (audit trail)']).toContain('change.opened');
    const zh = await exported(k.qa, { kind: 'change', id: change.id, locale: 'zh-CN' });
    const z = inOrder(zh, [
      `变更申请 ${change.number}`,
      '变更的版本',
      '影响评估',
      '分类',
      '变更委员会决定',
      '在制工单处置决定',
      '实施',
      '电子签名',
      '历史记录',
    ]);
    expect(flat(z['影响评估'])).toContain('已交付产品');
    expect(z['分类']).toContain('微小');
  }, 240_000);

  it('refuses a role without change.read (403) and an unknown change (404)', async () => {
    const denied = await k.op.post('/api/v1/exports', { kind: 'change', id: change.id, locale: 'en-US' });
    expect(denied.status).toBe(403);
    const unknown = await k.qa.post('/api/v1/exports', { kind: 'change', id: 'no-such-change', locale: 'en-US' });
    expect(unknown.status).toBe(404);
  });
});
