import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { withCheckDigit } from '../items/gtin.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { minimalPdf } from '../../../../seed/documents.ts';
import { actOn, changeBody, changeCast, draftDocument, ok, refused, sign, type ChangeCast } from './changes.factory.ts';

// Change control (ISO 13485:2016 7.3.9: changes approved before implementation, their effect on
// products in process and already delivered evaluated; 4.2.4: documents approved before issue)
// through HTTP on the real engine: a document revision and a DMR revision named by one change
// become effective together, on one date, and never alone; a work order in progress on the old
// DMR revision blocks implementation until it has its decision; a new order builds to the new one.
let t: TestServer;
let k: ChangeCast;

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  k = await changeCast(t.url);
});
afterAll(async () => {
  await t?.stop();
});

const doc = (id: string) => k.qa.get(`/api/v1/documents/${id}`).then((r) => r.body);
const dmr = (id: string) => k.qa.get(`/api/v1/dmrs/${id}`).then((r) => r.body);
/** The DMR's effective revision (its GET heads with the effective revision when there is one). */
const dmrEffective = async (id: string) => {
  const b = await dmr(id);
  return b.state === 'effective' ? b.revision : null;
};
async function docAct(c: Client, id: string, action: string, extra: Record<string, unknown> = {}) {
  return ok(
    await c.post(`/api/v1/documents/${id}/actions/${action}`, { version: (await doc(id)).version, ...extra }),
    `document ${action}`,
  );
}
async function dmrAct(c: Client, id: string, action: string, extra: Record<string, unknown> = {}) {
  return ok(
    await c.post(`/api/v1/dmrs/${id}/actions/${action}`, { version: (await dmr(id)).version, ...extra }),
    `dmr ${action}`,
  );
}
const upload = (id: string, text: string) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(minimalPdf([text]))], { type: 'application/pdf' }), 'wi.pdf');
  return k.author.request('POST', `/api/v1/documents/${id}/content`, form);
};
/** Upload, submit, both reviewers and the approver sign the working revision. */
async function passDocument(id: string, text: string) {
  ok(await upload(id, text), 'upload');
  await docAct(k.author, id, 'submit');
  await docAct(k.reviewer, id, 'review', sign);
  await docAct(k.reviewer2, id, 'review', sign);
  await docAct(k.qa, id, 'approve', sign);
}

