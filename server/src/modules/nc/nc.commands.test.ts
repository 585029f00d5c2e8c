import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { lotOf, ncOn } from './nc.factory.ts';

// Every NC action runs through the NC's one declaration (nc.lifecycle.ts) and the one command
// path. A refused action — wrong role, separation of duties, wrong password, stale version, a
// quantity the NC does not hold, a closure with quantity left undisposed, an operator object in a
// field — writes nothing (a wrong password only its failed attempt on the signer's account).
let t: TestServer;
let qa: Client, qaEng: Client, rev: Client, wh: Client;
const sign = { password: DEMO_PASSWORD };

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, qaEng, rev, wh] = await Promise.all(
    ['qa.manager', 'qa.engineer', 'reviewer', 'warehouse'].map((u) => as(t.url, u)),
  );
});
afterAll(async () => {
  await t?.stop();
});

const refused = async (
  f: () => Promise<{ status: number; body: any }>,
  status: number,
  code: string,
  allowUserEvents = 0,
) => {
  const mark = await markLedger(t.services);
  const r = await f();
  expect([r.status, r.body?.error?.code]).toEqual([status, code]);
  await expectNothingWritten(t.services, mark, { allowUserEvents });
};
const nc = async (c: Client, id: string) => (await c.get(`/api/v1/ncs/${id}`)).body;
const names = (n: { actions: Array<{ action: string }> }) => n.actions.map((a) => a.action);

