import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, Client, DEMO_PASSWORD, startTestServer, type TestServer } from '../../../test/harness.ts';
import { withCheckDigit } from '../items/gtin.ts';
import { effectiveDmr } from './service.ts';

// The Device Master Record through HTTP on the real engine, from the seeded demo company.
let t: TestServer;
let sup: Client, qa: Client, qaEng: Client, rev: Client, op: Client;
const items = new Map<string, string>();
const wis = new Map<string, string>();
const sign = { password: DEMO_PASSWORD };
const ledgerCount = () => t.services.ledger.count();

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

let seq = 0;
async function newDevice() {
  const r = await qaEng.post('/api/v1/items', {
    partNumber: `FG-DMR-${++seq}`,
    name: { zh: '测试器械', en: 'Test device' },
    type: 'finished',
    unit: 'pcs',
    control: 'lot',
    gtin: withCheckDigit(`069712345${String(500 + seq).padStart(4, '0')}`),
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}
const content = (over: Record<string, unknown> = {}) => ({
  bom: [
    { itemId: items.get('RM-PVC-001'), quantity: 1.5, control: 'lot' },
    { itemId: items.get('CP-LUER-001'), quantity: 1, control: 'lot' },
  ],
  routing: [
    {
      seq: 10,
      name: { zh: '装配', en: 'Assembly' },
      workInstructionId: wis.get('Infusion Set Assembly Work Instruction'),
      equipmentType: 'Bonding station',
      trainingRequired: true,
      secondPersonVerify: false,
      captures: [{ name: 'Length', unit: 'mm', lower: 1495, upper: 1505 }],
    },
    {
      seq: 20,
      name: { zh: '检漏', en: 'Leak test' },
      workInstructionId: wis.get('Infusion Set Leak Test Work Instruction'),
      equipmentType: 'Leak tester',
      trainingRequired: true,
      secondPersonVerify: true,
      captures: [],
    },
  ],
  specifications: [{ name: 'Flow', value: '≥ 1000 mL / 10 min' }],
  labeling: { udiElements: ['01', '17', '10'], text: { zh: '标签', en: 'Label' } },
  packaging: { zh: '单包装', en: 'Single pouch' },
  ...over,
});
const act = (c: Client, d: { id: string; version: number }, action: string, extra: Record<string, unknown> = {}) =>
  c.post(`/api/v1/dmrs/${d.id}/actions/${action}`, { version: d.version, ...extra });

async function effectiveDmrFor(itemId: string) {
  const created = await sup.post('/api/v1/dmrs', { itemId });
  expect(created.status).toBe(201);
  const edited = await sup.put(`/api/v1/dmrs/${created.body.id}/draft`, {
    version: created.body.version,
    content: content(),
  });
  expect(edited.status).toBe(200);
  const submitted = await act(sup, edited.body, 'submit');
  const reviewed = await act(rev, submitted.body, 'review', sign);
  const approved = await act(qa, reviewed.body, 'approve', sign);
  expect(approved.status).toBe(200);
  return approved.body;
}

describe('DMR lifecycle', () => {
  it('seeds an effective DMR for each finished device', async () => {
    const list = (await op.get('/api/v1/dmrs')).body;
    const seeded = list.filter((d: any) => ['FG-IFS-20', 'FG-PMP-1'].includes(d.item.partNumber));
    expect(seeded).toHaveLength(2);
    expect(seeded.every((d: any) => d.state === 'effective' && d.revision === 'A')).toBe(true);
    const pump = await effectiveDmr(t.services, items.get('FG-PMP-1')!);
    expect(pump?.content.bom.find((l) => l.partNumber === 'SA-PCB-100')?.control).toBe('serial');
    expect(pump?.approvals).toHaveLength(1);
  });

  it('shows capture and equipment-type labels in both languages, the name where a label is missing (issue 15 item 8)', async () => {
    op.locale = 'zh-CN';
    const list = (await op.get('/api/v1/dmrs')).body;
    const ifs = list.find((d: any) => d.item.partNumber === 'FG-IFS-20');
    const got = await op.get(`/api/v1/dmrs/${ifs.id}`);
    op.locale = 'en-US';
    expect(got.status).toBe(200);
    const routing = got.body.revisions[0].content.routing;
    const captures = routing.flatMap((o: any) => o.captures);
    expect(captures.find((c: any) => c.name === 'Tubing length').label).toEqual({
      zh: '管路长度',
      en: 'Tubing length',
    });
    const leak = routing.find((o: any) => o.equipmentType === 'Leak tester');
    expect(leak.equipmentTypeLabel).toEqual({ zh: '泄漏测试仪', en: 'Leak tester' });
    // a draft with an English-only label, and one without: Chinese falls back to English, then to the name
    const created = await sup.post('/api/v1/dmrs', { itemId: await newDevice() });
    const c = content();
    (c.routing as any[])[0].captures = [
      { name: 'Length', label: { en: 'Cut length' }, unit: 'mm', lower: 1, upper: 2 },
      { name: 'Width', unit: 'mm', lower: 1, upper: 2 },
    ];
    (c.routing as any[])[0].equipmentTypeLabel = { zh: '粘接工作站' };
    const edited = await sup.put(`/api/v1/dmrs/${created.body.id}/draft`, {
      version: created.body.version,
      content: c,
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const op10 = edited.body.revisions[0].content.routing[0];
    expect(op10.captures.map((x: any) => x.label)).toEqual([
      { en: 'Cut length', zh: 'Cut length' },
      { en: 'Width', zh: 'Width' },
    ]);
    expect(op10.equipmentTypeLabel).toEqual({ en: '粘接工作站', zh: '粘接工作站' });
    // a label is bounded and strict like every input
    const bad = await sup.put(`/api/v1/dmrs/${created.body.id}/draft`, {
      version: edited.body.version,
      content: {
        ...c,
        routing: [{ ...(c.routing as any[])[0], captures: [{ name: 'L', label: { fr: 'x' }, unit: 'mm' }] }],
      },
    });
    expect(bad.status).toBe(400);
  });

  it('create → edit → submit → review → approve → effective', async () => {
    const itemId = await newDevice();
    const created = await sup.post('/api/v1/dmrs', { itemId });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'draft', revision: 'A' });
    expect(created.body.actions.map((a: any) => a.action)).toEqual(['edit']); // nothing to submit yet
    const edited = await sup.put(`/api/v1/dmrs/${created.body.id}/draft`, {
      version: created.body.version,
      content: content(),
    });
    expect(edited.status).toBe(200);
    expect(edited.body.actions.map((x: any) => x.action)).toEqual(['edit', 'submit']);
    const a = edited.body.revisions[0];
    expect(a.content.bom[0]).toMatchObject({ partNumber: 'RM-PVC-001', unit: 'm', quantity: 1.5 });
    expect(a.content.routing[0].workInstruction.number).toMatch(/.+/);
    expect(await effectiveDmr(t.services, itemId)).toBeNull();
    const submitted = await act(sup, edited.body, 'submit');
    expect(submitted.body.workingState).toBe('in_review');
    expect((await rev.get(`/api/v1/dmrs/${created.body.id}`)).body.actions.map((x: any) => x.action)).toEqual([
      'review',
      'reject',
    ]);
    const reviewed = await act(rev, submitted.body, 'review', sign);
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.workingState).toBe('approval');
    const approved = await act(qa, reviewed.body, 'approve', sign);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'effective', revision: 'A', effectiveDate: expect.any(String) });
    expect((await effectiveDmr(t.services, itemId))?.revision).toBe('A');
    const sigs = (await t.services.ledger.read(`dmr:${created.body.id}`))
      .filter((e) => e.type === 'signature.applied')
      .map((e) => (e.data as any).meaning);
    expect(sigs).toEqual(['reviewed', 'approved']);
  });

  it('a rejection with a reason sends the revision back to draft', async () => {
    const itemId = await newDevice();
    const c = (await sup.post('/api/v1/dmrs', { itemId })).body;
    const e = (await sup.put(`/api/v1/dmrs/${c.id}/draft`, { version: c.version, content: content() })).body;
    const s = (await act(sup, e, 'submit')).body;
    expect((await act(rev, s, 'reject', sign)).status).toBe(400); // no reason
    const r = await act(rev, s, 'reject', { ...sign, reason: 'Op 20 lacks the test pressure capture.' });
    expect(r.status).toBe(200);
    expect(r.body.workingState).toBe('draft');
    expect(r.body.revisions[0].iteration).toBe(2);
  });

  it('revision B supersedes A on approval; production keeps A until then', async () => {
    const itemId = await newDevice();
    const a = await effectiveDmrFor(itemId);
    const started = await act(sup, a, 'new_revision');
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ state: 'effective', revision: 'A', current: 'B', workingState: 'draft' });
    expect(started.body.revisions[1].content.bom).toHaveLength(2); // a copy of A to change
    const edited = await sup.put(`/api/v1/dmrs/${a.id}/draft`, {
      version: started.body.version,
      content: content({ specifications: [{ name: 'Flow', value: '≥ 1100 mL / 10 min' }] }),
    });
    const reviewed = await act(rev, (await act(sup, edited.body, 'submit')).body, 'review', sign);
    expect((await effectiveDmr(t.services, itemId))?.revision).toBe('A');
    const approved = await act(qa, reviewed.body, 'approve', sign);
    expect(approved.body).toMatchObject({ state: 'effective', revision: 'B' });
    expect(approved.body.revisions[0].state).toBe('superseded');
    const eff = await effectiveDmr(t.services, itemId);
    expect(eff?.revision).toBe('B');
    expect(eff?.content.specifications[0].value).toBe('≥ 1100 mL / 10 min');
  });
});

