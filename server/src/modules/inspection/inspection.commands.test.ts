import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { SYSTEM_ACTOR } from '../../platform/context.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import type { ItemDoc } from '../items/item.record.ts';
import { createLot } from '../inventory/service.ts';
import { openInspection } from './service.ts';

// Issue 10: the incoming inspection's actions (results, correction, release, reject, conditional
// use) run through its one declaration (inspection.lifecycle.ts) and the command path; the
// disposition's signatures are the lots'. A refused action writes nothing — no lot proposal, no
// signature, no NC number — and the inspection's GET says what the user may do now.
let t: TestServer;
let wh: Client, qa: Client, qaEng: Client, rev: Client;
const sign = { password: DEMO_PASSWORD };

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [wh, qa, qaEng, rev] = await Promise.all(
    ['warehouse', 'qa.manager', 'qa.engineer', 'reviewer'].map((u) => as(t.url, u)),
  );
});
afterAll(async () => {
  await t?.stop();
});

/** A received lot in quarantine and its open inspection (as a receipt makes them). */
async function received() {
  const item = (await t.services.db.collection<ItemDoc>('items').findOne({ partNumber: 'CP-DRP-001' }))!;
  const lotId = randomUUID();
  const inspectionId = randomUUID();
  await createLot(
    t.services,
    lotId,
    'lot.received',
    {
      item: { id: item._id, partNumber: item.partNumber, name: item.name, unit: item.unit, control: item.control },
      lotNumber: `I-${lotId.slice(0, 8)}`,
      kind: 'lot',
      serial: null,
      quantity: 50,
      location: 'WH1-QA-01',
      expiryDate: addDays(todayUtc(), 300),
      inspectionId,
      source: 'test-factory',
    },
    SYSTEM_ACTOR,
  );
  await openInspection(t.services, SYSTEM_ACTOR, inspectionId, {
    lotIds: [lotId],
    lotNumber: `I-${lotId.slice(0, 8)}`,
    item,
    quantity: 50,
    supplier: null,
    po: null,
    receiptId: null,
  });
  return { lotId, id: inspectionId };
}
const get = async (c: Client, id: string) => (await c.get(`/api/v1/inspections/${id}`)).body;
const names = (d: { actions: Array<{ action: string }> }) => d.actions.map((a) => a.action);
/** Results within the limits of every characteristic (a pass). */
async function pass(c: Client, id: string) {
  const insp = await get(c, id);
  const measurements = insp.characteristics.map((x: { name: string; lower: number | null; upper: number | null }) => ({
    characteristic: x.name,
    values: Array(insp.plan.sampleSize).fill(
      x.lower !== null && x.upper !== null ? (x.lower + x.upper) / 2 : (x.lower ?? x.upper ?? 1),
    ),
  }));
  const r = await c.post(`/api/v1/inspections/${id}/results`, { measurements });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { r, measurements };
}

