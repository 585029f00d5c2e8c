import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, Client, DEMO_PASSWORD, startTestServer, type TestServer } from '../../../test/harness.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportedPdfText, flat } from '../../../test/pdfExport.ts';

// Production and the eDHR through HTTP on the real engine, from the seeded demo company:
// plan → release (signed) → materials → steps in order (training, calibration, limits) →
// labels → completion → deviations closed → QA release (signed) → output released.
const pdfDir = mkdtempSync(path.join(tmpdir(), 'wo-dhr-'));
let t: TestServer;
let sup: Client, op: Client, op2: Client, qa: Client, qaEng: Client, wh: Client;
const sign = { password: DEMO_PASSWORD };
const items = new Map<string, string>();
const eq = new Map<string, string>();
const ledgerCount = () => t.services.ledger.count();
const today = todayUtc();
/** The names of the actions a work order offers (each action is `{ action, signature, target?, … }`). */
const names = (w: { actions: Array<{ action: string }> }) => w.actions.map((a) => a.action);

async function register(code: string, type: string, lastCalibratedOn: string, interval = 365) {
  const r = await sup.post('/api/v1/equipment', {
    code,
    name: { zh: `设备 ${code}`, en: `Equipment ${code}` },
    type,
    location: 'PROD-1',
    calibrationIntervalDays: interval,
    lastCalibratedOn,
  });
  expect(r.status).toBe(201);
  eq.set(code, r.body.id);
  return r.body;
}

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [sup, op, op2, qa, qaEng, wh] = await Promise.all(
    ['prod.supervisor', 'operator', 'operator2', 'qa.manager', 'qa.engineer', 'warehouse'].map((u) => as(t.url, u)),
  );
  for (const i of (await sup.get('/api/v1/items')).body) items.set(i.partNumber, i.id);
  await register('T-CUT-01', 'Tube cutter / UV bonding station', addDays(today, -30));
  await register('T-LEAK-01', 'Leak tester', addDays(today, -10));
  await register('T-LEAK-OLD', 'Leak tester', addDays(today, -400));
  await register('T-EO-01', 'EO sterilizer', addDays(today, -60));
});
afterAll(async () => {
  await t?.stop();
});

describe('equipment', () => {
  it('requires auth, refuses bad input, the wrong role and duplicate codes; tracks calibration', async () => {
    expect((await new Client(t.url).get('/api/v1/equipment')).status).toBe(401);
    expect(
      (
        await op.post('/api/v1/equipment', {
          code: 'X1',
          name: { zh: 'x', en: 'x' },
          type: 't',
          location: 'l',
          calibrationIntervalDays: 30,
        })
      ).status,
    ).toBe(403);
    const before = await ledgerCount();
    const bad = await sup.post('/api/v1/equipment', {
      code: 'X 1',
      name: { zh: 'x', en: 'x' },
      type: 't',
      location: 'l',
      calibrationIntervalDays: 0,
    });
    expect(bad.status).toBe(400);
    expect(
      (
        await sup.post('/api/v1/equipment', {
          code: 'T-CUT-01',
          name: { zh: 'x', en: 'x' },
          type: 't',
          location: 'l',
          calibrationIntervalDays: 30,
        })
      ).status,
    ).toBe(409);
    expect(await ledgerCount()).toBe(before);
    const old = (await sup.get(`/api/v1/equipment/${eq.get('T-LEAK-OLD')}`)).body;
    expect(old).toMatchObject({ calibrated: false, calibrationDue: addDays(today, -35) });
    const failed = await qaEng.post(`/api/v1/equipment/${eq.get('T-LEAK-OLD')}/calibrations`, {
      date: today,
      result: 'fail',
      certificate: 'CAL-2026-0999',
    });
    expect(failed.body).toMatchObject({ status: 'out_of_service', calibrated: false });
    expect(
      (
        await op.post(`/api/v1/equipment/${eq.get('T-LEAK-OLD')}/calibrations`, {
          date: today,
          result: 'pass',
          certificate: 'x',
        })
      ).status,
    ).toBe(403);
    const list = (await op.get('/api/v1/equipment?type=Leak%20tester')).body;
    expect(list.every((q: { type: string }) => q.type === 'Leak tester')).toBe(true);
    expect(list.map((q: { code: string }) => q.code).filter((c: string) => c.startsWith('T-'))).toEqual([
      'T-LEAK-01',
      'T-LEAK-OLD',
    ]);
  });
});

