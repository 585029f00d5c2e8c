import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { createUser } from '../../identity/userService.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { DEMO_USERS } from '../../../../seed/demo-users.ts';
import { capaEvents } from './events.ts';
import { newDocumentBody } from '../documents/documents.factory.ts';
import { act, capaCast, capaInProgress, fiveWhy, newCapaBody, ok, sign, type CapaCast } from './capa.factory.ts';

// The CAPA's behaviour (ISO 13485:2016 8.5.2 corrective action, 8.5.3 preventive action): the
// risk-based decision, the root-cause methods kept with their structure, actions in their owners'
// inboxes, the no-harm verification before closure (8.5.2 e/f: "verifying that the corrective
// action does not adversely affect the ability to meet applicable regulatory requirements or the
// safety and performance of the medical device"), the effectiveness check (8.5.2 f) and its failure
// reopening the CAPA, extensions and the overdue list.
let srv: TestServer;
let k: CapaCast;
const badInput = async (f: () => Promise<{ status: number; body: any }>) => {
  const mark = await markLedger(srv.services);
  const r = await f();
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body.error.code).toBe('VALIDATION_FAILED');
  await expectNothingWritten(srv.services, mark);
};
const names = (r: { body: { actions: Array<{ action: string }> } }) => r.body.actions.map((a) => a.action);
const check = {
  due: addDays(todayUtc(), 90),
  criteria: 'No leak complaint on lots made after the change for 3 months',
};
const verifyBody = { safety: 'No effect on the device safety or performance', compliance: 'Registered spec unchanged' };

beforeAll(async () => {
  srv = await startTestServer({ seed: false });
  await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
    for (const u of DEMO_USERS) await createUser(srv.services, { ...u, password: sign.password, temporary: false });
  });
  k = await capaCast(srv.url);
});
afterAll(async () => {
  await srv?.stop();
});

