import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { capaEvents } from '../capa/events.ts';
import { act as capaAct, capaCast, capaInProgress, ok, type CapaCast } from '../capa/capa.factory.ts';
import { act as complaintAct, complaintBody, releasedProducedLot } from '../complaints/complaints.factory.ts';
import { newDocumentBody } from '../documents/documents.factory.ts';

// The quality loop navigable from either end (ISO 13485:2016 8.2.2, 8.3, 8.5.2; QMSR 820.35(a)),
// links to records that do not exist refused when written, and QA's alerts with the time left
// computed at request time: NMPA 医疗器械不良事件监测和再评价管理办法 — a serious injury is reported
// within 20 days of awareness (the clock's data, modules/reporting/defaults.ts, cites it).
let t: TestServer;
let k: CapaCast;
let op: Client;
const sign = { password: DEMO_PASSWORD };
const refused = async (f: () => Promise<{ status: number; body: any }>, status: number, code: string) => {
  const mark = await markLedger(t.services);
  const r = await f();
  expect([r.status, r.body?.error?.code], JSON.stringify(r.body)).toEqual([status, code]);
  await expectNothingWritten(t.services, mark);
};

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  k = await capaCast(t.url);
  op = k.operator;
});
afterAll(async () => {
  await t?.stop();
});

describe('the quality loop', () => {
  it('resolves complaint → lot, DHR, NC, CAPA, changed document, and CAPA → its sources and changes', async () => {
    const { lot } = await releasedProducedLot(t);
    const c = ok(await k.owner.post('/api/v1/complaints', complaintBody(lot.lotNumber)), 'complaint');
    const nc = ok(
      await k.owner.post('/api/v1/ncs', {
        source: { kind: 'complaint', complaintId: c.id },
        itemId: lot.item.id,
        description: 'Leak at the drip chamber',
      }),
      'nc',
    );
    // a CAPA's NC or complaint source must exist
    await refused(
      () =>
        k.owner.post('/api/v1/capas', {
          title: 'Leak',
          source: { type: 'nc', id: 'no-such-nc' },
          problem: 'Leak',
          owner: k.ids['qa.engineer'],
          due: addDays(todayUtc(), 30),
        }),
      404,
      'NOT_FOUND',
    );
    const capa = ok(
      await k.owner.post('/api/v1/capas', {
        title: 'Drip chamber leak',
        source: { type: 'nc', id: nc.id },
        problem: 'Leak during priming',
        owner: k.ids['qa.engineer'],
        due: addDays(todayUtc(), 30),
      }),
      'capa',
    );
    // the NC links the CAPA; a CAPA that does not exist is refused
    await refused(() => k.qa.post(`/api/v1/ncs/${nc.id}/link-capa`, { capaId: 'no-such-capa' }), 404, 'NOT_FOUND');
    ok(await k.qa.post(`/api/v1/ncs/${nc.id}/link-capa`, { capaId: capa.id }), 'nc link');
    ok(
      await capaAct(k.qa, capa.id, 'decide', {
        decision: 'proceed',
        risk: { severity: 4, occurrence: 2 },
        rationale: 'Possible serious injury',
        ...sign,
      }),
      'decide',
    );
    const doc = ok(await k.author.post('/api/v1/documents', newDocumentBody(k.ids)), 'document');
    await refused(
      () => capaAct(k.owner, capa.id, 'link_change', { link: { type: 'document', id: 'no-such-doc', revision: 'A' } }),
      404,
      'NOT_FOUND',
    );
    await refused(
      () => capaAct(k.owner, capa.id, 'link_change', { link: { type: 'document', id: doc.id, revision: 'Q' } }),
      404,
      'NOT_FOUND',
    );
    ok(
      await capaAct(k.owner, capa.id, 'link_change', { link: { type: 'document', id: doc.id, revision: 'A' } }),
      'link',
    );

    const got = ok(await k.owner.get(`/api/v1/complaints/${c.id}`), 'get complaint');
    expect(got.loop).toMatchObject({
      lot: { kind: 'lot', id: lot._id, number: lot.lotNumber, state: 'released' },
      dhr: { kind: 'workorder', id: lot.workOrderId, number: expect.any(String) },
      ncs: [{ kind: 'nc', id: nc.id, number: nc.number, state: 'open' }],
      capas: [{ kind: 'capa', id: capa.id, number: capa.number, title: 'Drip chamber leak', state: 'in_progress' }],
      changes: [{ kind: 'document', id: doc.id, number: doc.number, title: doc.title, revision: 'A', state: 'draft' }],
    });
    const fromCapa = ok(await op.get(`/api/v1/capas/${capa.id}`), 'get capa');
    expect(fromCapa.loop).toMatchObject({
      sources: [{ kind: 'nc', id: nc.id, number: nc.number }],
      changes: [{ kind: 'document', id: doc.id, revision: 'A' }],
    });
    const fromNc = ok(await op.get(`/api/v1/ncs/${nc.id}`), 'get nc');
    expect(fromNc.loop).toMatchObject({
      complaint: { kind: 'complaint', id: c.id, number: c.number },
      capas: [{ id: capa.id, number: capa.number }],
    });
    // the complaint's links: an NC that does not exist is refused, a real one accepted
    await refused(() => complaintAct(k.owner, c.id, 'link_nc', { ncId: 'no-such-nc' }), 404, 'NOT_FOUND');
    expect(ok(await complaintAct(k.owner, c.id, 'link_capa', { capaId: capa.id }), 'link capa').capaId).toBe(capa.id);
  });
});

