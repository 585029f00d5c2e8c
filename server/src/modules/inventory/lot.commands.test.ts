import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { SYSTEM_ACTOR } from '../../platform/context.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { createLot } from './service.ts';

// Issue 10: every lot action runs through the lot's one declaration (lot.lifecycle.ts) and the one
// command path. A refused action — wrong role, separation of duties, wrong password, stale
// version — writes nothing (a wrong password only its failed attempt on the signer's account),
// and the lot's GET says what the user may do now.
let t: TestServer;
let wh: Client, qa: Client, qaEng: Client, rev: Client, admin: Client;
let ids: Record<string, string>;
const sign = { password: DEMO_PASSWORD };
const enc = encodeURIComponent;

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [wh, qa, qaEng, rev, admin] = await Promise.all(
    ['warehouse', 'qa.manager', 'qa.engineer', 'reviewer', 'admin'].map((u) => as(t.url, u)),
  );
  ids = Object.fromEntries(
    (await admin.get('/api/v1/users')).body.map((u: { username: string; id: string }) => [u.username, u.id]),
  );
});
afterAll(async () => {
  await t?.stop();
});

async function lot(status = 'released', location = 'WH1-RAW-01') {
  const item = (await wh.get('/api/v1/items')).body.find((i: { partNumber: string }) => i.partNumber === 'CP-LUER-001');
  const id = randomUUID();
  await createLot(
    t.services,
    id,
    'lot.produced',
    {
      item: { id: item.id, partNumber: item.partNumber, name: item.name, unit: item.unit, control: item.control },
      lotNumber: `C-${id.slice(0, 8)}`,
      kind: 'lot',
      serial: null,
      quantity: 20,
      location,
      status,
      expiryDate: addDays(todayUtc(), 300),
      source: 'test-factory',
    },
    SYSTEM_ACTOR,
  );
  return id;
}
const get = async (c: Client, id: string) => (await c.get(`/api/v1/lots/${id}`)).body;
const names = (l: { actions: Array<{ action: string }> }) => l.actions.map((a) => a.action);