describe('CAPA lifecycle', () => {
  it('runs from source to effective: decide, contain, investigate, act, link, verify, close, check (fail reopens)', async () => {
    const id = await capaInProgress(k);
    let c = ok(await act(k.owner, id, 'contain', { containment: 'Lot L2611 on hold; customers notified' }), 'contain');
    expect(c).toMatchObject({
      number: expect.stringMatching(/^CAPA-\d{4}-\d{5}$/),
      state: 'in_progress',
      source: { type: 'trend', id: 'TR-2026-Q3 leak rate' },
      decision: { decision: 'proceed', risk: { severity: 4, occurrence: 3 }, byId: k.ids['qa.manager'] },
      investigation: { analysis: fiveWhy(5), rootCause: 'Leak test limit too wide' },
    });
    // the operator's action is in their inbox, and only theirs
    const inbox = (await k.operator.get('/api/v1/tasks')).body;
    expect(inbox).toContainEqual(
      expect.objectContaining({ kind: 'capa_action', number: c.number, link: { route: 'capa', id } }),
    );
    expect((await k.qa.get('/api/v1/tasks')).body.filter((t: { kind: string }) => t.kind === 'capa_action')).toEqual(
      [],
    );
    const doc = ok(await k.author.post('/api/v1/documents', newDocumentBody(k.ids)), 'document');
    ok(await act(k.owner, id, 'link_change', { link: { type: 'document', id: doc.id, revision: 'A' } }), 'link');
    ok(await act(k.operator, id, 'complete_task', { taskId: 'A1', evidence: 'WI-PRD-014 rev C effective' }), 'done');
    expect(
      (await k.operator.get('/api/v1/tasks')).body.filter((t: { kind: string }) => t.kind === 'capa_action'),
    ).toEqual([]);
    // QA cannot close before the no-harm verification (8.5.2)
    const early = await act(k.qa, id, 'close', { effectiveness: check, ...sign });
    expect([early.status, early.body.error.code]).toEqual([409, 'CAPA_NOT_VERIFIED']);
    c = ok(await act(k.owner, id, 'verify', { ...verifyBody, ...sign }), 'verify');
    expect(c.verification).toMatchObject({ ...verifyBody, byId: k.ids['qa.engineer'] });
    expect(c.links).toEqual([expect.objectContaining({ type: 'document', id: doc.id, revision: 'A' })]);
    c = ok(await act(k.qa, id, 'close', { effectiveness: check, ...sign }), 'close');
    expect(c.state).toBe('effectiveness_check');

    // a failed effectiveness check reopens the same CAPA for a new round
    c = ok(
      await act(k.qa, id, 'record_effectiveness', { result: 'fail', evidence: '2 leak complaints', ...sign }),
      'fail',
    );
    expect(c).toMatchObject({ state: 'in_progress', round: 2, verification: null, closure: null });
    expect(c.checks).toEqual([expect.objectContaining({ round: 1, result: 'fail', byId: k.ids['qa.manager'] })]);
    const noPlan = await act(k.qa, id, 'close', { effectiveness: check, ...sign });
    expect([noPlan.status, noPlan.body.error.code]).toEqual([409, 'CAPA_NO_ACTIONS']);
    ok(
      await act(k.owner, id, 'add_task', {
        description: 'Add a 100% leak test',
        owner: k.ids.operator,
        due: check.due,
      }),
      'task 2',
    );
    ok(await act(k.operator, id, 'complete_task', { taskId: 'A2', evidence: 'Tester installed' }), 'done 2');
    ok(await act(k.owner, id, 'verify', { ...verifyBody, ...sign }), 'verify 2');
    ok(await act(k.qa, id, 'close', { effectiveness: check, ...sign }), 'close 2');
    c = ok(await act(k.qa, id, 'record_effectiveness', { result: 'pass', evidence: 'No leak since', ...sign }), 'pass');
    expect(c).toMatchObject({ state: 'closed', actions: [] });
    expect(c.checks.map((x: { result: string }) => x.result)).toEqual(['fail', 'pass']);
    // every signature on the CAPA verifies
    const sigs = (await k.qa.get(`/api/v1/records/capa:${id}/signatures`)).body;
    expect(sigs.map((x: { meaning: string }) => x.meaning)).toEqual([
      'approved', // decide
      'verified', // no harm
      'approved', // close
      'verified', // failed check
      'verified', // no harm, round 2
      'approved', // close again
      'verified', // passed check
    ]);
    expect(sigs.every((x: { valid: boolean }) => x.valid)).toBe(true);
  });

  it('ends with a "no CAPA" rationale signed by QA', async () => {
    const c = ok(await k.owner.post('/api/v1/capas', newCapaBody(k)), 'open');
    const d = ok(
      await act(k.qa, c.id, 'decide', {
        decision: 'no_capa',
        risk: { severity: 1, occurrence: 1 },
        rationale: 'Isolated cosmetic issue, covered by the NC; trend below threshold',
        ...sign,
      }),
      'decide',
    );
    expect(d).toMatchObject({ state: 'no_capa', decision: { decision: 'no_capa' }, actions: [] });
  });

  it('keeps the fishbone (6M) and the fault tree structure', async () => {
    const id = await capaInProgress(k);
    const fishbone = {
      method: 'fishbone',
      categories: {
        man: ['Operator not trained on rev C'],
        machine: ['Leak tester drift'],
        method: ['Test time 5 s'],
        material: [],
        measurement: ['Gauge resolution 10 kPa'],
        environment: [],
      },
    };
    let c = ok(await act(k.owner, id, 'investigate', { analysis: fishbone, rootCause: 'Test time too short' }), 'fb');
    expect(c.investigation.analysis).toEqual(fishbone);
    const faultTree = {
      method: 'fault_tree',
      nodes: [
        { id: 'TOP', parent: null, kind: 'or', label: 'Leak at the joint' },
        { id: 'G1', parent: 'TOP', kind: 'and', label: 'Weak bond not detected' },
        { id: 'B1', parent: 'G1', kind: 'basic', label: 'Solvent under-dosed' },
        { id: 'B2', parent: 'G1', kind: 'basic', label: 'Leak test too short' },
        { id: 'B3', parent: 'TOP', kind: 'basic', label: 'Tube cracked' },
      ],
    };
    c = ok(await act(k.owner, id, 'investigate', { analysis: faultTree, rootCause: 'B1 and B2' }), 'ft');
    expect(c.investigation.analysis).toEqual(faultTree);
  });

  it('refuses a five-why with 0 or 11 entries, a broken fault tree, and operator injection (400, nothing written)', async () => {
    const id = await capaInProgress(k);
    const path = `/api/v1/capas/${id}/actions/investigate`;
    await badInput(() => k.owner.post(path, { analysis: fiveWhy(0), rootCause: 'x' }));
    await badInput(() => k.owner.post(path, { analysis: fiveWhy(11), rootCause: 'x' }));
    expect((await act(k.owner, id, 'investigate', { analysis: fiveWhy(10), rootCause: 'x' })).status).toBe(200);
    const cyclic = [
      { id: 'T', parent: null, kind: 'or', label: 'top' },
      { id: 'A', parent: 'B', kind: 'or', label: 'a' },
      { id: 'B', parent: 'A', kind: 'or', label: 'b' },
    ];
    await badInput(() => k.owner.post(path, { analysis: { method: 'fault_tree', nodes: cyclic }, rootCause: 'x' }));
    await badInput(() => k.owner.post(path, { analysis: { method: 'pareto', items: [] }, rootCause: 'x' }));
    await badInput(() => k.owner.post(path, { analysis: fiveWhy(2), rootCause: { $ne: null } }));
    await badInput(() => k.owner.post('/api/v1/capas', { ...newCapaBody(k), owner: { $ne: null } }));
    await badInput(() =>
      k.owner.post('/api/v1/capas', { ...newCapaBody(k), source: { type: 'nc', id: { $ne: null } } }),
    );
    await badInput(() => k.owner.post('/api/v1/capas', { ...newCapaBody(k), due: addDays(todayUtc(), -1) }));
    await badInput(() =>
      k.operator.post(`/api/v1/capas/${id}/actions/complete_task`, { taskId: { $ne: null }, evidence: 'x' }),
    );
    const q = await k.qa.get(`/api/v1/capas?owner[$ne]=null`);
    expect(q.status).toBe(400);
    expect((await k.qa.get(`/api/v1/capas?overdue=${encodeURIComponent('{"$ne":null}')}`)).status).toBe(400);
  });

  it('extends the due date on an approval by QA other than the requester', async () => {
    const id = await capaInProgress(k);
    const due = addDays(todayUtc(), 120);
    const before = (await k.owner.get(`/api/v1/capas/${id}`)).body.due;
    ok(await act(k.owner, id, 'request_extension', { due, reason: 'Supplier tooling change takes 8 weeks' }), 'req');
    const again = await act(k.owner, id, 'request_extension', { due, reason: 'again' });
    expect([again.status, again.body.error.code]).toEqual([409, 'CAPA_EXTENSION_PENDING']);
    const own = await act(k.owner, id, 'approve_extension', sign);
    expect([own.status, own.body.error.code]).toEqual([409, 'CAPA_REQUESTER_CANNOT_APPROVE']);
    expect(names(await k.qa.get(`/api/v1/capas/${id}`))).toContain('approve_extension');
    const c = ok(await act(k.qa, id, 'approve_extension', sign), 'approve');
    expect(c).toMatchObject({ due, extension: null });
    expect(c.extensions).toEqual([expect.objectContaining({ from: before, to: due, byId: k.ids['qa.manager'] })]);
  });

  it('lists overdue CAPAs (due date passed, not closed) for QA', async () => {
    const id = 'overdue-fixture';
    const opened = capaEvents.change('capa.opened', {
      number: 'CAPA-2026-99999',
      title: 'Late CAPA',
      source: { type: 'audit_finding', id: 'IA-2026-03' },
      problem: 'Finding 3',
      owner: { id: k.ids['qa.engineer'], name: 'Wang Fang' },
      due: addDays(todayUtc(), -3),
    });
    await requestContext.run({ requestId: 'fixture', locale: 'en-US', actor: SYSTEM_ACTOR }, () =>
      srv.services.ledger.append(`capa:${id}`, opened.type, opened.data, { expectedVersion: 0 }),
    );
    await srv.services.projector.stateAt(`capa:${id}`);
    const list = ok(await k.qa.get('/api/v1/capas?overdue=true'), 'overdue');
    expect(list.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(list[0]).toMatchObject({ overdue: true, state: 'evaluation' });
    const notOverdue = ok(await k.qa.get('/api/v1/capas?overdue=false'), 'not overdue');
    expect(notOverdue.some((c: { id: string }) => c.id === id)).toBe(false);
    expect(ok(await k.qa.get('/api/v1/capas?source=audit_finding'), 'source').length).toBe(1);
  });

  it('publishes its lifecycle with the separation rule', async () => {
    const l = ok(await k.author.get('/api/v1/lifecycles/capa'), 'lifecycle');
    const close = l.transitions.find((t: { name: string }) => t.name === 'close');
    expect(close).toMatchObject({ permission: 'capa.approve', signature: { meaning: 'approved' } });
    const api = ok(await k.author.get('/api/v1/openapi.json'), 'openapi');
    expect(Object.keys(api.paths)).toContain('/api/v1/capas/{id}/actions/investigate');
    expect(close.separation).toEqual([
      expect.objectContaining({ rule: 'not_owner', code: 'CAPA_OWNER_CANNOT_APPROVE' }),
    ]);
  });
});
