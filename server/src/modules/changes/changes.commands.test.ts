import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import {
  actOn,
  changeBody,
  impact,
  minor,
  changeCast,
  draftDocument,
  ok,
  refused,
  sign,
  type ChangeCast,
} from './changes.factory.ts';

// Change-request actions on the one command path (change.lifecycle.ts): the change board's
// approval refused for the wrong role, for the requester (separation of duties, ISO 13485:2016
// 4.2.4 / 7.3.9), for a wrong password and for a stale version, each writing nothing; links to
// records that do not exist are 404s and operator objects 400s, nothing written.
let t: TestServer;
let k: ChangeCast;

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  k = await changeCast(t.url);
});
afterAll(async () => {
  await t?.stop();
});

/** A change in approval, requested by `requester`, naming a new document's draft revision A. */
async function inApproval(requester = k.qaEng) {
  const doc = await draftDocument(k);
  const c = ok(
    await requester.post('/api/v1/changes', changeBody({ items: [{ kind: 'document', id: doc.id, revision: 'A' }] })),
    'open',
  );
  ok(await actOn(requester, c.id, 'submit'), 'submit');
  return ok(await k.qa.get(`/api/v1/changes/${c.id}`), 'get') as { id: string; version: number; actions: any[] };
}

describe('change request commands', () => {
  it('offers approve to the board and nothing to an operator; the requester is not offered approve', async () => {
    const c = await inApproval();
    expect(c.actions.map((a) => a.action)).toEqual(['approve', 'reject', 'cancel']);
    expect((await k.qaEng.get(`/api/v1/changes/${c.id}`)).body.actions.map((a: any) => a.action)).toEqual(['cancel']);
    expect((await k.op.get(`/api/v1/changes/${c.id}`)).status).toBe(403);
  });

  it('refuses an approval by a role outside the change board (wrong role), writing nothing', async () => {
    const c = await inApproval();
    await refused(
      t,
      () => k.sup.post(`/api/v1/changes/${c.id}/actions/approve`, { version: c.version, ...sign }),
      403,
      'FORBIDDEN',
    );
  });

  it('refuses the requester approving their own change (separation of duties), writing nothing', async () => {
    const c = await inApproval(k.qa);
    await refused(t, () => actOn(k.qa, c.id, 'approve', sign), 403, 'CHANGE_SELF_APPROVAL');
  });

  it("on a wrong password writes only the failed attempt on the approver's account", async () => {
    const c = await inApproval();
    await refused(
      t,
      () => actOn(k.qa, c.id, 'approve', { password: 'not-the-password' }),
      401,
      'INVALID_CREDENTIALS',
      1,
    );
  });

  it('refuses a submission on a version the requester did not see (stale), writing nothing', async () => {
    const doc = await draftDocument(k);
    const items = [{ kind: 'document', id: doc.id, revision: 'A' }];
    const c = ok(await k.qaEng.post('/api/v1/changes', changeBody()), 'open');
    const edited = ok(
      await k.qaEng.put(`/api/v1/changes/${c.id}/draft`, {
        version: c.version,
        items,
        impact: impact(),
        classification: minor,
      }),
      'edit',
    );
    expect(edited.items.map((i: { revision: string }) => i.revision)).toEqual(['A']);
    await refused(
      t,
      () => k.qaEng.post(`/api/v1/changes/${c.id}/actions/submit`, { version: c.version }),
      409,
      'STALE_VERSION',
    );
    ok(await actOn(k.qaEng, c.id, 'submit'), 'submit');
    expect(ok(await actOn(k.qa, c.id, 'approve', sign), 'approve').state).toBe('approved');
  });

  it('refuses links to records that do not exist (404), numbering and writing nothing', async () => {
    const doc = await draftDocument(k);
    const cases: Array<Record<string, unknown>> = [
      { items: [{ kind: 'document', id: 'no-such-document', revision: 'A' }] },
      { items: [{ kind: 'document', id: doc.id, revision: 'C' }] },
      { items: [{ kind: 'dmr', id: 'no-such-dmr', revision: 'B' }] },
      { refs: [{ kind: 'design_element', id: 'no-such-element' }] },
      { refs: [{ kind: 'risk_row', id: 'no-such-file', rowId: 'r1' }] },
      { capaId: 'no-such-capa' },
    ];
    for (const over of cases)
      await refused(t, () => k.qaEng.post('/api/v1/changes', changeBody(over)), 404, 'NOT_FOUND');
  });

  it('refuses an injected operator object (400), writing nothing', async () => {
    const mark = await markLedger(t.services);
    const bodies = [
      changeBody({ items: [{ kind: 'document', id: { $ne: null }, revision: 'A' }] }),
      changeBody({ capaId: { $ne: null } }),
      changeBody({ title: { $ne: null } }),
    ];
    for (const b of bodies) expect((await k.qaEng.post('/api/v1/changes', b)).status).toBe(400);
    expect((await k.qa.get('/api/v1/changes?state[$ne]=null')).status).toBe(400);
    const c = await inApproval();
    const mark2 = await markLedger(t.services);
    const r = await k.qa.post(`/api/v1/changes/${c.id}/actions/decide_work_order`, {
      version: c.version,
      workOrderId: { $ne: null },
      decision: 'hold',
    });
    expect(r.status).toBe(400);
    await expectNothingWritten(t.services, mark2);
    expect(mark.total).toBeGreaterThan(0);
  });
});