describe('lot commands', () => {
  it('GET names the actions the user may take now; none for a viewer', async () => {
    const id = await lot();
    expect(names(await get(wh, id))).toEqual(['move', 'adjust', 'count', 'issue', 'hold']); // a lot, not a serial: nothing to ship
    expect(names(await get(rev, id))).toEqual([]);
    const held = await wh.post(`/api/v1/lots/${id}/hold`, { reason: 'carton damage' });
    expect(held.status).toBe(200);
    expect(names(held.body)).toEqual(['move', 'adjust', 'count']); // the response of an action carries them too
    const forQa = (await get(qa, id)).actions;
    expect(forQa).toEqual(
      expect.arrayContaining([
        {
          action: 'release_hold',
          signature: 'released',
          needsReason: true,
          needsDate: false,
          needsValues: false,
          scope: null,
        },
        { action: 'scrap', signature: 'approved', needsReason: true, needsDate: false, needsValues: true, scope: null },
      ]),
    );
    expect(forQa.map((a: { action: string }) => a.action)).not.toContain('hold');
    expect((await get(rev, id)).actions).toEqual([]);
    // release, rejection and conditional use are the incoming inspection's, never offered on the lot page
    const q = await lot('quarantine', 'WH1-QA-01');
    expect(names(await get(qa, q))).toEqual(['hold', 'scrap']);
  });

  it('the wrong role is refused on the action route and through the generic signature route, writing nothing', async () => {
    const id = await lot();
    await wh.post(`/api/v1/lots/${id}/hold`, { reason: 'complaint CC-9' });
    // a decision proposed and not yet signed (as after a crash between proposal and signature)
    await t.services.ledger.append(`lot:${id}`, 'lot.decisionProposed', {
      decision: 'release_hold',
      reason: 'not lot-related',
    });
    const { version } = await get(wh, id);
    const mark = await markLedger(t.services);
    const r = await wh.post(`/api/v1/lots/${id}/release-hold`, { reason: 'ok', ...sign });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FORBIDDEN');
    // a signature by meaning performs the pending action through the same declaration: the same refusal
    const viaSignature = await wh.post(`/api/v1/records/${enc(`lot:${id}`)}/signatures`, {
      meaning: 'released',
      version,
      ...sign,
    });
    expect(viaSignature.status).toBe(403);
    expect(viaSignature.body.error.code).toBe('FORBIDDEN');
    await expectNothingWritten(t.services, mark);
  });

  it('separation of duties: the inspector of a lot may not release it (not_inspector), nothing written', async () => {
    const id = await lot('quarantine', 'WH1-QA-01');
    const stream = `lot:${id}`;
    await t.services.ledger.append(stream, 'lot.inspected', {
      inspectionId: 'x',
      result: 'pass',
      defectives: 0,
      sampleSize: 5,
      inspector: { id: ids['qa.engineer'], name: 'Wang Fang' },
    });
    await t.services.ledger.append(stream, 'lot.decisionProposed', { decision: 'release', reason: 'passed' });
    const { version } = await get(qaEng, id);
    const mark = await markLedger(t.services);
    const r = await qaEng.post(`/api/v1/records/${enc(stream)}/signatures`, { meaning: 'released', version, ...sign });
    expect(r.status, JSON.stringify(r.body)).toBe(409);
    expect(r.body.error.code).toBe('SIGNER_IS_AUTHOR');
    await expectNothingWritten(t.services, mark);
    const lifecycle = (await qa.get('/api/v1/lifecycles/lot')).body;
    expect(
      lifecycle.transitions
        .find((x: { name: string }) => x.name === 'release')
        .separation.map((x: { rule: string }) => x.rule),
    ).toEqual(['not_inspector']);
  });

  it('a wrong password appends nothing but its failed attempt, numbers nothing', async () => {
    const id = await lot();
    await wh.post(`/api/v1/lots/${id}/hold`, { reason: 'label mix-up suspected' });
    const mark = await markLedger(t.services);
    const r = await qa.post(`/api/v1/lots/${id}/release-hold`, {
      reason: 'labels checked',
      password: 'not-the-password',
    });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('INVALID_CREDENTIALS');
    await expectNothingWritten(t.services, mark, { allowUserEvents: 1 });
    await as(t.url, 'qa.manager'); // a good sign-in clears the failed attempt
    const scrap = await qa.post(`/api/v1/lots/${id}/scrap`, {
      quantity: 2,
      reason: 'crushed',
      password: 'not-the-password',
    });
    expect(scrap.status).toBe(401);
    await as(t.url, 'qa.manager');
    const ok = await qa.post(`/api/v1/lots/${id}/release-hold`, { reason: 'labels checked', ...sign });
    expect(ok.body).toMatchObject({ status: 'released', hold: null });
  });

  it('a stale version is refused (409 STALE_VERSION) before anything, signed or not', async () => {
    const id = await lot();
    const seen = (await get(wh, id)).version;
    expect(
      (await wh.post(`/api/v1/lots/${id}/move`, { from: 'WH1-RAW-01', to: 'WH2-FG-01', quantity: 1, version: seen }))
        .status,
    ).toBe(200);
    const mark = await markLedger(t.services);
    const move = await wh.post(`/api/v1/lots/${id}/move`, {
      from: 'WH1-RAW-01',
      to: 'WH2-FG-01',
      quantity: 1,
      version: seen,
    });
    expect(move.status).toBe(409);
    expect(move.body.error.code).toBe('STALE_VERSION');
    const scrap = await qa.post(`/api/v1/lots/${id}/scrap`, { quantity: 1, reason: 'dropped', version: seen, ...sign });
    expect(scrap.status).toBe(409);
    expect(scrap.body.error.code).toBe('STALE_VERSION');
    await expectNothingWritten(t.services, mark); // not even a password check on the signer's account
  });
});
