import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { createUser } from '../../identity/userService.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { DEMO_USERS } from '../../../../seed/demo-users.ts';

// Reportability decisions and the reporting rules through HTTP on the real engine. Due dates are
// counted by hand (weekday beside each date); the rules are data: changing them changes the
// clock without code. Refusals write nothing (expectNothingWritten).
let srv: TestServer;
let qa: Client; // qa_manager: rules, decide, submit
let qae: Client; // qa_engineer: decide, submit
let admin: Client; // administrator: rules only
let operator: Client; // may read, may not decide
const sign = { password: DEMO_PASSWORD };
const noFacts = {
  death: false,
  seriousInjury: false,
  malfunction: false,
  unanticipatedDeterioration: false,
  publicHealthThreat: false,
  remedialAction: false,
  regulatorRequest: false,
  overseas: false,
  cluster: false,
};
const refused = async (
  f: () => Promise<{ status: number; body: any }>,
  status: number,
  code: string,
  allowUserEvents = 0,
) => {
  const mark = await markLedger(srv.services);
  const r = await f();
  expect([r.status, r.body?.error?.code]).toEqual([status, code]);
  await expectNothingWritten(srv.services, mark, { allowUserEvents });
};
let complaintSeq = 0;
async function open(jurisdiction: string, awareAt: string, facts: Partial<typeof noFacts>, c: Client = qa) {
  const r = await c.post('/api/v1/reporting/decisions', {
    complaintId: `CMP-TEST-${++complaintSeq}`,
    jurisdiction,
    awareAt,
    facts: { ...noFacts, ...facts },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}
const decide = (c: Client, id: string, body: Record<string, unknown>) =>
  c.post(`/api/v1/reporting/decisions/${id}/decide`, { ...sign, ...body });

beforeAll(async () => {
  srv = await startTestServer({ seed: false });
  await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    for (const u of DEMO_USERS) await createUser(srv.services, { ...u, password: DEMO_PASSWORD, temporary: false });
  });
  [qa, qae, admin, operator] = await Promise.all(
    ['qa.manager', 'qa.engineer', 'admin', 'operator'].map((u) => as(srv.url, u)),
  );
});
afterAll(async () => {
  await srv?.stop();
});

