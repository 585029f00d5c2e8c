import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { exportedPdfText, flat } from '../../../test/pdfExport.ts';
import { usersCollection } from '../../identity/userService.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { SUPPLIERS } from '../suppliers/supplier.record.ts';
import { CAPAS } from '../capa/capa.record.ts';

// Audits on the one command path (audit.lifecycle.ts), through HTTP on the seeded demo company:
// the plan refuses an auditor who is among the auditees (ISO 13485:2016 8.2.4 "auditors shall not
// audit their own work"), clause numbers that are not ISO 13485:2016 clauses, dates out of order,
// an unknown supplier and injected operators; a major finding opens a CAPA (source: the finding)
// found back from the audit; the report is approved by signature — refused for the wrong role,
// for one of the auditors (separation of duties), for a wrong password and a stale version, each
// writing nothing at all.
let t: TestServer;
let qaE: Client, qaM: Client, sup: Client, op: Client;
const id = { qaE: '', qaM: '', sup: '' };
let programme = '';
let audit = '';
let dir = '';
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
const act = (c: Client, a: string, action: string, body: object) =>
  c.post(`/api/v1/audits/${a}/actions/${action}`, body);
const names = (r: Res) => [...new Set(r.body.actions.map((a: { action: string }) => a.action))].sort();
const plan = (over: Record<string, unknown> = {}) => ({
  kind: 'internal',
  programmeId: programme,
  title: 'Production and nonconforming product',
  scope: 'Assembly line 1, NC handling',
  clauses: ['7.5.1', '8.3.1'],
  processes: ['Production', 'Control of nonconforming product'],
  auditees: [id.sup],
  auditors: [id.qaE],
  lead: id.qaE,
  start: today,
  end: addDays(today, 1),
  criteria: 'ISO 13485:2016; SOP-PRD-001',
  agenda: [
    { date: today, time: '09:00', topic: 'Opening meeting', clauses: [], auditee: '' },
    { date: addDays(today, 1), time: '10:30', topic: 'NC records at MRB', clauses: ['8.3.1'], auditee: 'MRB' },
  ],
  ...over,
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
  dir = mkdtempSync(path.join(tmpdir(), 'provenant-audit-'));
}, 180_000);
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('audit programme', () => {
  it('shows the second-level clauses of ISO 13485:2016 the cycle leaves out', async () => {
    const year = Number(today.slice(0, 4));
    const p = ok(
      await qaE.post('/api/v1/audit-programmes', {
        title: 'Internal audit programme',
        fromYear: year,
        toYear: year + 2,
        entries: [
          { year, clauses: ['7.5.1', '8.3.1'], processes: ['Production'] },
          { year: year + 1, clauses: ['4.2.4', '4.2.5'], processes: ['Document control'] },
        ],
      }),
      'programme',
    );
    programme = p.id;
    // sections 4 to 8 of ISO 13485:2016 have 23 clauses at the second level (4.1 … 8.5)
    expect(p.coverage.clauses).toHaveLength(23);
    expect(p.coverage.notPlanned).toHaveLength(20);
    expect(p.coverage.notPlanned).not.toContain('7.5');
    expect(p.coverage.notPlanned).toContain('7.3');
    expect(p.coverage.notAudited).toHaveLength(23);
    await refused(
      () =>
        qaE.post('/api/v1/audit-programmes', {
          title: 'x',
          fromYear: year,
          toYear: year - 1,
          entries: [{ year, clauses: ['7.5.1'] }],
        }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('planning an audit', () => {
  it('refuses an auditor who audits their own work, writing nothing (ISO 13485:2016 8.2.4)', async () => {
    await refused(
      () => qaE.post('/api/v1/audits', plan({ auditors: [id.qaE, id.sup], auditees: [id.sup] })),
      409,
      'AUDITOR_NOT_INDEPENDENT',
    );
    await refused(
      () => qaE.post('/api/v1/audits', plan({ auditors: [id.sup], lead: id.sup })),
      409,
      'AUDITOR_NOT_INDEPENDENT',
    );
  });

  it('refuses an auditor whose roles cannot conduct audits (no audits.manage), at the field, writing nothing', async () => {
    // the production supervisor is independent of the audited area here but may not record audits
    const mark = await markLedger(t.services);
    const r = await qaE.post('/api/v1/audits', plan({ auditors: [id.qaE, id.sup], auditees: [id.qaM], lead: id.qaE }));
    expect([r.status, r.body?.error?.code, r.body?.error?.details?.[0]?.path]).toEqual([
      400,
      'VALIDATION_FAILED',
      'body.auditors',
    ]);
    await expectNothingWritten(t.services, mark);
  });

  it('refuses bad clause ids, dates out of order, unknown suppliers and injected operators, writing nothing', async () => {
    for (const clauses of [['9.1'], ['7.5.12'], ['7.5.1', '7.5.1'], [], [{ $ne: null }]])
      await refused(() => qaE.post('/api/v1/audits', plan({ clauses })), 400, 'VALIDATION_FAILED');
    await refused(
      () => qaE.post('/api/v1/audits', plan({ start: today, end: addDays(today, -1) })),
      400,
      'VALIDATION_FAILED',
    );
    // the agenda of the audit plan (ISO 19011:2018 6.3.2) falls on the audit's days, at HH:MM
    const item = { date: addDays(today, 2), time: '09:00', topic: 'Closing meeting' };
    await refused(() => qaE.post('/api/v1/audits', plan({ agenda: [item] })), 400, 'VALIDATION_FAILED');
    await refused(
      () => qaE.post('/api/v1/audits', plan({ agenda: [{ ...item, date: today, time: '25:00' }] })),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      () => qaE.post('/api/v1/audits', plan({ agenda: [{ ...item, date: today, clauses: ['9.9'] }] })),
      400,
      'VALIDATION_FAILED',
    );
    await refused(() => qaE.post('/api/v1/audits', plan({ lead: { $ne: null } })), 400, 'VALIDATION_FAILED');
    await refused(() => qaE.post('/api/v1/audits', plan({ auditors: [{ $ne: null }] })), 400, 'VALIDATION_FAILED');
    await refused(() => qaE.post('/api/v1/audits', plan({ kind: 'supplier' })), 400, 'VALIDATION_FAILED');
    await refused(
      () => qaE.post('/api/v1/audits', plan({ kind: 'supplier', supplier: 'SUP-NOBODY' })),
      404,
      'NOT_FOUND',
    );
    await refused(() => qaE.post('/api/v1/audits', plan({ auditees: ['no-such-user'] })), 409, 'AUDIT_PERSON_INACTIVE');
    await refused(() => op.post('/api/v1/audits', plan()), 403, 'FORBIDDEN');
    await refused(() => qaE.get('/api/v1/audits?state[$ne]=x'), 400, 'VALIDATION_FAILED');
  });

  it('plans a supplier audit of a supplier that exists', async () => {
    const s = (await t.services.db.collection(SUPPLIERS).findOne({}))!;
    const a = ok(
      await qaE.post('/api/v1/audits', plan({ kind: 'supplier', supplier: s._id, programmeId: undefined })),
      'supplier audit',
    );
    expect(a).toMatchObject({ kind: 'supplier', supplier: { code: s._id }, state: 'open' });
  });
});

describe('audit commands', () => {
  it('offers the checklist and findings to its auditors only', async () => {
    const planned = ok(await qaE.post('/api/v1/audits', plan()), 'audit');
    audit = planned.id;
    expect(planned).toMatchObject({
      criteria: 'ISO 13485:2016; SOP-PRD-001',
      agenda: [{ topic: 'Opening meeting' }, { topic: 'NC records at MRB', clauses: ['8.3.1'], time: '10:30' }],
    });
    const mine = await qaE.get(`/api/v1/audits/${audit}`);
    expect(names(mine)).toEqual(expect.arrayContaining(['add_finding', 'check']));
    expect((await op.get(`/api/v1/audits/${audit}`)).status).toBe(403); // no audits.read
    expect(names(await sup.get(`/api/v1/audits/${audit}`))).toEqual([]);
  });

  it('refuses a clause outside the plan, a non-auditor and injected operators, writing nothing', async () => {
    const check = { clause: '8.2.4', result: 'conforming', evidence: 'Records sampled' };
    await refused(() => act(qaE, audit, 'check', check), 409, 'AUDIT_CLAUSE_NOT_IN_PLAN');
    await refused(() => act(qaE, audit, 'check', { ...check, clause: '12.1' }), 400, 'VALIDATION_FAILED');
    await refused(() => act(qaE, audit, 'check', { ...check, clause: { $ne: null } }), 400, 'VALIDATION_FAILED');
    await refused(() => act(qaM, audit, 'check', { ...check, clause: '7.5.1' }), 403, 'AUDIT_NOT_AUDITOR');
    await refused(() => act(op, audit, 'check', { ...check, clause: '7.5.1' }), 403, 'FORBIDDEN');
    await refused(
      () => act(qaE, audit, 'add_finding', { clause: '8.3.1', grade: 'major', statement: 'x', evidence: 'y' }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('a major finding opens a CAPA through the CAPA module, linked both ways; an observation does not', async () => {
    const a = ok(
      await act(qaE, audit, 'add_finding', {
        clause: '8.3.1',
        grade: 'major',
        statement: 'Nonconforming lots released without MRB disposition',
        evidence: 'NC-2026-0003: lot released before disposition',
        capaOwner: id.sup,
        capaDue: addDays(today, 30),
      }),
      'major finding',
    );
    const capa = (await t.services.db.collection(CAPAS).findOne({ 'source.id': `${audit}.F1` }))!;
    expect(capa).toMatchObject({
      source: { type: 'audit_finding', id: `${audit}.F1` },
      owner: { id: id.sup },
      state: 'evaluation',
    });
    expect(a.findings[0]).toMatchObject({ id: 'F1', grade: 'major', capa: { id: capa._id, number: capa.number } });
    const obs = ok(
      await act(qaE, audit, 'add_finding', {
        clause: '7.5.1',
        grade: 'observation',
        statement: 'Work instruction copies at the line are worn',
        evidence: 'Station 3',
      }),
      'observation',
    );
    expect(obs.findings[1]).toMatchObject({ id: 'F2', grade: 'observation', capa: null });
    expect(await t.services.db.collection(CAPAS).countDocuments({ 'source.id': `${audit}.F2` })).toBe(0);
  });

  it('refuses the report before every planned clause is checked, writing nothing', async () => {
    await refused(
      () => act(qaE, audit, 'submit_report', { summary: 'One major finding' }),
      409,
      'AUDIT_CHECKLIST_INCOMPLETE',
    );
    for (const [clause, result] of [
      ['7.5.1', 'conforming'],
      ['8.3.1', 'nonconforming'],
    ])
      ok(
        await act(qaE, audit, 'check', {
          clause,
          result,
          question: `Is ${clause} met?`,
          evidence: 'Sampled 5 records',
        }),
        clause,
      );
    const got = ok(await qaE.get(`/api/v1/audits/${audit}`), 'audit');
    expect(got.checklist[1]).toMatchObject({
      clause: '8.3.1',
      question: 'Is 8.3.1 met?',
      result: 'nonconforming',
    });
    const r = ok(await act(qaE, audit, 'submit_report', { summary: 'One major finding, one observation' }), 'report');
    expect(r.state).toBe('reported');
  });

  it('offers the report approval to an approver who did not audit, and to nobody else', async () => {
    expect(names(await qaM.get(`/api/v1/audits/${audit}`))).toEqual(['approve_report']);
    expect(names(await qaE.get(`/api/v1/audits/${audit}`))).toEqual([]);
    expect((await op.get(`/api/v1/audits/${audit}`)).status).toBe(403); // no audits.read
    const inbox = (await qaM.get('/api/v1/tasks')).body;
    expect(JSON.stringify(inbox)).toContain(`audit_report.${audit}`);
  });

  it('refuses the wrong role, an auditor approving, a wrong password and a stale version, writing nothing', async () => {
    await refused(() => act(op, audit, 'approve_report', sign), 403, 'FORBIDDEN');
    await refused(() => act(qaE, audit, 'approve_report', sign), 409, 'AUDIT_AUDITOR_CANNOT_APPROVE');
    await refused(
      () => act(qaM, audit, 'approve_report', { password: 'not-my-password' }),
      401,
      'INVALID_CREDENTIALS',
      1,
    );
    await refused(() => act(qaM, audit, 'approve_report', { ...sign, version: 1 }), 409, 'STALE_VERSION');
  });

  it('closes on the approval signature; with a major finding the audit did not pass', async () => {
    const a = ok(await act(qaM, audit, 'approve_report', sign), 'approve');
    expect(a).toMatchObject({ state: 'closed', passed: false, approval: { byId: id.qaM }, actions: [] });
    const p = ok(await qaE.get(`/api/v1/audit-programmes/${programme}`), 'programme');
    expect(p.coverage.notAudited).not.toContain('7.5');
    expect(p.coverage.notAudited).not.toContain('8.3');
    expect(p.coverage.notAudited).toHaveLength(21);
  });
});

describe('the audit report as a sealed PDF', () => {
  it('prints the plan, the checklist by clause, the finding with its CAPA, the conclusion and the signature, in both languages', async () => {
    const capa = (await t.services.db.collection(CAPAS).findOne({ 'source.id': `${audit}.F1` }))!;
    const en = flat(await exportedPdfText(t, qaE, { kind: 'audit-report', id: audit, locale: 'en-US' }, dir));
    for (const s of [
      'Audit report',
      'Assembly line 1, NC handling',
      'NC records at MRB',
      'Is 8.3.1 met?',
      'F1 8.3.1 Major Nonconforming lots released',
      capa.number,
      'Not passed: 1 major finding(s)',
      // the approval's manifestation (21 CFR 11.50): printed name — meaning — time
      '李伟 Li Wei — Approved — ',
    ])
      expect(en, s).toContain(s);
    expect(en).toMatch(/8\.3\.1/);
    const zh = flat(await exportedPdfText(t, qaE, { kind: 'audit-report', id: audit, locale: 'zh-CN' }, dir));
    for (const s of [
      '审核报告',
      '按条款的检查表',
      '严重不符合',
      '未通过',
      '李伟 Li Wei — 批准 — ',
      capa.number,
      'F1 8.3.1 严重不符合',
    ])
      expect(zh, s).toContain(s);
    await refused(
      () => op.post('/api/v1/exports', { kind: 'audit-report', id: audit, locale: 'en-US' }),
      403,
      'FORBIDDEN',
    );
  });
});
