import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { exportedPdfText, flat } from '../../../test/pdfExport.ts';
import { usersCollection } from '../../identity/userService.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { complaintBody, releasedProducedLot } from '../complaints/complaints.factory.ts';

// Management review (ISO 13485:2016 5.6) through HTTP on the seeded demo company: its inputs
// (5.6.2 a–l) follow the records created in the test, are frozen when the meeting is recorded,
// and the sealed PDF carries the 12 input headings; recording and approving are refused for the
// wrong role, the recorder approving (separation of duties), a wrong password, a stale version,
// dates out of order and injected operators, each writing nothing at all.
let t: TestServer;
let qaE: Client, qaM: Client, sup: Client, op: Client;
const id = { qaE: '', qaM: '', sup: '' };
let dir = '';
let review = '';
const today = todayUtc();
const sign = { password: DEMO_PASSWORD };
type Res = { status: number; body: any };
const refused = async (f: () => Promise<Res>, status: number, code: string, users = 0) => {
  const mark = await markLedger(t.services);
  const r = await f();
  expect([r.status, r.body?.error?.code], JSON.stringify(r.body)).toEqual([status, code]);
  await expectNothingWritten(t.services, mark, { allowUserEvents: users });
};
const ok = (r: Res, what: string) => {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};
const act = (c: Client, r: string, action: string, body: object) =>
  c.post(`/api/v1/management-reviews/${r}/actions/${action}`, body);
const names = (r: Res) => [...new Set(r.body.actions.map((a: { action: string }) => a.action))].sort();
/** The figures of a review's inputs by "<key>:<English label>". */
const figures = (inputs: Array<{ key: string; figures: Array<{ label: { en: string }; value: number }> }>) =>
  Object.fromEntries(inputs.flatMap((i) => i.figures.map((f) => [`${i.key}:${f.label.en}`, f.value])));
const period = { periodFrom: addDays(today, -30), periodTo: today, plannedDate: today };
const meeting = () => ({
  date: today,
  attendees: [id.qaM, id.sup],
  discussion: 'Inputs reviewed item by item',
  decisions: [{ output: 'qms_improvement', text: 'Strengthen MRB release control' }],
  actions: [
    { description: 'Retrain line leads on NC holds', output: 'resources', owner: id.sup, due: addDays(today, 30) },
  ],
});

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qaE, qaM, sup, op] = await Promise.all(
    ['qa.engineer', 'qa.manager', 'prod.supervisor', 'operator'].map((u) => as(t.url, u)),
  );
  for (const [k, u] of [
    ['qaE', 'qa.engineer'],
    ['qaM', 'qa.manager'],
    ['sup', 'prod.supervisor'],
  ] as const)
    id[k] = (await usersCollection(t.services).findOne({ username: u }))!._id;
  dir = mkdtempSync(path.join(tmpdir(), 'provenant-review-'));
}, 180_000);
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('management review inputs (ISO 13485:2016 5.6.2)', () => {
  it('refuses a period out of order and injected operators, writing nothing', async () => {
    await refused(
      () => qaE.post('/api/v1/management-reviews', { ...period, periodFrom: addDays(today, 1) }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      () => qaE.post('/api/v1/management-reviews', { ...period, title: { $ne: null } }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(() => op.post('/api/v1/management-reviews', { ...period, title: 'x' }), 403, 'FORBIDDEN');
  });

  it('counts exactly the records created in the period, and freezes them at the meeting', async () => {
    review = ok(await qaE.post('/api/v1/management-reviews', { ...period, title: 'Management review Q4' }), 'plan').id;
    const before = figures(ok(await qaE.get(`/api/v1/management-reviews/${review}`), 'get').inputs);
    // one complaint, one CAPA opened by hand, one internal audit with a major finding (its CAPA) and an observation
    const { lot } = await releasedProducedLot(t);
    ok(
      await qaE.post('/api/v1/complaints', complaintBody(lot.lotNumber, { receivedDate: today, awarenessDate: today })),
      'complaint',
    );
    ok(
      await qaE.post('/api/v1/capas', {
        title: 'Trend of leaks',
        source: { type: 'management_review', id: review },
        problem: 'Leak complaints trend up',
        owner: id.qaE,
        due: addDays(today, 60),
      }),
      'capa',
    );
    const audit = ok(
      await qaE.post('/api/v1/audits', {
        kind: 'internal',
        title: 'NC handling',
        scope: 'MRB',
        clauses: ['8.3.1'],
        auditees: [id.sup],
        auditors: [id.qaE],
        lead: id.qaE,
        start: today,
        end: today,
      }),
      'audit',
    ).id;
    for (const f of [{ grade: 'major', capaOwner: id.sup, capaDue: addDays(today, 30) }, { grade: 'observation' }])
      ok(
        await qaE.post(`/api/v1/audits/${audit}/actions/add_finding`, {
          clause: '8.3.1',
          statement: 'Lot released before MRB disposition',
          evidence: 'NC records',
          ...f,
        }),
        f.grade,
      );
    const live = ok(await qaE.get(`/api/v1/management-reviews/${review}`), 'get');
    expect(live.inputsLive).toBe(true);
    expect(live.inputs.map((i: { key: string }) => i.key)).toEqual([...'abcdefghijkl']);
    const after = figures(live.inputs);
    const delta = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]]));
    expect(delta).toMatchObject({
      'a:Complaints received': 1,
      'b:Complaints received in the period': 1,
      'b:Complaints open now': 1,
      'd:Audits in the period': 1,
      'd:Major findings': 1,
      'd:Minor findings': 0,
      'd:Observations': 1,
      'g:CAPAs opened': 2, // the one opened by hand and the major finding's
      'g:CAPAs running now': 2,
      'h:Preventive actions opened (from trends)': 0,
      'k:Audit observations (opportunities for improvement)': 1,
    });

    const recorded = ok(await act(qaE, review, 'record_meeting', meeting()), 'record');
    expect(recorded).toMatchObject({ state: 'recorded', inputsLive: false });
    expect(figures(recorded.inputs)).toEqual(after);
    // a CAPA opened after the meeting changes nothing in the record
    ok(
      await qaE.post('/api/v1/capas', {
        title: 'Later',
        source: { type: 'management_review', id: review },
        problem: 'After the meeting',
        owner: id.qaE,
        due: addDays(today, 60),
      }),
      'capa',
    );
    expect(figures(ok(await qaE.get(`/api/v1/management-reviews/${review}`), 'get').inputs)).toEqual(after);
  });
});