describe('change control', () => {
  it('makes a document and a DMR revision effective together, only through the change, after every work order in progress has its decision', async () => {
    // the leak-test work instruction, revision A effective, B drafted under the change
    const wi = await draftDocument(k, 'Leak test work instruction', 'work_instruction');
    await passDocument(wi.id, 'Leak test A');
    expect((await doc(wi.id)).effective).toBe('A');
    await docAct(k.author, wi.id, 'new_revision');

    // a device with DMR revision A effective, then B drafted
    const items = new Map<string, string>(
      ((await k.sup.get('/api/v1/items')).body as any[]).map((i) => [i.partNumber, i.id]),
    );
    const item = ok(
      await k.qaEng.post('/api/v1/items', {
        partNumber: 'FG-ECO-1',
        name: { zh: '输液器', en: 'Infusion set' },
        type: 'finished',
        unit: 'pcs',
        control: 'lot',
        gtin: withCheckDigit('0697123469001'),
      }),
      'item',
    );
    const content = (hold: number) => ({
      bom: [{ itemId: items.get('RM-PVC-001'), quantity: 1, control: 'lot' }],
      routing: [
        {
          seq: 10,
          name: { zh: '检漏', en: 'Leak test' },
          workInstructionId: wi.id,
          captures: [{ name: 'hold time', unit: 's', lower: hold, upper: null }],
        },
      ],
    });
    const d = ok(await k.sup.post('/api/v1/dmrs', { itemId: item.id }), 'dmr');
    ok(await k.sup.put(`/api/v1/dmrs/${d.id}/draft`, { version: d.version, content: content(30) }), 'dmr draft');
    await dmrAct(k.sup, d.id, 'submit');
    await dmrAct(k.reviewer, d.id, 'review', sign);
    await dmrAct(k.qa, d.id, 'approve', sign);
    expect(await dmrEffective(d.id)).toBe('A');
    await dmrAct(k.sup, d.id, 'new_revision');

    // a work order in progress on DMR A
    const wo = ok(
      await k.sup.post('/api/v1/workorders', {
        itemId: item.id,
        plannedQuantity: 5,
        plannedStart: '2030-01-01',
        plannedEnd: '2030-01-02',
      }),
      'work order',
    );
    expect((await k.sup.get(`/api/v1/workorders/${wo.id}`)).body.dmr.revision).toBe('A');

    // the change names both revisions, and its CAPA
    const capa = ((await k.qa.get('/api/v1/capas')).body as any[])[0];
    const change = ok(
      await k.qaEng.post(
        '/api/v1/changes',
        changeBody({
          items: [
            { kind: 'document', id: wi.id, revision: 'B' },
            { kind: 'dmr', id: d.id, revision: 'B' },
          ],
          ...(capa ? { capaId: capa.id } : {}),
        }),
      ),
      'open change',
    );
    expect(change.number).toMatch(/^ECO-\d{4}-\d{5}$/);
    // another change cannot name the same revision
    await refused(
      t,
      () => k.qaEng.post('/api/v1/changes', changeBody({ items: [{ kind: 'document', id: wi.id, revision: 'B' }] })),
      409,
      'CHANGE_REVISION_HELD',
    );

    // both revisions go through their own review and approval: approved, yet not effective
    await passDocument(wi.id, 'Leak test B: hold 60 s');
    const wiApproved = await doc(wi.id);
    expect([
      wiApproved.effective,
      wiApproved.revisions.find((r: { revision: string }) => r.revision === 'B').state,
    ]).toEqual(['A', 'approved']);
    const dv = await dmr(d.id);
    ok(await k.sup.put(`/api/v1/dmrs/${d.id}/draft`, { version: dv.version, content: content(60) }), 'dmr draft B');
    await dmrAct(k.sup, d.id, 'submit');
    await dmrAct(k.reviewer, d.id, 'review', sign);
    await dmrAct(k.qa, d.id, 'approve', sign);
    expect(await dmrEffective(d.id)).toBe('A');

    // never alone: a direct release of either is refused while the change is open
    await refused(
      t,
      async () => k.qa.post(`/api/v1/documents/${wi.id}/actions/release`, { version: (await doc(wi.id)).version }),
      409,
      'REVISION_HELD_BY_CHANGE',
    );
    await refused(
      t,
      async () => k.qa.post(`/api/v1/dmrs/${d.id}/actions/release`, { version: (await dmr(d.id)).version }),
      409,
      'REVISION_HELD_BY_CHANGE',
    );

    // the board approves; implementation waits for the work order's decision
    ok(await actOn(k.qaEng, change.id, 'submit'), 'submit change');
    const approved = ok(await actOn(k.qa, change.id, 'approve', sign), 'approve change');
    expect(approved.state).toBe('approved');
    expect(approved.workOrders.map((w: any) => [w.number, w.decision])).toEqual([[wo.number, null]]);
    expect(approved.actions.map((a: any) => a.action)).toEqual([
      'decide_work_order',
      'schedule_effectiveness_check',
      'cancel',
    ]);
    await refused(t, () => actOn(k.qa, change.id, 'implement', sign), 409, 'WORK_ORDER_DECISION_MISSING');
    const decided = ok(
      await actOn(k.sup, change.id, 'decide_work_order', {
        workOrderId: wo.id,
        decision: 'finish_old',
        note: 'builds to A',
      }),
      'decide',
    );
    expect(decided.workOrderDecisions.map((x: any) => x.decision)).toEqual(['finish_old']);

    // implemented: both effective on one date, training assigned for the new revision
    const done = ok(await actOn(k.qa, change.id, 'implement', sign), 'implement');
    expect(done.state).toBe('implemented');
    expect(done.effectiveDate).toBe(todayUtc());
    const [wiB, dB] = [await doc(wi.id), await dmr(d.id)];
    expect([wiB.effective, dB.state, dB.revision]).toEqual(['B', 'effective', 'B']);
    expect(wiB.revisions.find((r: { revision: string }) => r.revision === 'B').effectiveDate).toBe(done.effectiveDate);
    expect(dB.effectiveDate).toBe(done.effectiveDate);
    const training = (await k.qa.get(`/api/v1/documents/${wi.id}/training`)).body as any[];
    expect(training.some((x) => x.revision === 'B')).toBe(true);

    // the old order keeps revision A; a new one builds to B
    expect((await k.sup.get(`/api/v1/workorders/${wo.id}`)).body.dmr.revision).toBe('A');
    const wo2 = ok(
      await k.sup.post('/api/v1/workorders', {
        itemId: item.id,
        plannedQuantity: 5,
        plannedStart: '2030-02-01',
        plannedEnd: '2030-02-02',
      }),
      'new work order',
    );
    expect((await k.sup.get(`/api/v1/workorders/${wo2.id}`)).body.dmr.revision).toBe('B');

    // the effectiveness check (7.3.9, 8.5.2 f): judged only once scheduled, by someone other than
    // the requester (qaEng), by signature; bad schedules are refused with nothing written
    await refused(
      t,
      () => actOn(k.qa, change.id, 'confirm_effective', { ...sign, reason: 'x' }),
      409,
      'CHANGE_EFFECTIVENESS_NOT_DUE',
    );
    const due = addDays(todayUtc(), 30);
    for (const bad of [
      { dueDate: '2020-01-01', criteria: 'leak-test NCs fall' },
      { dueDate: addDays(todayUtc(), 4000), criteria: 'leak-test NCs fall' },
      { dueDate: due, criteria: '' },
      { dueDate: due, criteria: { $ne: null } },
      { dueDate: '2026-02-30', criteria: 'x' },
    ])
      await refused(t, () => actOn(k.qa, change.id, 'schedule_effectiveness_check', bad), 400, 'VALIDATION_FAILED');
    const scheduled = ok(
      await actOn(k.qa, change.id, 'schedule_effectiveness_check', {
        dueDate: due,
        criteria: 'No leak-test NC on lots built to revision B for 30 days',
      }),
      'schedule',
    );
    expect(scheduled.effectiveness).toMatchObject({ dueDate: due, result: null });
    await refused(
      t,
      () => actOn(k.qa, change.id, 'schedule_effectiveness_check', { dueDate: due, criteria: 'again' }),
      409,
      'CHANGE_EFFECTIVENESS_SCHEDULED',
    );
    // in the board's inbox with its due date; the requester may not judge their own change
    const task = (await k.qa.get('/api/v1/tasks')).body.find(
      (x: any) => x.kind === 'change_effectiveness_check' && x.link?.id === change.id,
    );
    expect(task?.due).toBe(due);
    expect((await k.qaEng.get(`/api/v1/changes/${change.id}`)).body.actions.map((a: any) => a.action)).not.toContain(
      'confirm_effective',
    );
    const judged = ok(
      await actOn(k.qa, change.id, 'find_not_effective', { ...sign, reason: 'Two leak-test NCs on revision B lots' }),
      'judge',
    );
    expect(judged.state).toBe('implemented');
    expect(judged.effectiveness).toMatchObject({
      result: 'not_effective',
      evidence: 'Two leak-test NCs on revision B lots',
      checkedBy: { id: k.ids['qa.manager'] },
    });
    expect(judged.actions.map((a: any) => a.action)).toEqual([]);
    const sigs = (await k.qa.get(`/api/v1/records/change:${change.id}/signatures`)).body as any[];
    expect(sigs.at(-1)).toMatchObject({ meaning: 'rejected', valid: true });
  });

  it('refuses naming a revision already submitted (it would become effective alone)', async () => {
    const wi = await draftDocument(k, 'Submitted early');
    ok(await upload(wi.id, 'early'), 'upload');
    await docAct(k.author, wi.id, 'submit');
    await refused(
      t,
      () => k.qaEng.post('/api/v1/changes', changeBody({ items: [{ kind: 'document', id: wi.id, revision: 'A' }] })),
      409,
      'CHANGE_REVISION_NOT_DRAFT',
    );
  });
  it('holds a work order decided "hold": its step is shown blocked and refused until the change is cancelled', async () => {
    // ISO 13485:2016 7.3.9 (the effect of a change on product in process): the demo change's order
    // on the floor (leak test performed, waiting for its verification) is held instead of finished on A
    const demo = ((await k.qa.get('/api/v1/changes')).body as any[]).find((c) => c.state === 'approved');
    const running = (await k.qa.get(`/api/v1/changes/${demo.id}`)).body.workOrders.find(
      (w: any) => w.decision?.decision === 'finish_old',
    );
    const woId = running.id as string;
    ok(
      await actOn(k.sup, demo.id, 'decide_work_order', { workOrderId: woId, decision: 'hold', note: 'wait for B' }),
      'hold',
    );
    const op2 = await as(t.url, 'operator2');
    const verifyOf = async () =>
      ((await op2.get(`/api/v1/workorders/${woId}`)).body.actions as any[]).find((a) => a.action === 'verify');
    const held = await verifyOf();
    expect(held).toMatchObject({
      target: { seq: 20 },
      blockedBy: { code: 'WORK_ORDER_HELD_BY_CHANGE', link: { route: 'change', id: demo.id } },
    });
    expect(held.blockedBy.en).toContain(demo.number);
    expect(held.blockedBy.zh).toContain(`变更 ${demo.number}`);
    const verify = () => op2.post(`/api/v1/workorders/${woId}/steps/20/verify`, sign);
    const r = await refused(t, verify, 409, 'WORK_ORDER_HELD_BY_CHANGE');
    expect(r.body.error.details).toEqual({ change: demo.number });

    // cancelled: the hold is lifted, the verification is offered and signed
    ok(await actOn(k.qa, demo.id, 'cancel', { reason: 'superseded' }), 'cancel change');
    expect((await verifyOf()).blockedBy).toBeUndefined();
    const done = ok(await verify(), 'verify after the hold');
    expect(done.operations.find((o: any) => o.seq === 20).status).toBe('verified');
  });
});
