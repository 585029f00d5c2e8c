import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';

// Work orders on the one command path (records/command.ts): a refused action — wrong role,
// separation of duties, wrong password, stale version — writes nothing at all (no proposal, no
// signature, no DEV-… number), and GET offers exactly the actions workorder.lifecycle.ts allows
// this user now, each with the part of the order it applies to.
let t: TestServer;
let sup: Client, op: Client, op2: Client, qa: Client, viewer: Client, admin: Client;
const sign = { password: DEMO_PASSWORD };
type Res = { status: number; body: any };
type Action = {
  action: string;
  signature: string | null;
  needsValues: boolean;
  target?: Record<string, string | number>;
};

const refused = async (f: () => Promise<Res>, status: number, code: string, allowUserEvents = 0) => {
  const mark = await markLedger(t.services);
  const r = await f();
  expect([r.status, r.body?.error?.code], JSON.stringify(r.body)).toEqual([status, code]);
  await expectNothingWritten(t.services, mark, { allowUserEvents });
  return r;
};
const get = async (c: Client, id: string) => (await c.get(`/api/v1/workorders/${id}`)).body;
/** A seeded order in `state` whose next operation is in `status` (the demo company has one of each). */
async function seeded(state: string, where: (w: any) => boolean) {
  const list = (await sup.get(`/api/v1/workorders?state=${state}`)).body as Array<{ id: string }>;
  for (const s of list) {
    const w = await get(sup, s.id);
    if (where(w)) return w;
  }
  throw new Error(`no seeded ${state} work order`);
}

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [sup, op, op2, qa, viewer, admin] = await Promise.all(
    ['prod.supervisor', 'operator', 'operator2', 'qa.manager', 'author', 'admin'].map((u) => as(t.url, u)),
  );
});
afterAll(async () => {
  await t?.stop();
});