describe('management review commands', () => {
  it('refuses a meeting before the period, in the future, with unknown or injected attendees, writing nothing', async () => {
    const r = ok(await qaE.post('/api/v1/management-reviews', { ...period, title: 'Second' }), 'plan').id;
    await refused(
      () => act(qaE, r, 'record_meeting', { ...meeting(), date: addDays(today, -31) }),
      409,
      'REVIEW_MEETING_DATE',
    );
    await refused(
      () => act(qaE, r, 'record_meeting', { ...meeting(), date: addDays(today, 1) }),
      409,
      'REVIEW_MEETING_DATE',
    );
    await refused(
      () => act(qaE, r, 'record_meeting', { ...meeting(), attendees: ['nobody'] }),
      409,
      'REVIEW_PERSON_INACTIVE',
    );
    await refused(
      () => act(qaE, r, 'record_meeting', { ...meeting(), attendees: [{ $ne: null }] }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      () =>
        act(qaE, r, 'record_meeting', {
          ...meeting(),
          actions: [{ description: 'x', output: 'resources', owner: id.sup, due: addDays(today, -1) }],
        }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(() => act(op, r, 'record_meeting', meeting()), 403, 'FORBIDDEN');
    await refused(() => act(sup, r, 'record_meeting', meeting()), 403, 'FORBIDDEN');
    // the recorder cannot approve (separation of duties)
    ok(await act(qaM, r, 'record_meeting', meeting()), 'record');
    await refused(() => act(qaM, r, 'approve', sign), 409, 'REVIEW_RECORDER_CANNOT_APPROVE');
  });

  it('offers the approval to top management who did not record it, and to nobody else', async () => {
    expect(names(await qaM.get(`/api/v1/management-reviews/${review}`))).toEqual(['approve']);
    expect(names(await qaE.get(`/api/v1/management-reviews/${review}`))).toEqual([]);
    expect(names(await sup.get(`/api/v1/management-reviews/${review}`))).toEqual(['complete_action']);
  });

  it('refuses the wrong role, a wrong password and a stale version, writing nothing; approves by signature', async () => {
    await refused(() => act(qaE, review, 'approve', sign), 403, 'FORBIDDEN');
    await refused(() => act(op, review, 'approve', sign), 403, 'FORBIDDEN');
    await refused(() => act(qaM, review, 'approve', { password: 'not-my-password' }), 401, 'INVALID_CREDENTIALS', 1);
    await refused(() => act(qaM, review, 'approve', { ...sign, version: 1 }), 409, 'STALE_VERSION');
    const a = ok(await act(qaM, review, 'approve', sign), 'approve');
    expect(a).toMatchObject({ state: 'approved', approval: { byId: id.qaM } });
  });

  it("puts the action in its owner's inbox; the owner completes it; the next review counts previous actions (5.6.2 i)", async () => {
    expect(JSON.stringify((await sup.get('/api/v1/tasks')).body)).toContain(`review_action.${review}.A1`);
    await refused(
      () => act(qaE, review, 'complete_action', { actionId: 'A1', evidence: 'x' }),
      403,
      'REVIEW_NOT_ACTION_OWNER',
    );
    ok(await act(sup, review, 'complete_action', { actionId: 'A1', evidence: 'Training records TR-12' }), 'complete');
    const next = ok(await qaE.post('/api/v1/management-reviews', { ...period, title: 'Next' }), 'plan');
    // two earlier reviews recorded here with one action each (the first one's done), plus the demo
    // company's approved review (seed/history.ts) with its one action still open
    expect(figures(next.inputs)).toMatchObject({
      'i:Actions from previous reviews': 3,
      'i:of which still open': 2,
    });
  });

  it('exports the review as a sealed PDF with the 12 inputs of ISO 13485:2016 5.6.2', async () => {
    const text = flat(await exportedPdfText(t, qaM, { kind: 'management-review', id: review, locale: 'en-US' }, dir));
    for (const h of [
      'a) Feedback',
      'b) Complaint handling',
      'c) Reporting to regulatory authorities',
      'd) Audits',
      'e) Monitoring and measurement of processes',
      'f) Monitoring and measurement of product',
      'g) Corrective action',
      'h) Preventive action',
      'i) Follow-up actions from previous management reviews',
      'j) Changes that could affect the quality management system',
      'k) Recommendations for improvement',
      'l) Applicable new or revised regulatory requirements',
    ])
      expect(text).toContain(h);
    expect(text).toContain('Strengthen MRB release control');
  });
});
