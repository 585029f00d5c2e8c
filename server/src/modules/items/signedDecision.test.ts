import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { SYSTEM_ACTOR } from '../../platform/context.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { EVENTS } from '../../ledger/ledger.ts';
import { createLot } from '../inventory/service.ts';

// Issue 9, finding 9: a refused signed decision writes nothing — no proposal, no number, no
// signature — whatever rule refuses it and whatever roles the caller holds. Only a wrong password
// leaves one event: the failed attempt on the signer's own account (21 CFR 11.300(d)).
let t: TestServer;
let admin: Client, qa: Client, qaEng: Client, wh: Client, purchaser: Client;
let ids: Record<string, string>;
const sign = { password: DEMO_PASSWORD };
const wrong = { password: 'not-the-password' };
const count = () => t.services.db.collection(EVENTS).countDocuments({});
const lastOf = async (stream: string) =>
  (await t.services.db.collection(EVENTS).find({ stream }).sort({ version: -1 }).limit(1).next())!;

/** Runs `call`, expects `status`/`code`, and that the ledger grew by exactly `grows` events (none on `stream`). */
async function refusedWithNothingWritten(
  stream: string,
  call: () => Promise<{ status: number; body: any }>,
  status: number,
  code: string,
  grows = 0,
) {
  const before = await count();
  const head = (await lastOf(stream)).version;
  const r = await call();
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error.code).toBe(code);
  expect(await count()).toBe(before + grows);
  expect((await lastOf(stream)).version).toBe(head);
  return r;
}
/** A wrong password: refused with 401, and the only event is the failed attempt on the signer's account. */
async function wrongPassword(who: string, stream: string, call: () => Promise<{ status: number; body: any }>) {
  await refusedWithNothingWritten(stream, call, 401, 'INVALID_CREDENTIALS', 1);
  expect(await lastOf(`user:${ids[who]}`)).toMatchObject({ type: 'auth.signatureFailed', data: { stream } });
  await as(t.url, who); // a good sign-in clears the failed attempts, so the next case is not a lockout
}

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [admin, qa, qaEng, wh, purchaser] = await Promise.all(
    ['admin', 'qa.manager', 'qa.engineer', 'warehouse', 'purchaser'].map((u) => as(t.url, u)),
  );
  ids = Object.fromEntries(
    (await admin.get('/api/v1/users')).body.map((u: { username: string; id: string }) => [u.username, u.id]),
  );
});
afterAll(async () => {
  await t?.stop();
});

