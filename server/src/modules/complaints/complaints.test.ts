import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, DEMO_PASSWORD, startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import type { LotDoc } from '../inventory/lot.record.ts';
import type { ItemDoc } from '../items/item.record.ts';
import { act, complaintBody, refused, releasedProducedLot } from './complaints.factory.ts';

// The complaint record (QMSR 21 CFR 820.35(a), ISO 13485:2016 8.2.2): the device and its UDI come
// from the lot or serial (DI = the item's GTIN, PI = lot/serial with expiry), the DHR is the work
// order that made the lot; IMDRF codes are taken only from the shipped lists; an uninvestigated
// complaint carries its signed reason; NC and CAPA links; list filters.
let t: TestServer;
let qa: Client, qaEng: Client;
let lot: LotDoc;
let item: ItemDoc;
const sign = { password: DEMO_PASSWORD };

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, qaEng] = await Promise.all(['qa.manager', 'qa.engineer'].map((u) => as(t.url, u)));
  ({ lot, item } = await releasedProducedLot(t));
});
afterAll(async () => {
  await t?.stop();
});

/** GS1 dates in the human-readable UDI are YYMMDD. */
const yymmdd = (iso: string) => iso.slice(2).replace(/-/g, '');

describe('complaints', () => {
  it('looks the UDI up from a released lot named by its lot number: DI = GTIN, PI = lot and expiry, DHR linked', async () => {
    const r = await qaEng.post('/api/v1/complaints', complaintBody(lot.lotNumber));
    expect(r.status).toBe(201);
    expect(item.gtin).toMatch(/^\d{14}$/);
    expect(lot.expiryDate).toBeTruthy();
    expect(r.body).toMatchObject({
      number: expect.stringMatching(/^CMP-\d{4}-\d{5}$/),
      status: 'open',
      device: { itemId: item._id, partNumber: 'FG-IFS-20' },
      udi: { di: item.gtin, lot: lot.lotNumber, expiryDate: lot.expiryDate, serial: null },
      lotId: lot._id,
      workOrderId: lot.workOrderId,
      receivedDate: '2026-11-20',
      awarenessDate: '2026-11-21',
      due: '2026-12-20',
      complainant: { name: 'Ward 5, City Hospital', address: '1 Hospital Road, Suzhou', phone: '+86 512 0000 0000' },
      country: 'CN',
      failedSpecifications: 'yes',
      usedForTreatmentOrDiagnosis: 'yes',
      relationship: 'possibly_related',
      codes: { A: ['A0201'], E: ['E2403'], F: ['F26'], G: [] },
    });
    expect(r.body.udi.hri).toBe(
      `(01)${item.gtin}${lot.mfgDate ? `(11)${yymmdd(lot.mfgDate)}` : ''}(17)${yymmdd(lot.expiryDate!)}(10)${lot.lotNumber}`,
    );
    // the same lot named by its id gives the same UDI
    const byId = await qaEng.post('/api/v1/complaints', complaintBody(lot._id));
    expect(byId.body.udi).toEqual(r.body.udi);
  });

  it('refuses an IMDRF code that is not in the shipped list, and an unknown lot, writing nothing', async () => {
    await refused(
      t,
      () => qaEng.post('/api/v1/complaints', complaintBody(lot.lotNumber, { codes: { A: ['A9999'] } })),
      400,
      'VALIDATION_FAILED',
    );
    // a real code of another annex is not an Annex A code
    await refused(
      t,
      () => qaEng.post('/api/v1/complaints', complaintBody(lot.lotNumber, { codes: { A: ['E2403'] } })),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      t,
      () => qaEng.post('/api/v1/complaints', complaintBody(lot.lotNumber, { codes: { A: [] } })),
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      t,
      () => qaEng.post('/api/v1/complaints', complaintBody('NO-SUCH-LOT')),
      404,
      'COMPLAINT_DEVICE_UNKNOWN',
    );
    const c = (await qaEng.post('/api/v1/complaints', complaintBody(lot.lotNumber))).body;
    await refused(
      t,
      () => act(qaEng, c.id, 'investigate', { findings: 'x', codesC: ['C99'], ...sign }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('ships IMDRF codes as data with source and release, by annex, with their published terms', async () => {
    const a = (await qaEng.get('/api/v1/imdrf-codes?annex=A')).body;
    expect(a.source.name).toContain('IMDRF');
    expect(a.source.release).toBeTruthy();
    expect(a.codes.every((c: { annex: string }) => c.annex === 'A')).toBe(true);
    const term = async (annex: string, code: string) =>
      (await qaEng.get(`/api/v1/imdrf-codes?annex=${annex}`)).body.codes.find((c: { code: string }) => c.code === code);
    // the terms as IMDRF publishes them (the issue's examples)
    expect(await term('A', 'A0201')).toMatchObject({ en: 'Product Quality Problem', zhSource: 'product' });
    expect((await term('A', 'A24')).en).toBe('Adverse Event Without Identified Device or Use Problem');
    expect((await term('E', 'E2403')).en).toBe('No Clinical Signs, Symptoms or Conditions');
    expect((await term('F', 'F26')).en).toBe('No Health Consequences or Impact');
    expect((await qaEng.get('/api/v1/imdrf-codes?annex=Z')).status).toBe(400);
  });

  it('records the signed reason why no investigation is needed, the reply, and the NC and CAPA it opened', async () => {
    const c = (await qaEng.post('/api/v1/complaints', complaintBody(lot.lotNumber))).body;
    await refused(t, () => act(qaEng, c.id, 'no_investigation', sign), 400, 'VALIDATION_FAILED'); // a reason is required
    const reason = 'Same failure as CMP investigated under the open CAPA; no new information.';
    const r = await act(qaEng, c.id, 'no_investigation', { reason, ...sign });
    expect(r.body).toMatchObject({ status: 'investigated', investigation: { investigated: false, rationale: reason } });
    await act(qaEng, c.id, 'record_response', {
      correction: 'Lot placed on hold.',
      reply: 'Letter sent.',
      replyDate: todayUtc(),
    });
    // the NC and CAPA linked are records that exist (an unknown one is a 404, nothing written)
    await refused(t, () => act(qaEng, c.id, 'link_nc', { ncId: 'nc-42' }), 404, 'NOT_FOUND');
    await refused(t, () => act(qaEng, c.id, 'link_capa', { capaId: 'capa-7' }), 404, 'NOT_FOUND');
    const nc = await qaEng.post('/api/v1/ncs', {
      source: { kind: 'complaint', complaintId: c.id },
      itemId: item._id,
      description: 'Leak at the drip chamber',
    });
    const users = (await qa.get('/api/v1/users')).body as Array<{ id: string; username: string }>;
    const capa = await qaEng.post('/api/v1/capas', {
      title: 'Drip chamber leak',
      source: { type: 'complaint', id: c.id },
      problem: 'Leak during use',
      owner: users.find((u) => u.username === 'qa.engineer')!.id,
      due: addDays(todayUtc(), 60),
    });
    await act(qaEng, c.id, 'link_nc', { ncId: nc.body.id });
    const linked = await act(qaEng, c.id, 'link_capa', { capaId: capa.body.id });
    expect(linked.body).toMatchObject({
      correction: 'Lot placed on hold.',
      reply: 'Letter sent.',
      ncId: nc.body.id,
      capaId: capa.body.id,
    });
    const closed = await act(qa, c.id, 'close', sign);
    expect(closed.body.status).toBe('closed');
  });

  it('lists complaints by status, product and overdue (open past the due date)', async () => {
    const old = (
      await qaEng.post(
        '/api/v1/complaints',
        complaintBody(lot.lotNumber, {
          receivedDate: addDays(todayUtc(), -45),
          awarenessDate: addDays(todayUtc(), -44),
        }),
      )
    ).body;
    const overdue = (await qaEng.get('/api/v1/complaints?overdue=true')).body;
    expect(overdue.map((c: { id: string }) => c.id)).toContain(old.id);
    expect(overdue.every((c: { overdue: boolean; status: string }) => c.overdue && c.status !== 'closed')).toBe(true);
    const byProduct = (await qaEng.get(`/api/v1/complaints?product=${item._id}`)).body;
    expect(byProduct.length).toBeGreaterThan(0);
    expect(byProduct.every((c: { device: { itemId: string } }) => c.device.itemId === item._id)).toBe(true);
    const closed = (await qaEng.get('/api/v1/complaints?status=closed')).body;
    expect(closed.every((c: { status: string }) => c.status === 'closed')).toBe(true);
    expect((await qaEng.get('/api/v1/complaints?status=bogus')).status).toBe(400);
  });

  it('is described in the OpenAPI document, with its lifecycle readable', async () => {
    const doc = (await qaEng.get('/api/v1/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/complaints', '/api/v1/complaints/{id}/actions/{action}', '/api/v1/imdrf-codes']),
    );
    const lc = (await qaEng.get('/api/v1/lifecycles/complaint')).body;
    expect(lc.transitions.find((x: { name: string }) => x.name === 'close')).toMatchObject({
      permission: 'complaints.close',
      separation: [{ rule: 'not_investigator', code: 'COMPLAINT_CLOSER_INVESTIGATED' }],
      signature: { meaning: 'approved' },
    });
  });

  it('refuses an awareness date before the date received', async () => {
    await refused(
      t,
      () => qaEng.post('/api/v1/complaints', complaintBody(lot.lotNumber, { awarenessDate: '2026-11-19' })),
      400,
      'VALIDATION_FAILED',
    );
  });
});