describe('QA alerts', () => {
  it('is for QA only, and takes no parameters', async () => {
    expect((await op.get('/api/v1/quality/alerts')).status).toBe(403);
    const bad = await k.qa.get('/api/v1/quality/alerts?x[$ne]=null');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('lists due and overdue reports, overdue CAPAs, effectiveness checks due, extension requests and NCs to disposition', async () => {
    // NMPA serious injury: 20 days from awareness. Aware 15 days ago: 5 left (due soon); 25 days ago: 5 overdue.
    const decision = async (complaintId: string, daysAgo: number) => {
      const awareAt = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
      const d = ok(
        await k.qa.post('/api/v1/reporting/decisions', {
          complaintId,
          jurisdiction: 'CN',
          awareAt,
          facts: {
            death: false,
            seriousInjury: true,
            malfunction: false,
            unanticipatedDeterioration: false,
            publicHealthThreat: false,
            remedialAction: false,
            regulatorRequest: false,
            overseas: false,
            cluster: false,
          },
        }),
        'decision',
      );
      return ok(
        await k.qa.post(`/api/v1/reporting/decisions/${d.id}/decide`, {
          reportable: true,
          rationale: 'serious injury',
          ...sign,
        }),
        'decide',
      );
    };
    const soon = await decision('CMP-ALERT-1', 15);
    const late = await decision('CMP-ALERT-2', 25);

    // an overdue CAPA (its due date passed: a fixture on the ledger, as no one may plan a past date)
    const opened = capaEvents.change('capa.opened', {
      number: 'CAPA-2026-99998',
      title: 'Late CAPA',
      source: { type: 'audit_finding', id: 'IA-2026-03' },
      problem: 'Finding 3',
      owner: { id: k.ids['qa.engineer'], name: 'Wang Fang' },
      due: addDays(todayUtc(), -3),
    });
    await requestContext.run({ requestId: 'fixture', locale: 'en-US', actor: SYSTEM_ACTOR }, () =>
      t.services.ledger.append('capa:late-fixture', opened.type, opened.data, { expectedVersion: 0 }),
    );
    await t.services.projector.stateAt('capa:late-fixture');

    // a CAPA closed with its effectiveness check due in 10 days
    const closed = await capaInProgress(k);
    ok(await capaAct(k.operator, closed, 'complete_task', { taskId: 'A1', evidence: 'Done' }), 'done');
    ok(await capaAct(k.owner, closed, 'verify', { safety: 'No effect', compliance: 'Unchanged', ...sign }), 'verify');
    const check = { due: addDays(todayUtc(), 10), criteria: 'No leak complaint for 3 months' };
    ok(await capaAct(k.qa, closed, 'close', { effectiveness: check, ...sign }), 'close');

    // a CAPA with an extension requested
    const extended = await capaInProgress(k);
    ok(
      await capaAct(k.owner, extended, 'request_extension', { due: addDays(todayUtc(), 120), reason: 'Tooling' }),
      'extension',
    );

    // an NC with quantity still to disposition
    const { lot } = await releasedProducedLot(t);
    const nc = ok(
      await k.owner.post('/api/v1/ncs', {
        source: { kind: 'internal_audit', reference: 'IA-2026-09' },
        lots: [{ lotId: lot._id, quantity: 2 }],
        description: 'Scratched housings',
      }),
      'nc',
    );

    const a = ok(await k.qa.get('/api/v1/quality/alerts'), 'alerts');
    const report = (id: string) => a.reports.find((r: { id: string }) => r.id === id);
    expect(report(soon.id)).toMatchObject({ jurisdiction: 'CN', daysRemaining: 5, level: 'due_soon' });
    expect(report(soon.id).hoursRemaining).toBeGreaterThan(4 * 24);
    expect(report(soon.id).hoursRemaining).toBeLessThanOrEqual(6 * 24);
    expect(report(late.id)).toMatchObject({ daysRemaining: -5, level: 'overdue' });
    expect(report(late.id).hoursRemaining).toBeLessThan(0);
    expect(a.overdueCapas).toContainEqual(
      expect.objectContaining({ id: 'late-fixture', number: 'CAPA-2026-99998', daysRemaining: -3 }),
    );
    expect(a.effectivenessChecks).toContainEqual(
      expect.objectContaining({ id: closed, daysRemaining: 10, criteria: check.criteria }),
    );
    expect(a.extensionRequests).toContainEqual(
      expect.objectContaining({ id: extended, requested: expect.objectContaining({ reason: 'Tooling' }) }),
    );
    expect(a.ncsAwaitingDisposition).toContainEqual(
      expect.objectContaining({ id: nc.id, number: nc.number, undisposed: 2, daysOpen: 0 }),
    );
  });
});
