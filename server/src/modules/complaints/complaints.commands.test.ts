import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { act, complaintBody, refused, releasedProducedLot } from './complaints.factory.ts';

// A complaint's actions on the one command path (complaint.lifecycle.ts): the investigation (or
// the signed reason why none is needed) and QA's closure are e-signatures; whoever investigated
// does not close; a refusal — wrong role, separation of duties, wrong password, stale version,
// operator-injected input — writes nothing at all.
let t: TestServer;
let qa: Client, qaEng: Client, op: Client;
let lotNumber = '';
const sign = { password: DEMO_PASSWORD };

const open = async (c: Client = qaEng) => {
  const r = await c.post('/api/v1/complaints', complaintBody(lotNumber));
  expect(r.status).toBe(201);
  return r.body as { id: string; version: number };
};

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, qaEng, op] = await Promise.all(['qa.manager', 'qa.engineer', 'operator'].map((u) => as(t.url, u)));
  lotNumber = (await releasedProducedLot(t)).lot.lotNumber;
});
afterAll(async () => {
  await t?.stop();
});

describe('complaint commands', () => {
  it('offers the open steps to complaint handlers and nothing to an operator', async () => {
    const c = await open();
    const own = (await qaEng.get(`/api/v1/complaints/${c.id}`)).body;
    expect(own.actions.map((a: { action: string }) => a.action)).toEqual([
      'record_response',
      'link_nc',
      'link_capa',
      'investigate',
      'no_investigation',
    ]);
    expect(own.actions.find((a: { action: string }) => a.action === 'investigate')).toMatchObject({
      signature: 'reviewed',
      needsValues: true,
    });
    expect((await op.get(`/api/v1/complaints/${c.id}`)).body.actions).toEqual([]);
  });

  it('refuses the wrong role (an operator records or investigates no complaint), writing nothing', async () => {
    const c = await open();
    await refused(t, () => op.post('/api/v1/complaints', complaintBody(lotNumber)), 403, 'FORBIDDEN');
    await refused(t, () => act(op, c.id, 'investigate', { findings: 'x', ...sign }), 403, 'FORBIDDEN');
    await refused(t, () => act(op, c.id, 'link_nc', { ncId: 'nc-1' }), 403, 'FORBIDDEN');
  });

  it("on a wrong password writes only the failed attempt on the signer's account", async () => {
    const c = await open();
    await refused(
      t,
      () => act(qaEng, c.id, 'investigate', { findings: 'Retained samples leak-tested.', password: 'wrong-one' }),
      401,
      'INVALID_CREDENTIALS',
      1,
    );
    expect((await qaEng.get(`/api/v1/complaints/${c.id}`)).body).toMatchObject({ status: 'open', pending: null });
  });

  it('refuses a version the record is not at (stale view), writing nothing', async () => {
    const c = await open();
    await refused(
      t,
      () => act(qaEng, c.id, 'investigate', { findings: 'x', version: c.version + 1, ...sign }),
      409,
      'STALE_VERSION',
    );
    await refused(
      t,
      () => act(qaEng, c.id, 'record_response', { reply: 'Letter sent.', version: c.version + 1 }),
      409,
      'STALE_VERSION',
    );
  });

  it('refuses closure by whoever investigated (separation of duties) and by a role without complaints.close', async () => {
    const c = await open(qa);
    const inv = await act(qa, c.id, 'investigate', { findings: 'Leak reproduced on 3 of 20 retained sets.', ...sign });
    expect(inv.status).toBe(200);
    expect(inv.body.actions.map((a: { action: string }) => a.action)).not.toContain('close');
    await refused(t, () => act(qa, c.id, 'close', sign), 403, 'COMPLAINT_CLOSER_INVESTIGATED');
    await refused(t, () => act(qaEng, c.id, 'close', sign), 403, 'FORBIDDEN');
  });

  it('investigated by one, closed by QA: each step signed, with its manifestation', async () => {
    const c = await open();
    const inv = await act(qaEng, c.id, 'investigate', {
      findings: 'Leak reproduced on 3 of 20 retained sets; drip chamber weld.',
      codesB: ['B03'],
      codesC: ['C16'],
      codesD: ['D03'],
      version: c.version,
      ...sign,
    });
    expect(inv.status).toBe(200);
    expect(inv.body).toMatchObject({
      status: 'investigated',
      investigation: { investigated: true, codes: { B: ['B03'], C: ['C16'], D: ['D03'], G: [] } },
    });
    expect(inv.body.investigation.signed.by).toContain('Wang Fang');
    expect(
      (await qa.get(`/api/v1/complaints/${c.id}`)).body.actions.map((a: { action: string }) => a.action),
    ).toContain('close');
    const closed = await act(qa, c.id, 'close', sign);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closure: { by: expect.stringContaining('Li Wei') } });
    expect(closed.body.signatures.map((x: { meaning: string }) => x.meaning)).toEqual(['reviewed', 'approved']);
    await refused(t, () => act(qa, c.id, 'close', sign), 409, 'COMPLAINT_WRONG_STATE');
  });

  it('refuses operator-injected input ({"$ne": null}) in the body and the query, writing nothing', async () => {
    const c = await open();
    const ne = { $ne: null };
    await refused(
      t,
      () => qaEng.post('/api/v1/complaints', complaintBody(lotNumber, { lot: ne })),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      t,
      () =>
        qaEng.post(
          '/api/v1/complaints',
          complaintBody(lotNumber, { complainant: { name: ne, address: 'a', phone: '1' } }),
        ),
      400,
      'VALIDATION_FAILED',
    );
    await refused(t, () => act(qaEng, c.id, 'link_nc', { ncId: ne }), 400, 'VALIDATION_FAILED');
    await refused(t, () => act(qaEng, c.id, 'no_investigation', { reason: ne, ...sign }), 400, 'VALIDATION_FAILED');
    expect((await qaEng.get('/api/v1/complaints?status[$ne]=closed')).status).toBe(400);
    expect((await qaEng.get('/api/v1/complaints?product[$ne]=x')).status).toBe(400);
  });
});
