import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { complaintBody, refused } from '../complaints/complaints.factory.ts';
import { fileAct, hazardRow, planAct, planContent, riskDevice } from './risk.factory.ts';
import { element } from '../design/design.factory.ts';

// Plan and file approval on the one command path (plan.lifecycle.ts, riskfile.lifecycle.ts):
// risk.approve only (ISO 14971:2019 4.4, 8, 9), never by who drafted the plan revision or wrote
// rows of the file (ISO 13485:2016 4.2.4), with the password (21 CFR 11.200), at the version seen;
// a refusal writes nothing.
let t: TestServer;
let qa: Client, eng: Client, sup: Client;
let setId = '';
let otherId = '';
let dev1: Awaited<ReturnType<typeof riskDevice>>;
let dev2: Awaited<ReturnType<typeof riskDevice>>;
const sign = { password: DEMO_PASSWORD };
const evaluation = {
  overallResidualRisk: 'Overall residual risk acceptable against the plan; benefits outweigh.',
  overallAcceptable: true,
  review: 'Plan implemented; production and post-production information methods in place.',
};

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, eng, sup] = await Promise.all(['qa.manager', 'qa.engineer', 'prod.supervisor'].map((u) => as(t.url, u)));
  // devices of this test's own: the demo pump already has its risk plan and file (seed/risk.ts)
  dev1 = await riskDevice(t, 'FG-RSK-C1');
  dev2 = await riskDevice(t, 'FG-RSK-C2');
  setId = dev1.itemId;
  otherId = dev2.itemId;
});
afterAll(async () => {
  await t?.stop();
});

describe('risk management plan approval', () => {
  it('is created as a draft by risk.write and offers approval to risk.approve only', async () => {
    const r = await eng.post('/api/v1/risk-plans', { itemId: setId, content: planContent() });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'draft', revision: 0, effective: null });
    expect((await qa.get(`/api/v1/risk-plans/${setId}`)).body.actions.map((a: any) => a.action)).toEqual([
      'edit',
      'approve',
    ]);
    expect((await eng.get(`/api/v1/risk-plans/${setId}`)).body.actions.map((a: any) => a.action)).toEqual(['edit']);
    await refused(
      t,
      () => eng.post('/api/v1/risk-plans', { itemId: setId, content: planContent() }),
      409,
      'RISK_PLAN_EXISTS',
    );
  });

  it('refuses the wrong role, writing nothing', async () => {
    await refused(t, () => planAct(sup, setId, 'approve', sign), 403, 'FORBIDDEN');
  });

  it('refuses whoever drafted the revision approving it (separation of duties)', async () => {
    expect((await planAct(qa, setId, 'edit', { content: planContent() })).status).toBe(200);
    await refused(t, () => planAct(qa, setId, 'approve', sign), 403, 'RISK_APPROVER_AUTHORED');
    expect((await planAct(eng, setId, 'edit', { content: planContent() })).status).toBe(200);
  });

  it('on a wrong password writes only the failed attempt; refuses a stale version', async () => {
    await refused(
      t,
      () => planAct(qa, setId, 'approve', { password: 'wrong-password' }),
      401,
      'INVALID_CREDENTIALS',
      1,
    );
    const v = (await qa.get(`/api/v1/risk-plans/${setId}`)).body.version;
    await refused(t, () => planAct(qa, setId, 'approve', { ...sign, version: v + 1 }), 409, 'STALE_VERSION');
  });

  it('approves at the version seen: revision 1 becomes the effective policy', async () => {
    const v = (await qa.get(`/api/v1/risk-plans/${setId}`)).body.version;
    const r = await planAct(qa, setId, 'approve', { ...sign, version: v });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'approved', revision: 1, draft: null, quantitative: true });
    expect(r.body.actions.map((a: any) => a.action)).toEqual(['edit']);
  });
});

describe('risk management file approval', () => {
  it('refuses the wrong role, an author of rows, a wrong password and a stale version, writing nothing', async () => {
    expect((await eng.post('/api/v1/risk-files', { itemId: setId })).status).toBe(201);
    const saved = await fileAct(eng, setId, 'save_row', {
      row: hazardRow({ initial: { severity: 1, p1: 1e-4, p2: 1e-3 } }),
    });
    expect(saved.status).toBe(200);
    expect(saved.body.hazards[0]).toMatchObject({ id: 'H-001', residualRisk: { zone: 'acceptable', probability: 2 } });
    const v = saved.body.version;
    expect((await qa.get(`/api/v1/risk-files/${setId}`)).body.actions.map((a: any) => a.action)).toContain('approve');
    expect((await eng.get(`/api/v1/risk-files/${setId}`)).body.actions.map((a: any) => a.action)).toEqual([
      'save_row',
      'save_fmea',
      'link_complaint',
    ]);
    await refused(t, () => fileAct(sup, setId, 'approve', { ...sign, ...evaluation }), 403, 'FORBIDDEN');
    await refused(t, () => fileAct(eng, setId, 'approve', { ...sign, ...evaluation }), 403, 'FORBIDDEN');
    await refused(
      t,
      () => fileAct(qa, setId, 'approve', { password: 'wrong-password', ...evaluation }),
      401,
      'INVALID_CREDENTIALS',
      1,
    );
    await refused(
      t,
      () => fileAct(qa, setId, 'approve', { ...sign, ...evaluation, version: v + 1 }),
      409,
      'STALE_VERSION',
    );
    // a QA manager who writes a row of the file may no longer approve it
    await fileAct(qa, setId, 'save_row', { row: hazardRow({ initial: { severity: 1, p1: 1e-4, p2: 1e-3 } }) });
    await refused(t, () => fileAct(qa, setId, 'approve', { ...sign, ...evaluation }), 403, 'RISK_APPROVER_AUTHORED');
    expect((await qa.get(`/api/v1/risk-files/${setId}`)).body.actions.map((a: any) => a.action)).not.toContain(
      'approve',
    );
  });

  it('approves a file written by someone else, binding clause 8 and 9 to the plan revision', async () => {
    const pump = { _id: otherId };
    expect((await eng.post('/api/v1/risk-plans', { itemId: pump._id, content: planContent() })).status).toBe(201);
    expect((await planAct(qa, pump._id, 'approve', sign)).status).toBe(200);
    await eng.post('/api/v1/risk-files', { itemId: pump._id });
    const row = await fileAct(eng, pump._id, 'save_row', {
      row: hazardRow({ initial: { severity: 2, p1: 1e-4, p2: 1e-3 } }),
    });
    const r = await fileAct(qa, pump._id, 'approve', { ...sign, ...evaluation, version: row.body.version });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: 'approved',
      approval: { by: { name: expect.any(String) }, planRevision: 1 },
      evaluation: { ...evaluation, planRevision: 1 },
    });
    expect(r.body.actions.map((a: any) => a.action)).toEqual(['link_complaint', 'reopen']);
    await refused(t, () => fileAct(eng, pump._id, 'save_row', { row: hazardRow() }), 409, 'RISK_WRONG_STATE');
  });
});

