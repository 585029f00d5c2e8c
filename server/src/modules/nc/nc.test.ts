import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, Client, DEMO_PASSWORD, startTestServer, type TestServer } from '../../../test/harness.ts';
import { totpAt } from '../../identity/totp.ts';
import { requestContext, SYSTEM_ACTOR } from '../../platform/context.ts';
import { lotOf, ncOn } from './nc.factory.ts';

// The nonconformance's behaviour (ISO 13485:2016 8.3): one record for every source; opening it
// holds its lots at once; the MRB disposes each quantity (8.3.2 concession with justification,
// approval and the authoriser's identity; 8.3.4 rework re-verified; scrap through inventory); QA
// closes it by signature; a held lot neither ships nor is issued.
let t: TestServer;
let qa: Client, qaEng: Client, wh: Client, sup: Client;
const sign = { password: DEMO_PASSWORD };

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, qaEng, wh, sup] = await Promise.all(
    ['qa.manager', 'qa.engineer', 'warehouse', 'prod.supervisor'].map((u) => as(t.url, u)),
  );
});
afterAll(async () => {
  await t?.stop();
});
const lotGet = async (id: string) => (await wh.get(`/api/v1/lots/${id}`)).body;

describe('nonconformances', () => {
  it('opening one on a lot appends the NC first, then holds the lot through its own hold action', async () => {
    const lot = await lotOf(t, wh);
    const n = await ncOn(qaEng, lot, 8, { detectionPoint: 'storage' });
    expect(n).toMatchObject({
      status: 'open',
      source: { kind: 'internal_audit', reference: 'IA-2026-07 finding 3' },
      item: { partNumber: 'CP-LUER-001' },
      lots: [{ lotId: lot, quantity: 8, undisposed: 8, unit: expect.any(String) }],
      detectionPoint: 'storage',
      containment: 'Lot segregated and put on hold',
      openedBy: expect.stringContaining('Wang Fang'),
    });
    expect(n.number).toMatch(/^NC-\d{4}-\d{5}$/);
    const l = await lotGet(lot);
    expect(l.status).toBe('on_hold');
    const ncEvents = await t.services.ledger.read(`nc:${n.id}`);
    const held = (await t.services.ledger.read(`lot:${lot}`)).find((e) => e.type === 'lot.held')!;
    expect(held.data).toEqual({ source: `nc:${n.id}` });
    expect(held.reason).toContain(n.number);
    expect(held.actor.name).toContain('Wang Fang');
    expect(ncEvents[0].at <= held.at).toBe(true);
  });

  it('an NC hold keeps the lot from being shipped or issued (ISO 13485 8.3.1: prevent unintended use or delivery)', async () => {
    const unit = await lotOf(t, wh, { partNumber: 'FG-PMP-1', serial: `NC-${Date.now()}`, location: 'WH2-FG-01' });
    await ncOn(qaEng, unit, 1, { source: { kind: 'customer_return', customerCode: 'CUS-RJH', reference: 'RMA-7' } });
    const ship = await wh.post(`/api/v1/lots/${unit}/ship`, { customer: 'CUS-RJH', reference: 'DN-NC' });
    expect([ship.status, ship.body.error.code]).toEqual([409, 'LOT_NOT_RELEASED']);
    const lot = await lotOf(t, wh);
    await ncOn(qaEng, lot, 3);
    const issue = await wh.post(`/api/v1/lots/${lot}/issue`, { quantity: 1, workOrder: 'WO-X' });
    expect([issue.status, issue.body.error.code]).toEqual([409, 'LOT_NOT_RELEASED']);
    expect((await lotGet(lot)).quantity).toBe(20);
  });

  it('promotes a production deviation, naming the work order and the deviation', async () => {
    let withDev: {
      id: string;
      number: string;
      item: { id: string };
      deviations: Array<{ id: string; number: string }>;
    } | null = null;
    for (const w of (await sup.get('/api/v1/workorders')).body) {
      const full = (await sup.get(`/api/v1/workorders/${w.id}`)).body;
      if (full.deviations?.length) withDev = full;
    }
    if (!withDev) throw new Error('the demo company has a work order with a deviation');
    const dev = withDev.deviations[0];
    const r = await qaEng.post('/api/v1/ncs', {
      source: { kind: 'production', workOrderId: withDev.id, deviationId: dev.id },
      itemId: withDev.item.id,
      description: 'Deviation promoted: leak test out of limits',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      source: { kind: 'production', workOrderNumber: withDev.number, deviationNumber: dev.number },
      detectionPoint: 'in_process',
      lots: [],
    });
    const unknown = await qaEng.post('/api/v1/ncs', {
      source: { kind: 'production', workOrderId: withDev.id, deviationId: 'nope' },
      itemId: withDev.item.id,
      description: 'x',
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const complaint = await qaEng.post('/api/v1/ncs', {
      source: { kind: 'complaint', complaintId: 'CMP-2026-00001' },
      itemId: withDev.item.id,
      description: 'Leak reported by a hospital',
    });
    expect(complaint.body).toMatchObject({ source: { kind: 'complaint', complaintId: 'CMP-2026-00001' } });
    expect((await qa.get('/api/v1/ncs?source=complaint')).body.map((x: { id: string }) => x.id)).toContain(
      complaint.body.id,
    );
  });

  it('MRB disposes per lot and quantity; rework is re-verified; QA closes by signature', async () => {
    const lot = await lotOf(t, wh);
    const n = await ncOn(qaEng, lot, 10);
    const at = (p: string, b: Record<string, unknown>, c = qa) =>
      c.post(`/api/v1/ncs/${n.id}/${p}`, { lotId: lot, ...b, ...sign });
    // 8.3.2: a concession with its justification, approved by signature, the authoriser named
    const c = await at('use-as-is', { quantity: 3, justification: 'Flash is outside the fluid path; fit verified' });
    expect(c.status).toBe(200);
    expect(c.body.dispositions[0]).toMatchObject({
      decision: 'use_as_is',
      quantity: 3,
      justification: 'Flash is outside the fluid path; fit verified',
      by: expect.stringContaining('Li Wei'),
      signatureId: expect.any(String),
    });
    const sigs = (await qa.get(`/api/v1/records/${encodeURIComponent(`nc:${n.id}`)}/signatures`)).body;
    expect(JSON.stringify(sigs)).toContain('approved');
    // scrap goes through inventory: the lot's own signed scrap
    const s = await at('dispose', { decision: 'scrap', quantity: 2, justification: 'Flash on sealing face' }, qaEng);
    expect(s.status).toBe(200);
    expect((await lotGet(lot)).quantity).toBe(18);
    expect((await lotGet(lot)).status).toBe('on_hold');
    await at('dispose', { decision: 'rework', quantity: 3, justification: 'Deflash and re-inspect' });
    await at('dispose', { decision: 'return_to_supplier', quantity: 1, justification: 'Supplier RMA' });
    const last = await at('dispose', { decision: 'regrade', quantity: 1, justification: 'Use as training samples' });
    expect(last.body.lots[0].undisposed).toBe(0);
    const rework = last.body.dispositions.find((d: { decision: string }) => d.decision === 'rework');
    expect(rework).toMatchObject({ reverificationRequired: true, reverification: null });
    // 8.3.4: no closure before the rework is re-verified
    const early = await qa.post(`/api/v1/ncs/${n.id}/close`, sign);
    expect([early.status, early.body.error.code]).toEqual([409, 'NC_REWORK_NOT_VERIFIED']);
    // whoever dispositioned the rework does not re-verify it
    const own = await qa.post(`/api/v1/ncs/${n.id}/verify-rework`, { dispositionId: rework.id, ...sign });
    expect([own.status, own.body.error.code]).toEqual([409, 'SIGNER_IS_AUTHOR']);
    const v = await qaEng.post(`/api/v1/ncs/${n.id}/verify-rework`, { dispositionId: rework.id, note: 'OK', ...sign });
    expect(v.status).toBe(200);
    expect(v.body.dispositions.find((d: { id: string }) => d.id === rework.id).reverification).toMatchObject({
      by: expect.stringContaining('Wang Fang'),
      note: 'OK',
    });
    // the CAPA linked is one that exists (an unknown id is a 404)
    expect((await qaEng.post(`/api/v1/ncs/${n.id}/link-capa`, { capaId: 'CAPA-2026-00001' })).status).toBe(404);
    const users = (await qa.get('/api/v1/users')).body as Array<{ id: string; username: string }>;
    const capa = await qaEng.post('/api/v1/capas', {
      title: 'Flash on the sealing face',
      source: { type: 'nc', id: n.id },
      problem: 'Luer caps with flash',
      owner: users.find((u) => u.username === 'qa.engineer')!.id,
      due: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10),
    });
    const linked = await qaEng.post(`/api/v1/ncs/${n.id}/link-capa`, { capaId: capa.body.id });
    expect(linked.body.capaId).toBe(capa.body.id);
    const closed = await qa.post(`/api/v1/ncs/${n.id}/close`, { reason: 'All dispositions complete', ...sign });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closure: { by: expect.stringContaining('Li Wei') } });
    expect(closed.body.actions.map((a: { action: string }) => a.action)).toEqual(['link_capa']);
    const again = await qa.post(`/api/v1/ncs/${n.id}/close`, sign);
    expect([again.status, again.body.error.code]).toEqual([409, 'NC_CLOSED']);
  });

  it('a signature on an NC with nothing proposed is refused (the bare signature route ends in the same path)', async () => {
    const n = await ncOn(qaEng, await lotOf(t, wh), 1);
    const r = await qa.post(`/api/v1/records/${encodeURIComponent(`nc:${n.id}`)}/signatures`, {
      meaning: 'approved',
      ...sign,
    });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect((await qa.get(`/api/v1/ncs/${n.id}`)).body.dispositions).toEqual([]);
  });

  it('an NC written before quantities were recorded (the old incoming-inspection shape) still reads', async () => {
    const id = randomUUID();
    const lot = await lotOf(t, wh, { status: 'rejected', location: 'WH1-RAW-01' });
    await requestContext.run({ requestId: 'test', locale: 'en-US', actor: SYSTEM_ACTOR }, () =>
      t.services.ledger.append(
        `nc:${id}`,
        'nc.opened',
        {
          number: 'NC-2025-00001',
          source: { kind: 'incoming_inspection', lotId: lot, lotNumber: 'L-OLD', inspectionId: 'insp-old' },
          item: { id: 'i', partNumber: 'CP-LUER-001', name: { zh: '鲁尔帽', en: 'Luer cap' } },
          supplier: null,
          description: 'Lot L-OLD rejected at incoming inspection',
        },
        { expectedVersion: 0, actor: SYSTEM_ACTOR },
      ),
    );
    const old = (await qa.get(`/api/v1/nonconformances/${id}`)).body;
    expect(old).toMatchObject({ number: 'NC-2025-00001', status: 'open', lots: [], detectionPoint: 'incoming' });
    expect(old.actions.map((a: { action: string }) => a.action)).toEqual(['link_capa', 'close']);
  });

  // Last in this file: it enrols qa.engineer's authenticator. 21 CFR 11.200(a)(1) and RFC 6238
  // §5.2: a one-time code is accepted once, so the lot's own scrap signature, which the NC's scrap
  // disposition causes in the same command, must not ask the signer for their credentials again.
  it('a signer with an authenticator disposes scrap with one code; the lot is scrapped under it', async () => {
    const lot = await lotOf(t, wh);
    const n = await ncOn(qaEng, lot, 4);
    const STEP = 30_000;
    // keep clear of a 30-second window's end, so the three codes below stay distinct and accepted
    if (Date.now() % STEP > STEP - 6_000) await new Promise((r) => setTimeout(r, STEP - (Date.now() % STEP) + 200));
    const now = Date.now();
    const start = await qaEng.post('/api/v1/auth/totp/enroll', { password: DEMO_PASSWORD });
    expect(start.status).toBe(200);
    const secret = start.body.secret as string;
    expect((await qaEng.post('/api/v1/auth/totp/confirm', { code: totpAt(secret, now - STEP) })).status).toBe(200);
    const c = new Client(t.url);
    expect((await c.login('qa.engineer', DEMO_PASSWORD, totpAt(secret, now))).status).toBe(200);
    const r = await c.post(`/api/v1/ncs/${n.id}/dispose`, {
      lotId: lot,
      decision: 'scrap',
      quantity: 2,
      justification: 'Flash on sealing face',
      password: DEMO_PASSWORD,
      totp: totpAt(secret, now + STEP), // each code later than the last: a used step or an older one is refused
    });
    expect([r.status, r.body.error?.code]).toEqual([200, undefined]);
    expect((await lotGet(lot)).quantity).toBe(18);
    const scrapped = (await t.services.ledger.read(`lot:${lot}`)).filter((e) => e.type === 'signature.applied');
    expect(scrapped.map((e) => (e.data as { signer: { username: string } }).signer.username)).toEqual(['qa.engineer']);
  });
});