describe('DMR refusals', () => {
  it('the author of a revision cannot approve it (409 SIGNER_IS_AUTHOR)', async () => {
    const itemId = await newDevice();
    const c = (await qa.post('/api/v1/dmrs', { itemId })).body;
    const e = (await qa.put(`/api/v1/dmrs/${c.id}/draft`, { version: c.version, content: content() })).body;
    const reviewed = (await act(rev, (await act(qa, e, 'submit')).body, 'review', sign)).body;
    expect(reviewed.workingState).toBe('approval');
    expect((await qa.get(`/api/v1/dmrs/${c.id}`)).body.actions).toEqual([]);
    const before = await ledgerCount();
    const r = await act(qa, reviewed, 'approve', sign);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('SIGNER_IS_AUTHOR');
    expect(await ledgerCount()).toBe(before);
  });

  it('refuses edits when not draft, bad BOM/routing input, wrong roles, no session, a wrong password and a second DMR', async () => {
    const itemId = await newDevice();
    const c = (await sup.post('/api/v1/dmrs', { itemId })).body;
    const put = (body: unknown, who = sup) => who.put(`/api/v1/dmrs/${c.id}/draft`, body);
    const before = await ledgerCount();
    const bad = [
      content({ bom: [{ itemId, quantity: 1, control: 'lot' }] }), // the device itself
      content({ bom: [{ itemId: 'no-such-item', quantity: 1, control: 'lot' }] }),
      content({ bom: [{ itemId: items.get('CP-LUER-001'), quantity: 0, control: 'lot' }] }),
      content({ routing: [{ ...content().routing[1] }, { ...content().routing[0] }] }), // 20 before 10
      content({ routing: [{ ...content().routing[0] }, { ...content().routing[0] }] }), // seq twice
      content({ routing: [{ ...content().routing[0], workInstructionId: wis.get('Document Control Procedure') }] }), // an SOP, not a WI
      content({ routing: [{ ...content().routing[0], captures: [{ name: 'X', unit: 'mm', lower: 5, upper: 1 }] }] }),
      content({ labeling: { udiElements: ['99'], text: { zh: '', en: '' } } }),
    ];
    for (const b of bad) {
      const r = await put({ version: c.version, content: b });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await ledgerCount()).toBe(before);
    expect((await put({ version: c.version, content: content() }, op)).status).toBe(403); // operator: no dmr.manage
    expect((await op.post('/api/v1/dmrs', { itemId: items.get('FG-IFS-20') })).status).toBe(403);
    expect((await new Client(t.url).get('/api/v1/dmrs')).status).toBe(401);
    expect((await new Client(t.url).put(`/api/v1/dmrs/${c.id}/draft`, { version: 1, content: content() })).status).toBe(
      401,
    );
    expect((await sup.post('/api/v1/dmrs', { itemId: items.get('FG-IFS-20') })).status).toBe(409); // one DMR per device
    expect((await sup.post('/api/v1/dmrs', { itemId: items.get('CP-LUER-001') })).status).toBe(400); // not a finished device

    const e = (await put({ version: c.version, content: content() })).body;
    const s = (await act(sup, e, 'submit')).body;
    const notDraft = await put({ version: s.version, content: content() });
    expect(notDraft.status).toBe(409);
    expect(notDraft.body.error.code).toBe('RECORD_NOT_DRAFT');
    const wrongRole = await act(qa, s, 'review', sign); // QA manager is not a reviewer
    expect(wrongRole.status).toBe(403);
    const byOperator = await act(op, s, 'approve', sign);
    expect(byOperator.status).toBe(409); // not in approval yet
    expect(byOperator.body.error.code).toBe('RECORD_NOT_IN_APPROVAL');
    const n = await ledgerCount();
    const wrongPw = await act(rev, s, 'review', { password: 'not-the-password' });
    expect(wrongPw.status).toBe(401);
    expect(await ledgerCount()).toBe(n + 1); // only the failed attempt
    expect((await t.services.ledger.read(`dmr:${c.id}`)).length).toBe(s.version);
    const reviewed = await act(rev, s, 'review', sign);
    expect((await act(op, reviewed.body, 'approve', sign)).status).toBe(403); // an operator is not an approver
  });
});