describe('work order commands', () => {
  it('GET offers an operator the next operation to perform ({ seq }) and a viewer nothing', async () => {
    const w = await seeded('released', (x) => x.operations[0].status === 'pending');
    const mine = (await get(op, w.id)).actions as Action[];
    expect(mine.find((a) => a.action === 'perform')).toEqual({
      action: 'perform',
      signature: 'performed',
      needsReason: false,
      needsDate: false,
      needsValues: true,
      scope: null,
      target: { seq: w.operations[0].seq },
    });
    expect(mine.map((a) => a.action)).not.toContain('release');
    expect((await get(viewer, w.id)).actions).toEqual([]);
    // list rows carry the same actions (the shop floor's tiles are the orders with a step for this user)
    const row = (await op.get('/api/v1/workorders?state=released')).body.find((x: { id: string }) => x.id === w.id);
    expect(row.actions).toEqual(mine);
    expect(
      (await viewer.get('/api/v1/workorders?state=released')).body.every(
        (x: { actions: unknown[] }) => x.actions.length === 0,
      ),
    ).toBe(true);
    // the one waiting for its second person: offered to operator2 with its seq, not to who performed it
    const floor = await seeded('in_progress', (x) =>
      x.operations.some((o: { status: string }) => o.status === 'performed'),
    );
    const next = floor.operations.find((o: { next: boolean }) => o.next);
    expect(((await get(op2, floor.id)).actions as Action[]).filter((a) => a.action === 'verify')).toEqual([
      expect.objectContaining({ target: { seq: next.seq } }),
    ]);
    expect(((await get(op, floor.id)).actions as Action[]).map((a) => a.action)).not.toContain('verify');
  });

  it('refuses the wrong role (an operator releasing, a viewer performing), writing nothing', async () => {
    const w = await seeded('planned', () => true);
    await refused(
      () => op.post(`/api/v1/workorders/${w.id}/actions/release`, { version: w.ledgerVersion, ...sign }),
      403,
      'FORBIDDEN',
    );
    const floor = await seeded('released', (x) => x.operations[0].status === 'pending');
    await refused(
      () =>
        viewer.post(`/api/v1/workorders/${floor.id}/steps/${floor.operations[0].seq}/perform`, { values: {}, ...sign }),
      403,
      'FORBIDDEN',
    );
  });

  it('refuses the performer verifying their own step (separation of duties), writing nothing', async () => {
    const floor = await seeded('in_progress', (x) =>
      x.operations.some((o: { status: string }) => o.status === 'performed'),
    );
    const next = floor.operations.find((o: { next: boolean }) => o.next);
    await refused(
      () => op.post(`/api/v1/workorders/${floor.id}/steps/${next.seq}/verify`, sign),
      409,
      'SIGNER_IS_AUTHOR',
    );
  });

  it("refuses a step's performer releasing the product, even with a QA role (separation of duties), writing nothing", async () => {
    const waiting = await seeded('completed', (x) => x.checklist.every((c: { ok: boolean }) => c.ok));
    const me = (await admin.get('/api/v1/users')).body.find((u: { username: string }) => u.username === 'operator');
    expect((await admin.patch(`/api/v1/users/${me.id}`, { roles: [...me.roles, 'qa_engineer'] })).status).toBe(200);
    const opQa = await as(t.url, 'operator');
    expect(((await get(opQa, waiting.id)).actions as Action[]).map((a) => a.action)).not.toContain('qa_release');
    expect(((await get(qa, waiting.id)).actions as Action[]).map((a) => a.action)).toContain('qa_release');
    await refused(
      () =>
        opQa.post(`/api/v1/workorders/${waiting.id}/actions/qa_release`, { version: waiting.ledgerVersion, ...sign }),
      409,
      'SIGNER_IS_AUTHOR',
    );
  });

  it('on a wrong password for an out-of-spec value writes only the failed attempt: no proposal, no DEV-… number', async () => {
    const w = await seeded('released', (x) => x.operations[0].status === 'pending');
    const op10 = w.operations[0];
    const eq = (await op.get(`/api/v1/equipment?type=${encodeURIComponent(op10.equipmentType)}`)).body.find(
      (q: { calibrated: boolean }) => q.calibrated,
    );
    const values = Object.fromEntries(
      op10.captures.map((c: { name: string; lower: number | null; upper: number | null }) => [
        c.name,
        (c.upper ?? 0) + 1000,
      ]),
    );
    const me = await as(t.url, 'operator');
    const perform = (password: string) =>
      me.post(`/api/v1/workorders/${w.id}/steps/${op10.seq}/perform`, { values, equipmentIds: [eq.id], password });
    await refused(() => perform('not-the-password'), 401, 'INVALID_CREDENTIALS', 1);
    await as(t.url, 'operator'); // a good sign-in clears the failed attempt
    // and with the right password the same values open their deviations, numbered then
    const done = await perform(DEMO_PASSWORD);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.deviations.map((d: { number: string }) => d.number)).toEqual(
      op10.captures.map(() => expect.stringMatching(/^DEV-\d{4}-\d{5}$/)),
    );
  });

  it('refuses a release or a QA release on a version the user did not see (stale), writing nothing', async () => {
    const created = await sup.post('/api/v1/workorders', {
      itemId: (await get(sup, (await seeded('planned', () => true)).id)).item.id,
      plannedQuantity: 5,
      plannedStart: '2030-01-01',
      plannedEnd: '2030-01-02',
    });
    expect(created.status).toBe(201);
    await refused(
      () =>
        sup.post(`/api/v1/workorders/${created.body.id}/actions/release`, {
          version: created.body.ledgerVersion + 1,
          ...sign,
        }),
      409,
      'STALE_VERSION',
    );
    const waiting = await seeded('completed', (x) => x.checklist.every((c: { ok: boolean }) => c.ok));
    await refused(
      () =>
        qa.post(`/api/v1/workorders/${waiting.id}/actions/qa_release`, { version: waiting.ledgerVersion - 1, ...sign }),
      409,
      'STALE_VERSION',
    );
    const ok = await sup.post(`/api/v1/workorders/${created.body.id}/actions/release`, {
      version: created.body.ledgerVersion,
      ...sign,
    });
    expect([ok.status, ok.body.state]).toEqual([200, 'released']);
  });
});