describe('a refused signed decision writes nothing', () => {
  it('work order QA release: the planner holding qa_manager is refused (separation of duties), so is a wrong password', async () => {
    const wos = await t.services.db.collection('workorders').find({ state: 'completed' }).toArray();
    const ready = [];
    for (const w of wos)
      if (
        (await qa.get(`/api/v1/workorders/${w._id}`)).body.actions.some(
          (a: { action: string }) => a.action === 'qa_release',
        )
      )
        ready.push(w);
    expect(ready.length).toBeGreaterThan(0);
    const target = ready[0];
    const planner = (await admin.get(`/api/v1/users/${target.createdBy.id}`)).body;
    expect(planner.roles).not.toContain('qa_manager');
    expect((await admin.patch(`/api/v1/users/${planner.id}`, { roles: [...planner.roles, 'qa_manager'] })).status).toBe(
      200,
    );
    const p = await as(t.url, planner.username);
    const stream = `workorder:${target._id}`;
    const version = (await p.get(`/api/v1/workorders/${target._id}`)).body.ledgerVersion;
    await refusedWithNothingWritten(
      stream,
      () => p.post(`/api/v1/workorders/${target._id}/actions/qa_release`, { version, ...sign }),
      409,
      'SIGNER_IS_AUTHOR',
    );
    await wrongPassword('qa.manager', stream, () =>
      qa.post(`/api/v1/workorders/${target._id}/actions/qa_release`, { version, ...wrong }),
    );
    // and the one who may, can
    const ok = await qa.post(`/api/v1/workorders/${target._id}/actions/qa_release`, { version, ...sign });
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe('closed');
  });

  it('lot release from hold and scrap: a wrong password, too much to scrap, the wrong role', async () => {
    const item = (await wh.get('/api/v1/items')).body.find(
      (i: { partNumber: string }) => i.partNumber === 'CP-LUER-001',
    );
    const id = randomUUID();
    await createLot(
      t.services,
      id,
      'lot.produced',
      {
        item: { id: item.id, partNumber: item.partNumber, name: item.name, unit: item.unit, control: item.control },
        lotNumber: `R-${id.slice(0, 8)}`,
        kind: 'lot',
        serial: null,
        quantity: 10,
        location: 'WH1-QA-01',
        status: 'released',
        expiryDate: addDays(todayUtc(), 300),
        source: 'test-factory',
      },
      SYSTEM_ACTOR,
    );
    expect((await wh.post(`/api/v1/lots/${id}/hold`, { reason: 'damaged cartons' })).status).toBe(200);
    const stream = `lot:${id}`;
    await wrongPassword('qa.manager', stream, () =>
      qa.post(`/api/v1/lots/${id}/release-hold`, { reason: 'cartons fine', ...wrong }),
    );
    await refusedWithNothingWritten(
      stream,
      () => wh.post(`/api/v1/lots/${id}/release-hold`, { reason: 'cartons fine', ...sign }),
      403,
      'FORBIDDEN',
    );
    const tooMuch = await refusedWithNothingWritten(
      stream,
      () => qa.post(`/api/v1/lots/${id}/scrap`, { reason: 'crushed', quantity: 11, ...sign }),
      409,
      'INSUFFICIENT_QUANTITY',
    );
    expect(tooMuch.body.error.message).toBeTruthy();
    await wrongPassword('qa.engineer', stream, () =>
      qaEng.post(`/api/v1/lots/${id}/scrap`, { reason: 'crushed', quantity: 2, ...wrong }),
    );
    const ok = await qa.post(`/api/v1/lots/${id}/release-hold`, { reason: 'cartons fine', ...sign });
    expect(ok.body.status).toBe('released');
  });

  it('inspection disposition: the inspector releasing their own results, a wrong password on a rejection (no NC number taken)', async () => {
    const open = (await qaEng.get('/api/v1/inspections?status=open')).body;
    expect(open.length).toBeGreaterThan(0);
    const insp = (await qaEng.get(`/api/v1/inspections/${open[0].id}`)).body;
    const n = insp.plan.sampleSize;
    const measurements = insp.characteristics.map(
      (c: { name: string; lower: number | null; upper: number | null }) => ({
        characteristic: c.name,
        values: Array(n).fill(
          c.lower !== null && c.upper !== null ? (c.lower + c.upper) / 2 : (c.lower ?? c.upper ?? 1),
        ),
      }),
    );
    const results = await qaEng.post(`/api/v1/inspections/${insp.id}/results`, { measurements });
    expect(results.status, JSON.stringify(results.body)).toBe(200);
    expect(results.body.result).toBe('pass');
    const stream = `lot:${insp.lotIds[0]}`;
    await refusedWithNothingWritten(
      stream,
      () => qaEng.post(`/api/v1/inspections/${insp.id}/disposition`, { decision: 'release', ...sign }),
      409,
      'SIGNER_IS_AUTHOR',
    );
    await wrongPassword('qa.manager', stream, () =>
      qa.post(`/api/v1/inspections/${insp.id}/disposition`, { decision: 'reject', reason: 'wrong colour', ...wrong }),
    );
    await refusedWithNothingWritten(
      stream,
      () => wh.post(`/api/v1/inspections/${insp.id}/disposition`, { decision: 'release', ...sign }),
      403,
      'FORBIDDEN',
    );
    const ok = await qa.post(`/api/v1/inspections/${insp.id}/disposition`, { decision: 'release', ...sign });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.status).toBe('dispositioned');
  });

  it('supplier qualification: unchanged status, a wrong password, the wrong role', async () => {
    const sup = (await qa.get('/api/v1/suppliers?status=approved')).body[0];
    const stream = `supplier:${sup.code}`;
    const body = { status: 'conditional', reason: 'late deliveries under review' };
    await refusedWithNothingWritten(
      stream,
      () => qa.post(`/api/v1/suppliers/${sup.code}/qualification`, { ...body, status: 'approved', ...sign }),
      409,
      'QUALIFICATION_UNCHANGED',
    );
    await wrongPassword('qa.manager', stream, () =>
      qa.post(`/api/v1/suppliers/${sup.code}/qualification`, { ...body, ...wrong }),
    );
    await refusedWithNothingWritten(
      stream,
      () => purchaser.post(`/api/v1/suppliers/${sup.code}/qualification`, { ...body, ...sign }),
      403,
      'FORBIDDEN',
    );
  });

  it('PO approval: the wrong role and a wrong password', async () => {
    const po = (await qa.get('/api/v1/purchase-orders?status=pending_approval')).body[0];
    expect(po).toBeDefined();
    const stream = `po:${po.id}`;
    const version = (await qa.get(`/api/v1/purchase-orders/${po.id}`)).body.version;
    await refusedWithNothingWritten(
      stream,
      () => purchaser.post(`/api/v1/purchase-orders/${po.id}/approve`, { version, ...sign }),
      403,
      'FORBIDDEN',
    );
    await wrongPassword('qa.manager', stream, () =>
      qa.post(`/api/v1/purchase-orders/${po.id}/approve`, { version, ...wrong }),
    );
  });
});
