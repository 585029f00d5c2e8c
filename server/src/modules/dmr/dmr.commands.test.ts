import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import { withCheckDigit } from '../items/gtin.ts';

// DMR actions on the one command path (dmr.lifecycle.ts): a refused action — wrong role,
// separation of duties, wrong password, stale version — writes nothing at all, and GET offers
// exactly the actions the declaration allows this user now.
let t: TestServer;
let sup: Client, qa: Client, qaEng: Client, rev: Client, op: Client;
const sign = { password: DEMO_PASSWORD };
const items = new Map<string, string>();
const wis = new Map<string, string>();
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
const act = (c: Client, d: { id: string; version: number }, action: string, extra: Record<string, unknown> = {}) =>
  c.post(`/api/v1/dmrs/${d.id}/actions/${action}`, { version: d.version, ...extra });
const content = () => ({
  bom: [{ itemId: items.get('RM-PVC-001'), quantity: 1, control: 'lot' }],
  routing: [
    {
      seq: 10,
      name: { zh: '装配', en: 'Assembly' },
      workInstructionId: wis.get('Infusion Set Assembly Work Instruction'),
      captures: [],
    },
  ],
});

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [sup, qa, qaEng, rev, op] = await Promise.all(
    ['prod.supervisor', 'qa.manager', 'qa.engineer', 'reviewer2', 'operator'].map((u) => as(t.url, u)),
  );
  for (const i of (await sup.get('/api/v1/items')).body) items.set(i.partNumber, i.id);
  for (const d of (await sup.get('/api/v1/documents?pageSize=200')).body.items) wis.set(d.title.en, d.id);
});
afterAll(async () => {
  await t?.stop();
});

/** A new finished device with a DMR whose draft `editor` wrote and submitted. */
async function submittedDmr(n: number, editor: Client) {
  const item = await qaEng.post('/api/v1/items', {
    partNumber: `FG-CMD-${n}`,
    name: { zh: '测试器械', en: 'Test device' },
    type: 'finished',
    unit: 'pcs',
    control: 'lot',
    gtin: withCheckDigit(`069712346${String(n).padStart(4, '0')}`),
  });
  const created = (await sup.post('/api/v1/dmrs', { itemId: item.body.id })).body;
  const edited = (
    await editor.put(`/api/v1/dmrs/${created.id}/draft`, { version: created.version, content: content() })
  ).body;
  const submitted = await act(sup, edited, 'submit');
  expect(submitted.status).toBe(200);
  return submitted.body as { id: string; version: number; actions: unknown[] };
}

describe('DMR commands', () => {
  it('GET offers review to a reviewer and nothing to an operator', async () => {
    const d = await submittedDmr(1, sup);
    expect((await rev.get(`/api/v1/dmrs/${d.id}`)).body.actions.map((a: { action: string }) => a.action)).toEqual([
      'review',
      'reject',
    ]);
    expect((await op.get(`/api/v1/dmrs/${d.id}`)).body.actions).toEqual([]);
  });

  it('refuses a QA manager reviewing (wrong role), writing nothing', async () => {
    const d = await submittedDmr(2, sup);
    await refused(() => act(qa, d, 'review', sign), 403, 'SIGNER_ROLE_NOT_ALLOWED');
  });

  it('refuses a reviewer who edited the revision (separation of duties: not an editor), writing nothing', async () => {
    const d = await submittedDmr(3, qaEng); // a QA engineer may edit and may review, never both on one revision
    expect((await qaEng.get(`/api/v1/dmrs/${d.id}`)).body.actions).toEqual([]);
    await refused(() => act(qaEng, d, 'review', sign), 409, 'SIGNER_IS_AUTHOR');
  });

  it("on a wrong password writes only the failed attempt on the signer's account", async () => {
    const d = await submittedDmr(4, sup);
    await refused(() => act(rev, d, 'review', { password: 'not-the-password' }), 401, 'INVALID_CREDENTIALS', 1);
  });

  it('refuses an edit on a version the user did not see (stale), writing nothing', async () => {
    const item = await qaEng.post('/api/v1/items', {
      partNumber: 'FG-CMD-5',
      name: { zh: '测试器械', en: 'Test device' },
      type: 'finished',
      unit: 'pcs',
      control: 'lot',
      gtin: withCheckDigit('0697123460005'),
    });
    const created = (await sup.post('/api/v1/dmrs', { itemId: item.body.id })).body;
    expect(
      (await sup.put(`/api/v1/dmrs/${created.id}/draft`, { version: created.version, content: content() })).status,
    ).toBe(200);
    await refused(
      () => sup.put(`/api/v1/dmrs/${created.id}/draft`, { version: created.version, content: content() }),
      409,
      'STALE_VERSION',
    );
  });
});