describe('risk controls name real design inputs of the device (ISO 13485:2016 7.3.3 c)', () => {
  it('refuses an unknown id, another device’s input and an element that is not an input, writing nothing', async () => {
    // the first device's file is still in draft (the file test above left its QA-written row)
    const need = await element(dev1.k, dev1.projectId, 'need', 'UN-01');
    const row = (designInputId: unknown) =>
      hazardRow({ controls: [{ kind: 'protective_measure', description: 'Air detector', designInputId }] });
    for (const id of ['no-such-input', dev2.inputId, need])
      await refused(t, () => fileAct(eng, setId, 'save_row', { row: row(id) }), 400, 'RISK_DESIGN_INPUT_UNKNOWN');
    await refused(t, () => fileAct(eng, setId, 'save_row', { row: row({ $ne: null }) }), 400, 'VALIDATION_FAILED');
    const ok = await fileAct(eng, setId, 'save_row', { row: row(dev1.inputId) });
    expect(ok.status).toBe(200);
    expect(ok.body.hazards.at(-1).controls[0].designInputId).toBe(dev1.inputId);
  });
});

describe('complaints linked to hazard rows (ISO 14971:2019 clause 10, post-production information)', () => {
  it('links a complaint of the device to a row of the approved file without touching its signed content', async () => {
    // otherId's file was approved above with one row H-001; a complaint naming the device itself (no lot)
    const body = (itemId: string) => ({ ...complaintBody('x'), lot: undefined, itemId });
    const mine = await eng.post('/api/v1/complaints', body(otherId));
    const foreign = await eng.post('/api/v1/complaints', body(setId));
    expect([mine.status, foreign.status]).toEqual([201, 201]);
    const before = (await qa.get(`/api/v1/risk-files/${otherId}`)).body;
    expect(before.status).toBe('approved');
    const link = (over: Record<string, unknown>, who: Client = eng) =>
      fileAct(who, otherId, 'link_complaint', {
        complaintId: mine.body.id,
        hazardRowId: 'H-001',
        reason: 'Reported symptom matches the harm of this row.',
        ...over,
      });
    // refusals: each a clear 4xx, nothing written
    await refused(t, () => link({ complaintId: 'no-such-complaint' }), 404, 'RISK_COMPLAINT_UNKNOWN');
    await refused(t, () => link({ hazardRowId: 'H-099' }), 404, 'RISK_ROW_UNKNOWN');
    await refused(t, () => link({ complaintId: foreign.body.id }), 409, 'RISK_COMPLAINT_OTHER_DEVICE');
    await refused(t, () => link({ reason: '' }), 400, 'VALIDATION_FAILED');
    await refused(t, () => link({ complaintId: { $ne: null } }), 400, 'VALIDATION_FAILED');
    await refused(t, () => link({}, sup), 403, 'FORBIDDEN');

    const ok = await link({});
    expect(ok.status).toBe(200);
    // the file stays approved on the same signature; the row itself is unchanged
    expect(ok.body).toMatchObject({ status: 'approved', approval: before.approval, evaluation: before.evaluation });
    const { complaints: linked, ...row } = ok.body.hazards[0];
    const { complaints: none, ...rowBefore } = before.hazards[0];
    expect(none).toEqual([]);
    expect(row).toEqual(rowBefore);
    expect(linked).toEqual([
      expect.objectContaining({
        complaintId: mine.body.id,
        number: mine.body.number,
        reason: 'Reported symptom matches the harm of this row.',
      }),
    ]);
    await refused(t, () => link({}), 409, 'RISK_COMPLAINT_ALREADY_LINKED');

    // the complaint's page names the hazard row; the row's post-production evidence lists the complaint
    const c = (await eng.get(`/api/v1/complaints/${mine.body.id}`)).body;
    expect(c.hazardLinks).toEqual([
      expect.objectContaining({ fileId: otherId, hazardRowId: 'H-001', hazard: row.hazard, harm: row.harm }),
    ]);
    expect((await eng.get(`/api/v1/complaints/${foreign.body.id}`)).body.hazardLinks).toEqual([]);
    const pp = (await qa.get(`/api/v1/risk-files/${otherId}/post-production`)).body;
    expect(pp.rows.find((r: any) => r.rowId === 'H-001').linkedComplaints).toEqual([
      expect.objectContaining({ complaintId: mine.body.id, number: mine.body.number }),
    ]);
  });
});
