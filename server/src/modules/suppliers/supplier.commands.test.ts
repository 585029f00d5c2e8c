import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';

// Suppliers on the one command path (supplier.lifecycle.ts). A supplier has no separation-of-duties
// rule: a qualification decision is QA's own, proposed and signed by the same person in one step,
// on evidence others bring (the tests show the role rule instead). Nothing on a supplier is numbered.
let t: TestServer;
let qa: Client, purchaser: Client, op: Client;
const sign = { password: DEMO_PASSWORD };
const decision = (action: string) => ({
  action,
  signature: 'approved',
  needsReason: true,
  needsDate: false,
  needsValues: false,
  scope: null,
});

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, purchaser, op] = await Promise.all(['qa.manager', 'purchaser', 'operator'].map((u) => as(t.url, u)));
});
afterAll(async () => {
  await t?.stop();
});

describe('supplier actions', () => {
  it('GET returns the actions this user may take now, and none for a reader', async () => {
    const sup = (await qa.get('/api/v1/suppliers/SUP-JINGMO')).body;
    expect(sup.status).toBe('approved');
    const mine = sup.actions.map((a: { action: string }) => a.action);
    expect(mine).toEqual(
      expect.arrayContaining([
        'approve_conditionally',
        'disqualify',
        'update',
        'add_evidence',
        'add_to_asl',
        'evaluate',
      ]),
    );
    expect(mine).not.toContain('approve'); // already approved
    expect(sup.actions.filter((a: { signature: string | null }) => a.signature)).toEqual([
      decision('approve_conditionally'),
      decision('disqualify'),
    ]);
    // one removal per item on the approved supplier list
    expect(
      sup.actions
        .filter((a: { action: string }) => a.action === 'remove_from_asl')
        .map((a: { target: { itemId: string } }) => a.target.itemId)
        .sort(),
    ).toEqual(sup.approvedItems.map((i: { itemId: string }) => i.itemId).sort());
    expect(
      (await purchaser.get('/api/v1/suppliers/SUP-JINGMO')).body.actions
        .map((a: { action: string }) => a.action)
        .sort(),
    ).toEqual(['add_evidence', 'evaluate', 'update']);
    expect((await op.get('/api/v1/suppliers/SUP-JINGMO')).body.actions).toEqual([]);
  });

  it('a decision: the wrong role, the same status, a wrong password and a stale version write nothing', async () => {
    expect(
      (await purchaser.post('/api/v1/suppliers', { code: 'SUP-CMD', name: { zh: '命令测试', en: 'Command test' } }))
        .status,
    ).toBe(201);
    const before = (await qa.get('/api/v1/suppliers/SUP-CMD')).body;
    let mark = await markLedger(t.services);
    const body = { status: 'approved', reason: 'Audit passed' };
    const role = await purchaser.post('/api/v1/suppliers/SUP-CMD/qualification', { ...body, ...sign });
    expect(role.status).toBe(403);
    const wrong = await qa.post('/api/v1/suppliers/SUP-CMD/qualification', { ...body, password: 'not-the-password' });
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    await expectNothingWritten(t.services, mark, { allowUserEvents: 1 });
    await as(t.url, 'qa.manager'); // clears the failed attempt

    await purchaser.post('/api/v1/suppliers/SUP-CMD/evidence', {
      kind: 'audit',
      title: 'On-site audit',
      date: '2026-01-05',
      result: 'ok',
    });
    mark = await markLedger(t.services);
    const stale = await qa.post('/api/v1/suppliers/SUP-CMD/qualification', {
      ...body,
      version: before.version,
      ...sign,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('STALE_VERSION');
    // a bare "approved" signature with no decision pending completes nothing
    const bare = await qa.post('/api/v1/records/supplier%3ASUP-CMD/signatures', {
      meaning: 'approved',
      version: before.version + 1,
      reason: 'x',
      ...sign,
    });
    expect(bare.status).toBe(403);
    await expectNothingWritten(t.services, mark);

    const ok = await qa.post('/api/v1/suppliers/SUP-CMD/qualification', {
      ...body,
      version: before.version + 1,
      ...sign,
    });
    expect(ok.body).toMatchObject({ status: 'approved', pendingQualification: null });
    expect(ok.body.actions.filter((a: { signature: string | null }) => a.signature)).toEqual([
      decision('approve_conditionally'),
      decision('disqualify'),
    ]);
    mark = await markLedger(t.services);
    const same = await qa.post('/api/v1/suppliers/SUP-CMD/qualification', { ...body, ...sign });
    expect(same.body.error.code).toBe('QUALIFICATION_UNCHANGED');
    expect(
      (await qa.get('/api/v1/records/supplier%3ASUP-CMD/signatures')).body.every((x: { valid: boolean }) => x.valid),
    ).toBe(true);
    await expectNothingWritten(t.services, mark);
  });

  it('the approved supplier list: listing twice changes nothing, removing what is not listed is a 404, a stale removal a 409', async () => {
    const sup = (await qa.get('/api/v1/suppliers/SUP-HUASU')).body;
    const itemId = sup.approvedItems[0].itemId;
    let mark = await markLedger(t.services);
    expect((await qa.post('/api/v1/suppliers/SUP-HUASU/items', { itemId })).status).toBe(201);
    const stale = await qa.post(`/api/v1/suppliers/SUP-HUASU/items/${itemId}/remove`, {
      reason: 'dropped',
      version: sup.version - 1,
    });
    expect(stale.body.error.code).toBe('STALE_VERSION');
    const role = await purchaser.post(`/api/v1/suppliers/SUP-HUASU/items/${itemId}/remove`, { reason: 'dropped' });
    expect(role.status).toBe(403);
    await expectNothingWritten(t.services, mark);
    const removed = await qa.post(`/api/v1/suppliers/SUP-HUASU/items/${itemId}/remove`, {
      reason: 'dropped',
      version: sup.version,
    });
    expect(removed.body.approvedItems.map((i: { itemId: string }) => i.itemId)).not.toContain(itemId);
    mark = await markLedger(t.services);
    expect((await qa.post(`/api/v1/suppliers/SUP-HUASU/items/${itemId}/remove`, { reason: 'again' })).status).toBe(404);
    await expectNothingWritten(t.services, mark);
  });
});