describe('nonconformance commands', () => {
  it('GET names the actions the user may take now, per lot; none for a viewer', async () => {
    const lot = await lotOf(t, wh);
    const n = await ncOn(qaEng, lot, 5);
    expect((await nc(qa, n.id)).actions).toEqual(
      expect.arrayContaining([
        {
          action: 'use_as_is',
          signature: 'approved',
          needsReason: false,
          needsDate: false,
          needsValues: true,
          scope: null,
          target: { lotId: lot },
        },
        expect.objectContaining({ action: 'dispose', signature: 'approved', target: { lotId: lot } }),
      ]),
    );
    expect(names(await nc(qa, n.id))).not.toContain('close'); // 5 still undisposed
    expect(names(await nc(qaEng, n.id))).toEqual(['dispose', 'link_capa']); // no concession authority
    expect(names(await nc(rev, n.id))).toEqual([]);
  });

  it('refuses the wrong role: opening, a concession, a disposition, a closure; writing nothing', async () => {
    const lot = await lotOf(t, wh);
    await refused(
      () =>
        rev.post('/api/v1/ncs', {
          source: { kind: 'internal_audit', reference: 'x' },
          lots: [],
          itemId: 'x',
          description: 'd',
        }),
      403,
      'FORBIDDEN',
    );
    const n = await ncOn(qa, lot, 5);
    const body = { lotId: lot, quantity: 1, justification: 'cosmetic only', ...sign };
    await refused(() => qaEng.post(`/api/v1/ncs/${n.id}/use-as-is`, body), 403, 'FORBIDDEN');
    await refused(() => rev.post(`/api/v1/ncs/${n.id}/dispose`, { ...body, decision: 'scrap' }), 403, 'FORBIDDEN');
    await refused(() => qaEng.post(`/api/v1/ncs/${n.id}/close`, sign), 403, 'FORBIDDEN');
  });

  it('refuses a concession by whoever opened the NC (separation of duties, ISO 13485 8.3.2), writing nothing', async () => {
    const n = await ncOn(qa, await lotOf(t, wh), 5);
    expect(names(await nc(qa, n.id))).not.toContain('use_as_is');
    const lot = (await nc(qa, n.id)).lots[0].lotId;
    await refused(
      () => qa.post(`/api/v1/ncs/${n.id}/use-as-is`, { lotId: lot, quantity: 1, justification: 'ok', ...sign }),
      409,
      'SIGNER_IS_AUTHOR',
    );
    const decl = (await qa.get('/api/v1/lifecycles/nc')).body;
    expect(decl.transitions.find((x: { name: string }) => x.name === 'use_as_is').separation).toEqual([
      expect.objectContaining({ rule: 'not_opener', code: 'SIGNER_IS_AUTHOR' }),
    ]);
  });

  it("on a wrong password writes only the failed attempt on the signer's account", async () => {
    const lot = await lotOf(t, wh);
    const n = await ncOn(qaEng, lot, 5);
    const body = { lotId: lot, quantity: 1, justification: 'scrap it', decision: 'scrap', password: 'not-mine' };
    await refused(() => qa.post(`/api/v1/ncs/${n.id}/dispose`, body), 401, 'INVALID_CREDENTIALS', 1);
    expect((await wh.get(`/api/v1/lots/${lot}`)).body.quantity).toBe(20); // nothing scrapped
  });

  it('refuses a version the NC is not at (stale view), writing nothing', async () => {
    const lot = await lotOf(t, wh);
    const n = await ncOn(qaEng, lot, 5);
    const body = { lotId: lot, quantity: 1, justification: 'j', decision: 'rework', ...sign, version: n.version + 1 };
    await refused(() => qa.post(`/api/v1/ncs/${n.id}/dispose`, body), 409, 'STALE_VERSION');
  });

  it('refuses a disposition larger than the undisposed affected quantity (409), writing nothing', async () => {
    const lot = await lotOf(t, wh);
    const n = await ncOn(qaEng, lot, 5);
    const over = { lotId: lot, justification: 'j', decision: 'rework', ...sign };
    await refused(
      () => qa.post(`/api/v1/ncs/${n.id}/dispose`, { ...over, quantity: 6 }),
      409,
      'NC_DISPOSITION_EXCEEDS',
    );
    expect((await qa.post(`/api/v1/ncs/${n.id}/dispose`, { ...over, quantity: 4 })).status).toBe(200);
    await refused(
      () => qa.post(`/api/v1/ncs/${n.id}/dispose`, { ...over, quantity: 2 }),
      409,
      'NC_DISPOSITION_EXCEEDS',
    );
    await refused(
      () => qa.post(`/api/v1/ncs/${n.id}/dispose`, { ...over, lotId: 'not-a-lot', quantity: 1 }),
      409,
      'NC_LOT_NOT_AFFECTED',
    );
  });

  it('refuses closing with undisposed quantity (409), writing nothing', async () => {
    const lot = await lotOf(t, wh);
    const n = await ncOn(qaEng, lot, 5);
    await refused(() => qa.post(`/api/v1/ncs/${n.id}/close`, sign), 409, 'NC_UNDISPOSED_QUANTITY');
  });

  it('refuses {"$ne": null} and other malformed input in any field (400), writing nothing', async () => {
    const lot = await lotOf(t, wh);
    const n = await ncOn(qaEng, lot, 5);
    const ne = { $ne: null };
    const open = {
      source: { kind: 'internal_audit', reference: 'r' },
      lots: [{ lotId: lot, quantity: 1 }],
      description: 'd',
    };
    for (const bad of [
      { ...open, description: ne },
      { ...open, lots: [{ lotId: ne, quantity: 1 }] },
      { ...open, source: { kind: 'complaint', complaintId: ne } },
      { ...open, source: { kind: ne } },
      { ...open, lots: [{ lotId: lot, quantity: -1 }] },
      { ...open, description: 'x'.repeat(5000) },
      { ...open, extra: 1 },
    ])
      await refused(() => qaEng.post('/api/v1/ncs', bad), 400, 'VALIDATION_FAILED');
    const d = { lotId: lot, quantity: 1, justification: 'j', decision: 'rework', ...sign };
    for (const bad of [
      { ...d, lotId: ne },
      { ...d, quantity: ne },
      { ...d, decision: ne },
      { ...d, password: ne },
    ])
      await refused(() => qa.post(`/api/v1/ncs/${n.id}/dispose`, bad), 400, 'VALIDATION_FAILED');
    await refused(() => qa.post(`/api/v1/ncs/${n.id}/link-capa`, { capaId: ne }), 400, 'VALIDATION_FAILED');
    expect((await qa.get(`/api/v1/ncs?status=${encodeURIComponent(JSON.stringify(ne))}`)).status).toBe(400);
    expect((await qa.get('/api/v1/ncs?status[$ne]=null')).status).toBe(400);
  });
});