describe('inspection commands', () => {
  it('GET names the actions the user may take now, with the signature the lots receive; none for a viewer', async () => {
    const { id } = await received();
    expect(names(await get(qaEng, id))).toEqual(['record_results', 'reject']);
    expect((await get(rev, id)).actions).toEqual([]);
    const { r } = await pass(wh, id);
    expect(names(r.body)).toEqual(['correct_results']); // the inspector may correct, with a reason; not decide
    expect(r.body.actions[0]).toMatchObject({ needsReason: true, needsValues: true, signature: null });
    expect((await get(qa, id)).actions).toEqual([
      {
        action: 'release',
        signature: 'released',
        needsReason: false,
        needsDate: false,
        needsValues: false,
        scope: null,
      },
      { action: 'reject', signature: 'rejected', needsReason: true, needsDate: false, needsValues: false, scope: null },
      {
        action: 'conditional',
        signature: 'approved',
        needsReason: true,
        needsDate: false,
        needsValues: false,
        scope: null,
      },
    ]);
    expect((await get(rev, id)).actions).toEqual([]);
    const done = await qa.post(`/api/v1/inspections/${id}/disposition`, { decision: 'release', ...sign });
    expect(done.body).toMatchObject({ status: 'dispositioned', actions: [] });
    expect(
      (await qa.get('/api/v1/lifecycles/inspection')).body.transitions.map((x: { name: string }) => x.name),
    ).toEqual(['record_results', 'correct_results', 'release', 'reject', 'conditional']);
  });

  it('the wrong role: conditional use needs the QA manager (the declaration refuses it, not only the route)', async () => {
    const { id } = await received();
    await pass(wh, id);
    const mark = await markLedger(t.services);
    const r = await qaEng.post(`/api/v1/inspections/${id}/disposition`, {
      decision: 'conditional',
      reason: 'usable on line 2',
      ...sign,
    });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FORBIDDEN');
    expect((await rev.post(`/api/v1/inspections/${id}/disposition`, { decision: 'release', ...sign })).status).toBe(
      403,
    );
    await expectNothingWritten(t.services, mark);
    expect((await get(qa, id)).status).toBe('completed');
  });

  it('separation of duties: the inspector may not release on their own results (not_inspector)', async () => {
    const { id, lotId } = await received();
    await pass(qaEng, id);
    const mark = await markLedger(t.services);
    const r = await qaEng.post(`/api/v1/inspections/${id}/disposition`, { decision: 'release', ...sign });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('SIGNER_IS_AUTHOR');
    await expectNothingWritten(t.services, mark);
    expect(names(await get(qaEng, id))).toEqual(['correct_results', 'reject']); // release is not offered to them either
    expect((await qa.get(`/api/v1/lots/${lotId}`)).body.status).toBe('quarantine');
    const sep = (await qa.get('/api/v1/lifecycles/inspection')).body.transitions.find(
      (x: { name: string }) => x.name === 'release',
    ).separation;
    expect(sep.map((x: { rule: string }) => x.rule)).toEqual(['not_inspector']);
  });

  it('a wrong password on a rejection writes only its failed attempt: no proposal, no signature, no NC number', async () => {
    const { id, lotId } = await received();
    await pass(wh, id);
    const mark = await markLedger(t.services);
    const r = await qa.post(`/api/v1/inspections/${id}/disposition`, {
      decision: 'reject',
      reason: 'wrong colour',
      password: 'not-the-password',
    });
    expect(r.status).toBe(401);
    await expectNothingWritten(t.services, mark, { allowUserEvents: 1 });
    await as(t.url, 'qa.manager'); // a good sign-in clears the failed attempt
    const ok = await qa.post(`/api/v1/inspections/${id}/disposition`, {
      decision: 'reject',
      reason: 'wrong colour',
      ...sign,
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.disposition.ncId).toBeTruthy();
    expect((await qa.get(`/api/v1/lots/${lotId}`)).body).toMatchObject({
      status: 'rejected',
      nonconformance: { status: 'open' },
    });
    // the NC (modules/nc) names the rejected lot for the MRB; its opener may dispose but not grant a concession
    const nc = (await qa.get(`/api/v1/nonconformances/${ok.body.disposition.ncId}`)).body;
    expect(nc.lots).toEqual([expect.objectContaining({ lotId, undisposed: nc.lots[0].quantity })]);
    expect(nc.actions.map((a: { action: string }) => a.action)).toEqual(['dispose', 'link_capa']);
  });

  it('a stale version is refused (409 STALE_VERSION) before the password, and for a correction', async () => {
    const { id } = await received();
    const seen = (await get(wh, id)).version;
    const { measurements } = await pass(wh, id);
    const mark = await markLedger(t.services);
    const release = await qa.post(`/api/v1/inspections/${id}/disposition`, {
      decision: 'release',
      version: seen,
      ...sign,
    });
    expect(release.status).toBe(409);
    expect(release.body.error.code).toBe('STALE_VERSION');
    const correction = await wh.post(`/api/v1/inspections/${id}/results`, {
      measurements,
      reason: 'typo',
      version: seen,
    });
    expect(correction.body.error.code).toBe('STALE_VERSION');
    await expectNothingWritten(t.services, mark);
    const noReason = await wh.post(`/api/v1/inspections/${id}/results`, { measurements });
    expect(noReason.status).toBe(400); // a correction needs its reason
  });
});
