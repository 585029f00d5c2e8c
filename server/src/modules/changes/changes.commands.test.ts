import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { createUser } from '../../identity/userService.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { DEMO_USERS } from '../../../../seed/demo-users.ts';
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

// A delegate's signature on a record other than a document (issue 15 item 6, CONTRIBUTING item 14):
// the decision counts as the principal's, with who signed beside it; a signature attesting to one's
// own act (read and understood) is never given on someone's behalf.
const idOf = async (username: string) =>
  ((await k.qa.get('/api/v1/users')).body as Array<{ id: string; username: string }>).find(
    (u) => u.username === username,
  )!.id;

describe('signing on behalf of the change board', () => {
  let deputy: Client;
  let delegationId = '';
  beforeAll(async () => {
    await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, async () => {
      const qa = DEMO_USERS.find((u) => u.username === 'qa.manager')!;
      await createUser(t.services, {
        ...qa,
        username: 'qa.deputy',
        fullName: 'Dana Deputy',
        email: 'qa.deputy@example.com',
        roles: ['qa_manager', 'operator'], // reads anyone's training (below: may still not sign it for them)
        password: sign.password,
        temporary: false,
      });
    });
    deputy = await as(t.url, 'qa.deputy');
    const d = await k.qa.post('/api/v1/delegations', {
      delegateId: await idOf('qa.deputy'),
      from: todayUtc(),
      to: addDays(todayUtc(), 7),
      roles: ['qa_manager'],
      reason: 'Audit week at the supplier',
    });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    delegationId = d.body.id;
  });
  afterAll(async () => {
    const v = (await k.qa.get(`/api/v1/delegations/${delegationId}`)).body.version;
    await k.qa.post(`/api/v1/delegations/${delegationId}/revoke`, { version: v });
  });

  it("records the deputy's approval as the board member's, with the deputy as signer", async () => {
    const c = await inApproval();
    const r = await deputy.post(`/api/v1/records/change:${c.id}/signatures`, {
      meaning: 'approved',
      version: c.version,
      onBehalfOf: k.ids['qa.manager'],
      ...sign,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const after = ok(await k.qa.get(`/api/v1/changes/${c.id}`), 'get');
    expect(after.state).toBe('approved');
    expect(after.decisions[0]).toMatchObject({
      userId: k.ids['qa.manager'],
      decision: 'approved',
      signedBy: { name: 'Dana Deputy', delegationId },
    });
  });

  it("refuses completing someone's training on their behalf (403 PERSONAL_SIGNATURE), writing nothing", async () => {
    const op2 = await as(t.url, 'operator2');
    const d = await op2.post('/api/v1/delegations', {
      delegateId: await idOf('qa.deputy'),
      from: todayUtc(),
      to: addDays(todayUtc(), 3),
      roles: ['operator'],
      reason: 'Night shift swap',
    });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    const list = (await op2.get('/api/v1/training')).body as Array<{ id: string; status: string; version: number }>;
    const open = list.find((x) => x.status === 'open');
    expect(open, JSON.stringify(list)).toBeTruthy();
    const principal = await idOf('operator2');
    await refused(
      t,
      () =>
        deputy.post(`/api/v1/records/training:${open!.id}/signatures`, {
          meaning: 'read_and_understood',
          version: open!.version,
          onBehalfOf: principal,
          ...sign,
        }),
      403,
      'PERSONAL_SIGNATURE',
    );
    await op2.post(`/api/v1/delegations/${d.body.id}/revoke`, { version: d.body.version });
  });
});