describe('a work order from plan to released product', () => {
  let id = '';
  const wo = async () => (await sup.get(`/api/v1/workorders/${id}`)).body;
  const perform = (
    c: Client,
    seq: number,
    values: Record<string, number | string>,
    equipmentIds: string[],
    extra = {},
  ) => c.post(`/api/v1/workorders/${id}/steps/${seq}/perform`, { values, equipmentIds, ...sign, ...extra });

  it('plans from the effective DMR revision, refusing bad input, the wrong role and devices without a DMR', async () => {
    const body = {
      itemId: items.get('FG-IFS-20'),
      plannedQuantity: 100,
      plannedStart: today,
      plannedEnd: addDays(today, 5),
    };
    expect((await op.post('/api/v1/workorders', body)).status).toBe(403);
    expect((await sup.post('/api/v1/workorders', { ...body, plannedEnd: addDays(today, -1) })).status).toBe(400);
    expect((await sup.post('/api/v1/workorders', { ...body, itemId: items.get('RM-PVC-001') })).status).toBe(400);
    const bare = await qaEng.post('/api/v1/items', {
      partNumber: 'FG-NODMR-1',
      name: { zh: '无DMR器械', en: 'Device without DMR' },
      type: 'finished',
      unit: 'pcs',
      control: 'lot',
    });
    const noDmr = await sup.post('/api/v1/workorders', { ...body, itemId: bare.body.id });
    expect(noDmr.status).toBe(409);
    expect(noDmr.body.error.code).toBe('NO_EFFECTIVE_DMR');
    const r = await sup.post('/api/v1/workorders', body);
    expect(r.status).toBe(201);
    id = r.body.id;
    expect(r.body).toMatchObject({ state: 'planned', dmrRevision: 'A', plannedQuantity: 100 });
    expect(names(r.body)).toEqual(['release', 'cancel']);
    expect(r.body.number).toMatch(/^WO-\d{4}-\d{5}$/);
    expect(r.body.bom.find((l: { partNumber: string }) => l.partNumber === 'RM-PVC-001')).toMatchObject({
      quantityPer: 1.5,
      required: 150,
      issued: 0,
    });
    expect(r.body.operations.map((o: { seq: number; status: string }) => [o.seq, o.status])).toEqual([
      [10, 'pending'],
      [20, 'pending'],
      [30, 'pending'],
    ]);
  });

  it('is released to the floor by the supervisor’s signature, not by an operator or a wrong password', async () => {
    const w = await wo();
    expect(
      (await op.post(`/api/v1/workorders/${id}/actions/release`, { version: w.ledgerVersion, ...sign })).status,
    ).toBe(403);
    const before = await ledgerCount();
    const wrong = await sup.post(`/api/v1/workorders/${id}/actions/release`, {
      version: w.ledgerVersion,
      password: 'not-it',
    });
    expect(wrong.status).toBe(401);
    expect((await wo()).state).toBe('planned');
    expect(await ledgerCount()).toBe(before + 1); // only the failed attempt (auth.signatureFailed)
    expect(
      (await perform(op, 10, { 'Tubing length': 1500, 'UV cure time': 10 }, [eq.get('T-CUT-01')!])).body.error.code,
    ).toBe('WORK_ORDER_WRONG_STATE');
    const ok = await sup.post(`/api/v1/workorders/${id}/actions/release`, { version: w.ledgerVersion, ...sign });
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe('released');
    expect(ok.body.approval.by).toContain('Zhou Qiang');
  });

  it('issues only released lots of BOM items', async () => {
    const sugg = (await wh.get(`/api/v1/workorders/${id}/material-suggestions`)).body;
    const pvc = sugg.find((l: { partNumber: string }) => l.partNumber === 'RM-PVC-001');
    expect(pvc).toMatchObject({ required: 150, issued: 0, remaining: 150 });
    expect(pvc.suggestions.length).toBeGreaterThan(0);
    const lotId = pvc.suggestions[0].lotId;
    expect((await op2.post(`/api/v1/workorders/${id}/materials`, { lotId, quantity: 151 })).body.error.code).toBe(
      'OVER_ISSUE',
    );
    const issued = await wh.post(`/api/v1/workorders/${id}/materials`, { lotId, quantity: 150 });
    expect(issued.status).toBe(200);
    expect(issued.body.bom.find((l: { partNumber: string }) => l.partNumber === 'RM-PVC-001').issued).toBe(150);
    expect(issued.body.materials[0]).toMatchObject({ lotId, quantity: 150, supplier: { code: 'SUP-HUASU' } });
    const quarantined = (await wh.get('/api/v1/inventory?status=quarantine')).body;
    const q = quarantined.find((l: { item: { partNumber: string } }) => l.item.partNumber === 'RM-PVC-001');
    if (q)
      expect((await wh.post(`/api/v1/workorders/${id}/materials`, { lotId: q.id, quantity: 1 })).body.error.code).toBe(
        'LOT_NOT_RELEASED',
      );
    const rejected = (await wh.get('/api/v1/inventory?status=rejected')).body[0];
    expect(
      (await wh.post(`/api/v1/workorders/${id}/materials`, { lotId: rejected.id, quantity: 1 })).body.error.code,
    ).toBe('LOT_NOT_RELEASED');
    const bomParts = new Set(issued.body.bom.map((l: { partNumber: string }) => l.partNumber));
    const foreign = (await wh.get('/api/v1/inventory')).body.find(
      (l: { item: { partNumber: string } }) => !bomParts.has(l.item.partNumber),
    );
    expect(
      (await wh.post(`/api/v1/workorders/${id}/materials`, { lotId: foreign.id, quantity: 1 })).body.error.code,
    ).toBe('ITEM_NOT_IN_BOM');
  });

  it('shows an untrained operator the step blocked with the work instruction to train on, before any signature', async () => {
    // ISO 13485:2016 6.2 (competence) and 21 CFR 820.25(b): the check is made when the step is opened
    const seen = (await op2.get(`/api/v1/workorders/${id}`)).body;
    const step = seen.actions.find((a: { action: string }) => a.action === 'perform');
    expect(step).toMatchObject({
      target: { seq: 10 },
      blockedBy: { code: 'NOT_TRAINED', link: { route: 'document' } },
    });
    const wi = seen.operations[0].workInstruction.number as string;
    expect(wi).toMatch(/^WI-PROD-\d+$/);
    expect(step.blockedBy.en).toMatch(new RegExp(`${wi} rev [A-Z]`));
    expect(step.blockedBy.zh).toMatch(new RegExp(`${wi} [A-Z] 版`));
    // the trained operator is offered the same step unblocked
    const mine = (await op.get(`/api/v1/workorders/${id}`)).body.actions.find(
      (a: { action: string }) => a.action === 'perform',
    );
    expect(mine).toMatchObject({ target: { seq: 10 } });
    expect(mine.blockedBy).toBeUndefined();
  });

  it('refuses steps out of order, untrained operators, unusable equipment and missing values, changing nothing', async () => {
    const before = await ledgerCount();
    const skip = await perform(op, 20, { 'Test pressure': 50, 'Pressure decay': 0.1 }, [eq.get('T-LEAK-01')!]);
    expect(skip.status).toBe(409);
    expect(skip.body.error.code).toBe('STEP_OUT_OF_ORDER');
    const untrained = await perform(op2, 10, { 'Tubing length': 1500, 'UV cure time': 10 }, [eq.get('T-CUT-01')!]);
    expect(untrained.status).toBe(403);
    expect(untrained.body.error.code).toBe('NOT_TRAINED');
    expect(untrained.body.error.message).toMatch(/WI-PROD-\d+ revision [A-Z]/);
    expect((await perform(op, 10, { 'Tubing length': 1500, 'UV cure time': 10 }, [])).body.error.code).toBe(
      'EQUIPMENT_REQUIRED',
    );
    expect(
      (await perform(op, 10, { 'Tubing length': 1500, 'UV cure time': 10 }, [eq.get('T-LEAK-01')!])).body.error.code,
    ).toBe('EQUIPMENT_WRONG_TYPE');
    const missing = await perform(op, 10, { 'Tubing length': 1500 }, [eq.get('T-CUT-01')!]);
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('VALUE_MISSING');
    for (const bad of ['4.0.0', '1e3', '4,00', '', '1.1234567', { $ne: null }]) {
      const r = await perform(op, 10, { 'Tubing length': bad as string, 'UV cure time': 9 }, [eq.get('T-CUT-01')!]);
      expect([r.status, r.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect(await ledgerCount()).toBe(before);
  });

  it('records steps with their signatures; out-of-spec values open deviations; a second person verifies', async () => {
    // a value entered as "1501.50" keeps its decimals (issue 15 item 10: 4.00 stays 4.00)
    const s10 = await perform(op, 10, { 'Tubing length': '1501.50', 'UV cure time': 9 }, [eq.get('T-CUT-01')!], {
      comment: 'first article OK',
    });
    expect(s10.status).toBe(200);
    expect(s10.body.state).toBe('in_progress');
    expect(s10.body.operations[0]).toMatchObject({
      status: 'performed',
      performed: { byId: expect.any(String), comment: 'first article OK', equipment: [{ code: 'T-CUT-01' }] },
    });
    expect(s10.body.operations[0].performed.values[0]).toMatchObject({ value: 1501.5, text: '1501.50', inSpec: true });
    const stale = await perform(op, 20, { 'Test pressure': 50, 'Pressure decay': 0.1 }, [eq.get('T-LEAK-OLD')!]);
    expect(stale.body.error.code).toBe('EQUIPMENT_NOT_CALIBRATED');
    // a wrong password on an out-of-spec value writes only the failed attempt: no DEV-… number is consumed
    const devSequence = `sequence:dev.${new Date().getUTCFullYear()}`;
    const devHead = (await t.services.ledger.head(devSequence))?.version ?? 0;
    const beforeWrong = await ledgerCount();
    const wrong = await op.post(`/api/v1/workorders/${id}/steps/20/perform`, {
      values: { 'Test pressure': 50, 'Pressure decay': 0.8 },
      equipmentIds: [eq.get('T-LEAK-01')!],
      password: 'not-the-password',
    });
    expect(wrong.status).toBe(401);
    expect(await ledgerCount()).toBe(beforeWrong + 1); // auth.signatureFailed on the operator's own account (lockout)
    expect((await t.services.ledger.head(devSequence))?.version ?? 0).toBe(devHead);
    const s20 = await perform(op, 20, { 'Test pressure': 50, 'Pressure decay': '0.80' }, [eq.get('T-LEAK-01')!]);
    expect(s20.body.deviations).toHaveLength(1);
    expect(s20.body.deviations[0].number).toMatch(/^DEV-\d{4}-\d{5}$/);
    expect(s20.body.deviations[0]).toMatchObject({
      seq: 20,
      capture: 'Pressure decay',
      value: 0.8,
      text: '0.80',
      upper: 0.5,
      status: 'open',
    });
    expect(s20.body.operations[1].performed.values[1]).toMatchObject({ name: 'Pressure decay', inSpec: false });
    const self = await op.post(`/api/v1/workorders/${id}/steps/20/verify`, sign);
    expect(self.body.error.code).toBe('SIGNER_IS_AUTHOR');
    expect(
      (
        await perform(op, 30, { 'Exposure temperature': 55, 'Relative humidity': 60, 'Exposure time': 8 }, [
          eq.get('T-EO-01')!,
        ])
      ).body.error.code,
    ).toBe('STEP_OUT_OF_ORDER');
    const v20 = await op2.post(`/api/v1/workorders/${id}/steps/20/verify`, sign);
    expect(v20.status).toBe(200);
    expect(v20.body.operations[1].status).toBe('verified');
    expect(
      (await sup.post(`/api/v1/workorders/${id}/complete`, { goodQuantity: 98, scrappedQuantity: 2, reason: 'x' })).body
        .error.code,
    ).toBe('STEPS_OPEN');
    await perform(op, 30, { 'Exposure temperature': 55, 'Relative humidity': 60, 'Exposure time': 8 }, [
      eq.get('T-EO-01')!,
    ]);
    const v30 = await op2.post(`/api/v1/workorders/${id}/steps/30/verify`, sign);
    expect(
      v30.body.operations.every((o: { status: string }) => o.status === 'verified' || o.status === 'performed'),
    ).toBe(true);
    expect(names(await wo())).toContain('complete');
  });

  it('prints and reconciles UDI labels', async () => {
    const printed = await op.post(`/api/v1/workorders/${id}/labels/print`, { quantity: 100 });
    expect(printed.body.labels).toMatchObject({ printed: 100, reconciled: false });
    expect(printed.body.labels.sampleHri).toMatch(
      /^\(01\)\d{14}\(17\)\d{6}\(11\)\d{6}\(10\)L\d{4}-\d{5}$|^\(01\)\d{14}\(11\)\d{6}\(17\)\d{6}\(10\)/,
    );
    const png = await op.bytes(`/api/v1/workorders/${id}/labels/sample.png`);
    expect(png.type).toBe('image/png');
    expect(png.body.subarray(1, 4).toString()).toBe('PNG');
    const pdf = await op.bytes(`/api/v1/workorders/${id}/labels.pdf`);
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(
      (await op.post(`/api/v1/workorders/${id}/labels/reconcile`, { used: 97, destroyed: 2, reason: 'smudged' })).body
        .error.code,
    ).toBe('LABEL_COUNT_MISMATCH');
    const ok = await op.post(`/api/v1/workorders/${id}/labels/reconcile`, {
      used: 98,
      destroyed: 2,
      reason: 'two smudged labels destroyed',
    });
    expect(ok.body.labels).toMatchObject({ used: 98, destroyed: 2, reconciled: true });
  });

  it('completes into quarantine; QA release waits for a complete DHR, then releases the output', async () => {
    const done = await sup.post(`/api/v1/workorders/${id}/complete`, {
      goodQuantity: 98,
      scrappedQuantity: 2,
      reason: 'two sets failed visual check',
    });
    expect(done.body).toMatchObject({ state: 'completed', output: { goodQuantity: 98, scrappedQuantity: 2 } });
    const lotId = done.body.output.lotIds[0];
    expect((await wh.get(`/api/v1/lots/${lotId}`)).body).toMatchObject({ status: 'quarantine', quantity: 98 });
    const early = await qa.post(`/api/v1/workorders/${id}/actions/qa_release`, {
      version: done.body.ledgerVersion,
      ...sign,
    });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('DHR_INCOMPLETE');
    expect(
      early.body.error.details.checklist.filter((c: { ok: boolean }) => !c.ok).map((c: { key: string }) => c.key),
    ).toEqual(['deviations', 'materials']);
    const dev = done.body.deviations[0];
    const close = {
      disposition: 'use_as_is',
      rationale: 'Retested at 0.3 kPa after re-seating the fixture; the first reading was a fixture leak.',
      ...sign,
    };
    expect((await op.post(`/api/v1/workorders/${id}/deviations/${dev.id}/close`, close)).status).toBe(403);
    const closed = await qaEng.post(`/api/v1/workorders/${id}/deviations/${dev.id}/close`, close);
    expect(closed.body.deviations[0]).toMatchObject({ status: 'closed', closure: { disposition: 'use_as_is' } });
    const lines = closed.body.bom.map((l: { itemId: string; issued: number }) => ({
      itemId: l.itemId,
      consumed: l.issued,
      scrapped: 0,
    }));
    expect((await sup.post(`/api/v1/workorders/${id}/materials/reconcile`, { lines })).body.error.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      (
        await sup.post(`/api/v1/workorders/${id}/materials/reconcile`, {
          lines: lines.map((l: { consumed: number }) => ({ ...l, consumed: l.consumed + 1 })),
          reason: 'x',
        })
      ).body.error.code,
    ).toBe('MATERIAL_COUNT_MISMATCH');
    const rec = await sup.post(`/api/v1/workorders/${id}/materials/reconcile`, {
      lines,
      reason: 'components other than tubing kitted from line-side stock for this trial order',
    });
    expect(rec.body.checklist.every((c: { ok: boolean }) => c.ok)).toBe(true);
    expect(names(rec.body)).not.toContain('qa_release'); // the planner never releases
    const qaView = (await qa.get(`/api/v1/workorders/${id}`)).body;
    expect(names(qaView)).toContain('qa_release');
    const released = await qa.post(`/api/v1/workorders/${id}/actions/qa_release`, {
      version: qaView.ledgerVersion,
      ...sign,
    });
    expect(released.status).toBe(200);
    expect(released.body.state).toBe('closed');
    expect((await wh.get(`/api/v1/lots/${lotId}`)).body).toMatchObject({ status: 'released', quantity: 98 });
  });

  it('assembles the DHR with verified signatures and a verified ledger chain', async () => {
    const dhr = (await qa.get(`/api/v1/workorders/${id}/dhr`)).body;
    expect(dhr.workOrder.state).toBe('closed');
    expect(dhr.steps.map((s: { performed: { valid: boolean } | null }) => s.performed?.valid)).toEqual([
      true,
      true,
      true,
    ]);
    expect(dhr.steps[1].verified.manifestation).toMatch(/Sun Hao — Verified — \d{4}-\d{2}-\d{2}/);
    expect(dhr.release).toMatchObject({ meaning: 'released', valid: true });
    expect(dhr.materials[0]).toMatchObject({
      partNumber: 'RM-PVC-001',
      quantity: 150,
      supplier: { code: 'SUP-HUASU' },
    });
    expect(dhr.ledger).toMatchObject({ verified: true, stream: `workorder:${id}` });
    expect(dhr.signatures.length).toBe(8); // release, 3 performed, 2 verified, deviation, QA release
    expect(dhr.steps[0].values[0]).toMatchObject({ name: 'Tubing length', text: '1501.50' });
    // the sealed DHR PDF prints the values with the decimals entered
    const text = flat(await exportedPdfText(t, qa, { kind: 'dhr', id, locale: 'zh-CN' }, pdfDir));
    expect(text).toContain('1501.50');
    expect(text).toContain('0.80');
    expect(text).toContain('器械历史记录');
  });
});

describe('serialized devices', () => {
  it('allocates unique serial numbers and produces one unit per good serial', async () => {
    const body = {
      itemId: items.get('FG-PMP-1'),
      plannedQuantity: 2,
      plannedStart: today,
      plannedEnd: addDays(today, 2),
    };
    expect((await sup.post('/api/v1/workorders', { ...body, plannedQuantity: 1.5 })).status).toBe(400);
    const a = (await sup.post('/api/v1/workorders', body)).body;
    const b = (await sup.post('/api/v1/workorders', body)).body;
    expect(a.serials).toHaveLength(2);
    expect(new Set([...a.serials, ...b.serials]).size).toBe(4);
    expect(a.serials[0]).toMatch(/^FG-PMP-1-\d{7}$/);
    const released = await sup.post(`/api/v1/workorders/${a.id}/actions/release`, {
      version: a.ledgerVersion,
      ...sign,
    });
    expect(names(released.body)).toEqual(expect.arrayContaining(['issue', 'print_labels']));
    const tq = await register('T-TQ-01', 'Torque screwdriver', addDays(today, -1));
    const sf = await register('T-SF-01', 'Safety tester / flow analyzer', addDays(today, -1));
    const go = (c: Client, seq: number, values: Record<string, number>, eqId: string) =>
      c.post(`/api/v1/workorders/${a.id}/steps/${seq}/perform`, { values, equipmentIds: [eqId], ...sign });
    expect((await go(op2, 10, { 'Screw torque': 0.6 }, tq.id)).status).toBe(200);
    expect((await go(op2, 20, { 'Earth leakage current': 100, 'Flow accuracy': 2 }, sf.id)).status).toBe(200);
    expect((await op.post(`/api/v1/workorders/${a.id}/steps/20/verify`, sign)).status).toBe(200);
    const bad = await sup.post(`/api/v1/workorders/${a.id}/complete`, {
      goodQuantity: 1,
      scrappedQuantity: 1,
      scrappedSerials: ['nope'],
      reason: 'failed burn-in',
    });
    expect(bad.status).toBe(400);
    const done = await sup.post(`/api/v1/workorders/${a.id}/complete`, {
      goodQuantity: 1,
      scrappedQuantity: 1,
      scrappedSerials: [a.serials[1]],
      reason: 'failed burn-in',
    });
    expect(done.body.output.lotIds).toHaveLength(1);
    expect((await wh.get(`/api/v1/lots/${done.body.output.lotIds[0]}`)).body).toMatchObject({
      kind: 'serial',
      serial: a.serials[0],
      status: 'quarantine',
      quantity: 1,
    });
  });
});

describe('production numbering schemes', () => {
  it('changes the serial pattern on the ledger; bad patterns and the wrong role are refused', async () => {
    const list = (await op.get('/api/v1/production/numbering-schemes')).body;
    expect(list.map((x: { type: string }) => x.type)).toEqual(['work_order', 'serial']);
    expect((await op.put('/api/v1/production/numbering-schemes/serial', { pattern: 'SN{seq:4}' })).status).toBe(403);
    const admin = await as(t.url, 'admin');
    expect(
      (await admin.put('/api/v1/production/numbering-schemes/serial', { pattern: 'SN-{seq:4}-{seq:2}' })).status,
    ).toBe(400);
    expect(
      (await admin.put('/api/v1/production/numbering-schemes/work_order', { pattern: 'WO-{pn}-{seq:4}' })).status,
    ).toBe(400);
    expect((await admin.put('/api/v1/production/numbering-schemes/lot', { pattern: 'L{seq:4}' })).status).toBe(400);
    const changed = await admin.put('/api/v1/production/numbering-schemes/serial', { pattern: 'SN{yy}{mm}{seq:4}' });
    expect(changed.status).toBe(200);
    const w = (
      await sup.post('/api/v1/workorders', {
        itemId: items.get('FG-PMP-1'),
        plannedQuantity: 2,
        plannedStart: today,
        plannedEnd: today,
      })
    ).body;
    const yymm = today.slice(2, 4) + today.slice(5, 7);
    expect(w.serials).toEqual([`SN${yymm}0001`, `SN${yymm}0002`]);
  });
});

describe('the inbox', () => {
  it('shows each role what production waits for', async () => {
    const kinds = async (c: Client) =>
      (await c.get('/api/v1/tasks')).body as Array<{
        kind: string;
        number: string;
        link: { route: string; id: string };
      }>;
    const qaTasks = await kinds(qa);
    const waiting = qaTasks.find((x) => x.kind === 'dhr_release');
    expect(waiting?.link.route).toBe('workorder');
    expect(names((await qa.get(`/api/v1/workorders/${waiting!.link.id}`)).body)).toContain('qa_release');
    expect((await kinds(sup)).some((x) => x.kind === 'wo_release')).toBe(true);
    expect((await kinds(sup)).some((x) => x.kind === 'dhr_release')).toBe(false); // the planner never releases
    const verify = (await kinds(op2)).filter((x) => x.kind === 'wo_verify');
    expect(verify.length).toBeGreaterThan(0);
    expect((await kinds(op)).filter((x) => x.kind === 'wo_verify').map((x) => x.link.id)).not.toContain(
      verify[0].link.id,
    ); // not the performer
    expect((await kinds(qaEng)).find((x) => x.kind === 'calibration' && x.number === 'EQ-LKT-02')).toMatchObject({
      link: { route: 'equipment-item' },
    });
    expect((await kinds(wh)).some((x) => x.kind.startsWith('wo_'))).toBe(false);
  });
});