describe('reporting rules (data)', () => {
  it('ships the rules with their citations, as data an administrator may change', async () => {
    const r = await qa.get('/api/v1/reporting/rules');
    expect(r.status).toBe(200);
    const by = Object.fromEntries(r.body.map((j: any) => [j.jurisdiction, j]));
    const row = (j: string, code: string) => by[j].rules.find((x: any) => x.code === code);
    expect(row('US', 'mdr_30_day')).toMatchObject({ amount: 30, unit: 'calendar_days', citation: '21 CFR 803.50(a)' });
    expect(row('US', 'five_day')).toMatchObject({ amount: 5, unit: 'working_days', citation: '21 CFR 803.53' });
    expect(row('US', 'supplement')).toMatchObject({ amount: 30, unit: 'calendar_days', citation: '21 CFR 803.56' });
    expect(row('EU', 'serious_incident')).toMatchObject({ amount: 15, unit: 'calendar_days' });
    expect(row('EU', 'public_health_threat')).toMatchObject({ amount: 2, unit: 'calendar_days' });
    expect(row('EU', 'death_or_deterioration')).toMatchObject({ amount: 10, unit: 'calendar_days' });
    expect(row('CN', 'death')).toMatchObject({ amount: 7, unit: 'calendar_days' });
    expect(row('CN', 'serious_injury')).toMatchObject({ amount: 20, unit: 'calendar_days' });
    expect(row('CN', 'overseas')).toMatchObject({ amount: 30, unit: 'calendar_days' });
    expect(row('CN', 'cluster')).toMatchObject({ amount: 12, unit: 'hours' });
    expect(row('CN', 'cluster_individual')).toMatchObject({ amount: 24, unit: 'hours' });
    expect(by.US.actions.map((a: any) => a.action)).toEqual(['set_rule', 'remove_rule', 'set_calendar']);
    const asOperator = (await operator.get('/api/v1/reporting/rules/US')).body;
    expect(asOperator.actions).toEqual([]);
  });

  it('refuses a change by someone without reporting.rules, and malformed or injected input, writing nothing', async () => {
    const body = { reason: 'r', timeZone: 'America/New_York', weekend: [0, 6], holidays: [] };
    await refused(() => operator.put('/api/v1/reporting/rules/US/calendar', body), 403, 'FORBIDDEN');
    await refused(() => qae.put('/api/v1/reporting/rules/US/calendar', body), 403, 'FORBIDDEN');
    await refused(
      () => admin.put('/api/v1/reporting/rules/US/calendar', { ...body, holidays: ['2026-02-30'] }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      () =>
        admin.put('/api/v1/reporting/rules/US/calendar', {
          ...body,
          holidays: ['2026-02-14'],
          workdays: ['2026-02-14'],
        }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      () => admin.put('/api/v1/reporting/rules/US/calendar', { ...body, timeZone: 'Mars/Olympus' }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      () => admin.put('/api/v1/reporting/rules/US/calendar', { ...body, timeZone: { $ne: null } }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      () =>
        admin.put('/api/v1/reporting/rules/US/rows/five_day', {
          reason: 'r',
          label: { en: 'x', zh: 'x' },
          amount: 1e9,
          unit: 'working_days',
          citation: 'x',
        }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('a holiday added to a shipped jurisdiction moves its working-day clock (no code)', async () => {
    // 803.53, aware Fri 2026-10-30 14:00 New York: Mon 2 … Fri 2026-11-06
    const before = await open('US', '2026-10-30T18:00:00Z', { remedialAction: true });
    const d1 = (await decide(qa, before.id, { reportable: true, rationale: 'remedial action under way' })).body;
    expect(d1).toMatchObject({ status: 'reportable', dueDate: '2026-11-06', decision: { rule: { code: 'five_day' } } });

    const us = (await admin.get('/api/v1/reporting/rules/US')).body;
    expect(us.version).toBe(0); // the shipped defaults, not yet on the ledger
    const changed = await admin.put('/api/v1/reporting/rules/US/calendar', {
      version: 0,
      reason: 'company closure day',
      timeZone: us.timeZone,
      weekend: us.weekend,
      holidays: [...us.holidays, '2026-11-03'],
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, recorded: true });
    expect(changed.body.holidays).toContain('2026-11-03');

    // Mon 2 (1), Tue 3 holiday, Wed 4 (2), Thu 5 (3), Fri 6 (4), Mon 9 (5)
    const after = await open('US', '2026-10-30T18:00:00Z', { remedialAction: true });
    const d2 = (await decide(qa, after.id, { reportable: true, rationale: 'remedial action under way' })).body;
    expect(d2.dueDate).toBe('2026-11-09');
    expect(d2.decision.rulesVersion).toBe(2);
    // a decision already made keeps the due date it was made with
    expect((await qa.get(`/api/v1/reporting/decisions/${before.id}`)).body.dueDate).toBe('2026-11-06');
  });

  it('an administrator adds a country and changes a row; the next decision runs on the new data', async () => {
    const country = {
      jurisdiction: 'ZZ',
      name: { en: 'Test country', zh: '测试国家' },
      timeZone: 'Asia/Tokyo',
      weekend: [0, 6],
      rules: [
        {
          code: 'serious',
          label: { en: 'Serious', zh: '严重' },
          amount: 5,
          unit: 'working_days',
          citation: 'test regulation §1',
          when: ['seriousInjury'],
        },
      ],
    };
    const added = await admin.post('/api/v1/reporting/rules', country);
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    await refused(() => admin.post('/api/v1/reporting/rules', country), 409, 'DUPLICATE');
    await refused(() => admin.post('/api/v1/reporting/rules', { ...country, jurisdiction: 'US' }), 409, 'DUPLICATE');
    // aware Fri 2026-11-06 14:00 Tokyo → Mon 9 … Fri 2026-11-13
    const a = await open('ZZ', '2026-11-06T05:00:00Z', { seriousInjury: true });
    expect((await decide(qae, a.id, { reportable: true, rationale: 'serious injury' })).body.dueDate).toBe(
      '2026-11-13',
    );
    const row = await qa.put('/api/v1/reporting/rules/ZZ/rows/serious', {
      version: 1,
      reason: 'regulation amended',
      label: { en: 'Serious', zh: '严重' },
      amount: 10,
      unit: 'calendar_days',
      citation: 'test regulation §1 (amended)',
      when: ['seriousInjury'],
    });
    expect(row.status, JSON.stringify(row.body)).toBe(200);
    await refused(
      () =>
        qa.put('/api/v1/reporting/rules/ZZ/calendar', {
          version: 1,
          reason: 'x',
          timeZone: 'Asia/Tokyo',
          weekend: [],
          holidays: [],
        }),
      409,
      'STALE_VERSION',
    );
    // 10 calendar days from Fri 2026-11-06 → Mon 2026-11-16
    const b = await open('ZZ', '2026-11-06T05:00:00Z', { seriousInjury: true });
    expect((await decide(qae, b.id, { reportable: true, rationale: 'serious injury' })).body.dueDate).toBe(
      '2026-11-16',
    );
  });
});

describe('reportability decisions', () => {
  it('opening: only those who decide, one per complaint and jurisdiction, no future awareness, no injected input', async () => {
    const body = { complaintId: 'CMP-OPEN-1', jurisdiction: 'CN', awareAt: '2026-11-06T02:00:00Z', facts: noFacts };
    await refused(() => operator.post('/api/v1/reporting/decisions', body), 403, 'FORBIDDEN');
    await refused(
      () => qa.post('/api/v1/reporting/decisions', { ...body, complaintId: { $ne: null } }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      () => qa.post('/api/v1/reporting/decisions', { ...body, facts: { death: { $ne: null } } }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(() => qa.post('/api/v1/reporting/decisions', { ...body, jurisdiction: 'XX' }), 404, 'NOT_FOUND');
    await refused(
      () =>
        qa.post('/api/v1/reporting/decisions', { ...body, awareAt: new Date(Date.now() + 86_400_000).toISOString() }),
      422,
      'AWARENESS_IN_FUTURE',
    );
    expect((await qa.post('/api/v1/reporting/decisions', body)).status).toBe(201);
    await refused(() => qa.post('/api/v1/reporting/decisions', body), 409, 'DUPLICATE');
    expect((await qa.get('/api/v1/reporting/decisions?complaintId[$ne]=x')).status).toBe(400);
  });

  it('offers "decide" (signed "approved") to those who decide and to nobody else', async () => {
    const d = await open('CN', '2026-11-06T02:00:00Z', { death: true });
    const own = (await qa.get(`/api/v1/reporting/decisions/${d.id}`)).body;
    expect(own.actions).toEqual([
      { action: 'decide', signature: 'approved', needsReason: false, needsDate: false, needsValues: true, scope: null },
    ]);
    expect((await operator.get(`/api/v1/reporting/decisions/${d.id}`)).body.actions).toEqual([]);
    expect((await admin.get(`/api/v1/reporting/decisions/${d.id}`)).status).toBe(200);
  });

  it('refuses the wrong role, a wrong password (only the failed attempt written), a stale version, writing nothing', async () => {
    const d = await open('CN', '2026-11-06T02:00:00Z', { death: true });
    const yes = { reportable: true, rationale: 'patient died' };
    await refused(() => decide(operator, d.id, yes), 403, 'FORBIDDEN');
    await refused(() => decide(admin, d.id, yes), 403, 'FORBIDDEN');
    await refused(() => decide(qa, d.id, { ...yes, password: 'not-my-password' }), 401, 'INVALID_CREDENTIALS', 1);
    await refused(() => decide(qa, d.id, { ...yes, version: d.version + 1 }), 409, 'STALE_VERSION');
    await refused(() => decide(qa, d.id, { ...yes, rule: 'no_such_rule' }), 422, 'REPORTING_RULE_NOT_FOUND');
    await refused(() => decide(qa, d.id, { ...yes, rationale: '' }), 400, 'VALIDATION_FAILED');
    // NMPA Art. 25: death, 7 日 from Fri 2026-11-06 (10:00 Beijing) → Fri 2026-11-13
    const r = await decide(qa, d.id, { ...yes, version: d.version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      status: 'reportable',
      dueDate: '2026-11-13',
      overdue: true,
      decision: {
        reportable: true,
        rationale: 'patient died',
        rule: { code: 'death', amount: 7, unit: 'calendar_days' },
        by: { name: expect.any(String) },
      },
    });
    expect(r.body.decision.rule.citation).toContain('第二十五条');
    expect(r.body.decision.signatureId).toEqual(expect.any(String));
    await refused(() => decide(qae, d.id, yes), 409, 'REPORTABILITY_DECIDED');
  });

  it('a yes whose facts match no rule must name one; a no stops no clock and keeps its rationale', async () => {
    const d = await open('EU', '2026-11-06T08:00:00Z', { malfunction: true });
    await refused(() => decide(qa, d.id, { reportable: true, rationale: 'x' }), 422, 'REPORTING_RULE_REQUIRED');
    // EU MDR Art. 87(3): 15 days from Fri 2026-11-06 → Sat 2026-11-21 (not moved off the weekend)
    const named = await decide(qa, d.id, { reportable: true, rationale: 'serious incident', rule: 'serious_incident' });
    expect(named.body).toMatchObject({ dueDate: '2026-11-21', decision: { rule: { code: 'serious_incident' } } });
    const no = await open('EU', '2026-11-06T08:00:00Z', {});
    const r = await decide(qae, no.id, { reportable: false, rationale: 'no injury, device within specification' });
    expect(r.body).toMatchObject({
      status: 'not_reportable',
      dueDate: null,
      daysRemaining: null,
      overdue: false,
      decision: { reportable: false, rationale: 'no injury, device within specification', rule: null },
      actions: [],
    });
  });

  it('days remaining are live: a 20-day clock started now shows 20, an hour clock its hours', async () => {
    const now = new Date(Date.now() - 1000).toISOString();
    const d = await open('CN', now, { seriousInjury: true });
    const r = (await decide(qa, d.id, { reportable: true, rationale: 'serious injury' })).body;
    expect(r).toMatchObject({ daysRemaining: 20, overdue: false, decision: { rule: { code: 'serious_injury' } } });
    const cluster = await open('CN', now, { cluster: true });
    const c = (await decide(qa, cluster.id, { reportable: true, rationale: 'three patients' })).body;
    expect(c).toMatchObject({
      overdue: false,
      hoursRemaining: 11,
      decision: { rule: { code: 'cluster', unit: 'hours' } },
    });
  });

  it('records the submission (date, reference) on the ledger; refuses it from the wrong role, before awareness, or twice', async () => {
    const d = await open('CN', '2026-11-06T02:00:00Z', { seriousInjury: true });
    const decided = (await decide(qa, d.id, { reportable: true, rationale: 'serious injury' })).body;
    expect(decided.actions.map((a: any) => a.action)).toEqual(['record_submission']);
    const sub = { submittedOn: '2026-11-20', reference: 'NMPA-2026-000123' };
    await refused(() => operator.post(`/api/v1/reporting/decisions/${d.id}/submission`, sub), 403, 'FORBIDDEN');
    await refused(
      () => qa.post(`/api/v1/reporting/decisions/${d.id}/submission`, { ...sub, submittedOn: '2026-11-05' }),
      422,
      'SUBMISSION_DATE_INVALID',
    );
    await refused(
      () => qa.post(`/api/v1/reporting/decisions/${d.id}/submission`, { ...sub, version: decided.version + 1 }),
      409,
      'STALE_VERSION',
    );
    const r = await qae.post(`/api/v1/reporting/decisions/${d.id}/submission`, { ...sub, version: decided.version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // 20 日 from Fri 2026-11-06 → Thu 2026-11-26; submitted on the 20th: on time
    expect(r.body).toMatchObject({
      status: 'submitted',
      dueDate: '2026-11-26',
      late: false,
      overdue: false,
      submission: { submittedOn: '2026-11-20', reference: 'NMPA-2026-000123' },
    });
    await refused(() => qa.post(`/api/v1/reporting/decisions/${d.id}/submission`, sub), 409, 'REPORT_NOT_AWAITED');
    const trail = await srv.services.ledger.read(`reportability:${d.id}`);
    expect(trail.map((e) => e.type)).toEqual([
      'reportability.opened',
      'reportability.decided',
      'signature.applied',
      'reportability.submitted',
    ]);
    expect(trail.at(-1)!.data).toEqual(sub);
  });

  it('803.56: a supplement runs 30 days from the new information, only after the report was submitted', async () => {
    // 803.50(a): aware Mon 2026-11-02 (10:00 New York) → 30 calendar days → Wed 2026-12-02
    const d = await open('US', '2026-11-02T15:00:00Z', { death: true });
    const decided = (await decide(qa, d.id, { reportable: true, rationale: 'patient died' })).body;
    expect(decided).toMatchObject({ dueDate: '2026-12-02', decision: { rule: { code: 'mdr_30_day' } } });
    const supplement = {
      complaintId: d.complaintId,
      jurisdiction: 'US',
      awareAt: '2026-11-27T15:00:00Z',
      facts: noFacts,
      supplementOf: d.id,
    };
    await refused(() => qa.post('/api/v1/reporting/decisions', supplement), 409, 'SUPPLEMENT_NEEDS_SUBMITTED_REPORT');
    await qa.post(`/api/v1/reporting/decisions/${d.id}/submission`, {
      submittedOn: '2026-11-25',
      reference: 'MDR-2026-0001',
    });
    await refused(
      () => qa.post('/api/v1/reporting/decisions', { ...supplement, jurisdiction: 'CN' }),
      409,
      'SUPPLEMENT_NEEDS_SUBMITTED_REPORT',
    );
    const opened = await qa.post('/api/v1/reporting/decisions', supplement);
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({ supplementOf: d.id, facts: { newInformation: true } });
    // new information Fri 2026-11-27: Nov 28 is day 1, Nov 30 day 3, Dec 27 day 30
    const r = (await decide(qa, opened.body.id, { reportable: true, rationale: 'device analysis results' })).body;
    expect(r).toMatchObject({
      dueDate: '2026-12-27',
      decision: { rule: { code: 'supplement', citation: '21 CFR 803.56' } },
    });
  });

  it('puts due and overdue reports in the inbox of those who submit them, most urgent first', async () => {
    const tasks = (await qa.get('/api/v1/tasks')).body;
    const reports = (Array.isArray(tasks) ? tasks : tasks.tasks).filter((t: any) => t.kind === 'report');
    expect(reports.length).toBeGreaterThan(0);
    const dues = reports.map((t: any) => t.due);
    expect(dues).toEqual([...dues].sort());
    expect(reports.some((t: any) => t.revision === 'overdue')).toBe(true);
    const opTasks = (await operator.get('/api/v1/tasks')).body;
    expect((Array.isArray(opTasks) ? opTasks : opTasks.tasks).filter((t: any) => t.kind === 'report')).toEqual([]);
  });
});
